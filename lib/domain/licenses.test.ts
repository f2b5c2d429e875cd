import { describe, expect, it } from "vitest";
import { addMonths } from "./dates";
import {
  autoReportOffRefusal, autoReportOnRefusal, extendedExpiration, extensionRefusal, expirationWhenAutoReportedOn, FEATURE_DISABLED_MESSAGE, initialAutoReportedExpiration,
  licenseState, manualExpirationBounds, manualExpirationRefusal, stateCondition, wizardAutoReporting, type LicenseFacts,
} from "./licenses";

describe("75 days at creation", () => {
  it("is 75 days after the day of creation, across month ends, year ends and leap years", () => {
    expect(initialAutoReportedExpiration("2026-11-25")).toBe("2027-02-08");
    expect(initialAutoReportedExpiration("2026-01-31")).toBe("2026-04-16");
    expect(initialAutoReportedExpiration("2027-12-31")).toBe("2028-03-15");
    // 2028 is a leap year: 2028-01-01 + 75 days passes 29 February
    expect(initialAutoReportedExpiration("2028-01-01")).toBe("2028-03-16");
    expect(initialAutoReportedExpiration("2027-01-01")).toBe("2027-03-17");
  });
  it("never passes the contract's end date", () => {
    expect(initialAutoReportedExpiration("2026-11-25", "2026-12-31")).toBe("2026-12-31");
    expect(initialAutoReportedExpiration("2026-11-25", "2030-01-01")).toBe("2027-02-08");
  });
});

describe("monthly extension", () => {
  const l = { autoReported: true, revoked: false, expirationDate: "2026-12-20", contract: { status: "ACTIVE" as const, endDate: null } };
  const on = (today: string) => ({ today, onTime: true });
  it("adds one calendar month, the same day clamped to the month's last day, across year ends and leap years", () => {
    const table: [string, string][] = [
      ["2026-12-20", "2027-01-20"],
      ["2027-01-31", "2027-02-28"],
      ["2028-01-31", "2028-02-29"], // leap year
      ["2028-02-29", "2028-03-29"],
      ["2027-03-31", "2027-04-30"],
      ["2027-12-31", "2028-01-31"],
      ["2027-02-28", "2027-03-28"],
    ];
    for (const [from, to] of table) expect(extendedExpiration({ ...l, expirationDate: from }, on("2026-12-05")), from).toBe(to);
  });
  it("never drifts: twelve on-time months bring a key to the same day a year later", () => {
    let date = "2027-01-15";
    for (let i = 0; i < 12; i++) date = extendedExpiration({ ...l, expirationDate: date }, on("2027-01-01"))!;
    expect(date).toBe("2028-01-15");
  });
  it("is capped at the contract's end date, never shortens, and is nothing at the cap", () => {
    expect(extendedExpiration({ ...l, contract: { status: "ACTIVE", endDate: "2027-01-01" } }, on("2026-12-05"))).toBe("2027-01-01");
    // Already at its contract's end: no new date, no version.
    expect(extendedExpiration({ ...l, expirationDate: "2027-01-01", contract: { status: "ACTIVE", endDate: "2027-01-01" } }, on("2026-12-05"))).toBeNull();
    expect(extensionRefusal({ ...l, expirationDate: "2027-01-01", contract: { status: "ACTIVE", endDate: "2027-01-01" } }, on("2026-12-05"))).toBe("already at its contract's end date");
    // A contract end moved earlier than the key: never shortened.
    expect(extendedExpiration({ ...l, expirationDate: "2027-03-01", contract: { status: "ACTIVE", endDate: "2027-02-01" } }, on("2026-12-05"))).toBeNull();
  });
  it("extends only on time: a late report extends nothing", () => {
    expect(extendedExpiration(l, { today: "2026-12-05", onTime: false })).toBeNull();
    expect(extensionRefusal(l, { today: "2026-12-05", onTime: false })).toBe("the report is late: a late report extends nothing");
  });
  it("never extends an expired, revoked or manual license, or one whose contract is not active", () => {
    expect(extendedExpiration(l, on("2026-12-21"))).toBeNull();
    expect(extendedExpiration(l, on("2026-12-20"))).toBe("2027-01-20"); // valid through its last day
    expect(extendedExpiration({ ...l, revoked: true }, on("2026-12-05"))).toBeNull();
    expect(extendedExpiration({ ...l, autoReported: false }, on("2026-12-05"))).toBeNull();
    expect(extendedExpiration({ ...l, contract: { status: "TERMINATED", endDate: null } }, on("2026-12-05"))).toBeNull();
  });
  it("says why a license is not extended", () => {
    expect(extensionRefusal(l, on("2026-12-05"))).toBeNull();
    expect(extensionRefusal(l, on("2026-12-21"))).toBe("expired: it needs a new key");
    expect(extensionRefusal({ ...l, revoked: true }, on("2026-12-05"))).toBe("revoked");
    expect(extensionRefusal({ ...l, autoReported: false }, on("2026-12-05"))).toBe("not auto-reported");
    expect(extensionRefusal({ ...l, contract: null }, on("2026-12-05"))).toBe("its contract is not active");
    expect(extensionRefusal({ ...l, contract: { status: "ACTIVE", endDate: "2026-12-01" } }, on("2026-12-05"))).toBe("its contract is not active");
  });
});

