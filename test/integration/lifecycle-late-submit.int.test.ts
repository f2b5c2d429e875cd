// A late Submit Usage is stored late and extends nothing (DOMAIN-RULES.md, lifecycle 3).
import { describe, expect, it } from "vitest";
import { reportDueAt } from "@/lib/domain/reporting";
import { submitReport } from "@/lib/server/monthly-reports";
import { bobContext, GLOBEX_AUTO, lastEnded, licenseOf } from "../lifecycle";

describe("Submit Usage after the deadline", () => {
  it("is stored late and extends nothing", async () => {
    const period = lastEnded();
    const before = await Promise.all(GLOBEX_AUTO.map(licenseOf));
    const late = new Date(reportDueAt(period, 10).getTime() + 1000);
    const result = await submitReport(await bobContext(late), period);
    expect(result.onTime).toBe(false);
    expect(result.extended).toEqual([]);
    expect(result.notExtended.every((n) => /late/.test(n.reason))).toBe(true);
    expect(await Promise.all(GLOBEX_AUTO.map(licenseOf))).toEqual(before);
  });
});