describe("the earlier-of rule when the toggle is turned on", () => {
  it("keeps a date sooner than 75 days out", () => {
    expect(expirationWhenAutoReportedOn("2026-12-01", "2026-11-25")).toBe("2026-12-01");
  });
  it("shortens a date later than 75 days out to 75 days", () => {
    expect(expirationWhenAutoReportedOn("2027-11-25", "2026-11-25")).toBe("2027-02-08");
  });
  it("never lengthens: off and on again the next day gives the same or an earlier date", () => {
    const first = expirationWhenAutoReportedOn("2027-11-25", "2026-11-25");
    const again = expirationWhenAutoReportedOn(first, "2026-11-26");
    expect(again <= first).toBe(true);
    expect(again).toBe("2027-02-08");
  });
  it("works on leap days", () => {
    expect(expirationWhenAutoReportedOn("2029-01-01", "2028-02-29")).toBe("2028-05-14");
  });
});

describe("licenseState", () => {
  const active = { status: "ACTIVE" as const, endDate: null };
  const base: LicenseFacts = { expirationDate: "2026-12-31", revoked: false, contract: active };
  it("is ACTIVE with more than 7 days left, EXPIRING with 7 or fewer, EXPIRED the day after", () => {
    expect(licenseState(base, "2026-12-23")).toBe("ACTIVE");
    expect(licenseState(base, "2026-12-24")).toBe("EXPIRING");
    expect(licenseState(base, "2026-12-31")).toBe("EXPIRING");
    expect(licenseState(base, "2027-01-01")).toBe("EXPIRED");
  });
  it("is REVOKED first, then EXPIRED, then CONTRACT_ENDED", () => {
    expect(licenseState({ ...base, revoked: true }, "2026-12-01")).toBe("REVOKED");
    expect(licenseState({ ...base, contract: { status: "TERMINATED", endDate: null } }, "2026-12-01")).toBe("CONTRACT_ENDED");
    expect(licenseState({ ...base, contract: { status: "ACTIVE", endDate: "2026-11-30" } }, "2026-12-01")).toBe("CONTRACT_ENDED");
    expect(licenseState({ ...base, contract: { status: "TERMINATED", endDate: null } }, "2027-01-02")).toBe("EXPIRED");
  });
  it("has no contract state for a license without a contract (NFR)", () => {
    expect(licenseState({ ...base, contract: null }, "2026-12-01")).toBe("ACTIVE");
  });
  it("matches stateCondition for every state and a range of days", () => {
    const contracts = [active, { status: "TERMINATED" as const, endDate: null }];
    for (const today of ["2026-12-20", "2026-12-24", "2026-12-31", "2027-01-01"]) {
      for (const contract of contracts) {
        for (const revoked of [false, true]) {
          const facts = { ...base, revoked, contract };
          const state = licenseState(facts, today);
          const c = stateCondition(state, today);
          expect(c.revoked).toBe(revoked);
          if (c.expirationFrom) expect(facts.expirationDate >= c.expirationFrom).toBe(true);
          if (c.expirationTo) expect(facts.expirationDate <= c.expirationTo).toBe(true);
          if (c.contractEnded !== undefined) expect(contract.status === "TERMINATED").toBe(c.contractEnded);
        }
      }
    }
  });
});

describe("Auto Reported License toggle", () => {
  const ok = { organizationHasFeature: true, type: "RENTAL" as const, contractState: "ACTIVE" as const, revoked: false, expired: false };
  it("can be switched on for a rental license with an active contract in an organization with the feature", () => {
    expect(autoReportOnRefusal(ok)).toBeNull();
  });
  it("is disabled without the feature, with the reason", () => {
    expect(autoReportOnRefusal({ ...ok, organizationHasFeature: false })).toBe(FEATURE_DISABLED_MESSAGE);
  });
  it("refuses NFR and evaluation licenses, ended contracts, revoked and expired licenses", () => {
    expect(autoReportOnRefusal({ ...ok, type: "NFR", contractState: null })).toMatch(/Only rental/);
    expect(autoReportOnRefusal({ ...ok, type: "EVALUATION", contractState: null })).toMatch(/Only rental/);
    expect(autoReportOnRefusal({ ...ok, contractState: "TERMINATED" })).toMatch(/contract is not active/);
    expect(autoReportOnRefusal({ ...ok, contractState: "EXPIRED" })).toMatch(/contract is not active/);
    expect(autoReportOnRefusal({ ...ok, revoked: true })).toMatch(/revoked/);
    expect(autoReportOnRefusal({ ...ok, expired: true })).toMatch(/expired/);
  });
  it("can always be switched off unless revoked", () => {
    expect(autoReportOffRefusal({ revoked: false })).toBeNull();
    expect(autoReportOffRefusal({ revoked: true })).toMatch(/revoked/);
  });
});

describe("wizard Automatic reporting toggle", () => {
  it("is disabled and off without the feature", () => {
    expect(wizardAutoReporting(false, "NO_COMMIT")).toMatchObject({ disabled: true, value: false });
    expect(wizardAutoReporting(false, "VOLUME")).toMatchObject({ disabled: true, value: false });
  });
  it("is forced on for a NO_COMMIT contract with the feature", () => {
    expect(wizardAutoReporting(true, "NO_COMMIT")).toMatchObject({ disabled: true, value: true });
  });
  it("is free for a VOLUME contract with the feature", () => {
    expect(wizardAutoReporting(true, "VOLUME")).toMatchObject({ disabled: false, value: null });
  });
});

describe("manual expiration date limits", () => {
  it("runs from tomorrow to 12 months ahead", () => {
    expect(manualExpirationBounds("2026-11-25", null)).toEqual({ min: "2026-11-26", max: "2027-11-25" });
    expect(manualExpirationRefusal("2026-11-25", "2026-11-25", null)).toMatch(/tomorrow/);
    expect(manualExpirationRefusal("2026-11-26", "2026-11-25", null)).toBeNull();
    expect(manualExpirationRefusal("2027-11-25", "2026-11-25", null)).toBeNull();
    expect(manualExpirationRefusal("2027-11-26", "2026-11-25", null)).toMatch(/12 months/);
  });
  it("handles month ends and leap days", () => {
    expect(manualExpirationBounds("2028-02-29", null).max).toBe("2029-02-28");
    expect(manualExpirationBounds("2026-12-31", null)).toEqual({ min: "2027-01-01", max: "2027-12-31" });
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
  });
  it("never goes past the contract's end date", () => {
    expect(manualExpirationBounds("2026-11-25", "2027-03-31").max).toBe("2027-03-31");
    expect(manualExpirationRefusal("2027-04-01", "2026-11-25", "2027-03-31")).toMatch(/contract's end date/);
    expect(manualExpirationRefusal("2026-11-26", "2026-11-25", "2026-11-25")).toMatch(/contract ends too soon/);
  });
});
