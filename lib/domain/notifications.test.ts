import { describe, expect, it } from "vitest";
import {
  addressRefusal,
  installationSilent,
  keyExpiringUnnoticed,
  nearPointsLimit,
  nextWebhookAttempt,
  periodEvents,
  webhookUrlRefusal,
  WEBHOOK_MAX_ATTEMPTS,
} from "./notifications";

const at = (iso: string) => new Date(iso);
const MS = 1;
const DAY = 86_400_000;

describe("periodEvents: due 3 days before the deadline, late after it", () => {
  const dueAt = at("2027-01-10T23:59:59Z");
  it("nothing before 3 days ahead; due from exactly 3 days ahead; late only after the deadline's last millisecond", () => {
    expect(periodEvents({ dueAt, submitted: false }, new Date(dueAt.getTime() - 3 * DAY - MS))).toEqual([]);
    expect(periodEvents({ dueAt, submitted: false }, new Date(dueAt.getTime() - 3 * DAY))).toEqual(["usage.period_due"]);
    expect(periodEvents({ dueAt, submitted: false }, at("2027-01-10T23:59:59.999Z"))).toEqual(["usage.period_due"]);
    expect(periodEvents({ dueAt, submitted: false }, at("2027-01-11T00:00:00Z"))).toEqual(["usage.period_due", "usage.period_late"]);
  });
  it("a submitted period produces nothing, before or after its deadline", () => {
    expect(periodEvents({ dueAt, submitted: true }, at("2027-01-09T00:00:00Z"))).toEqual([]);
    expect(periodEvents({ dueAt, submitted: true }, at("2027-02-01T00:00:00Z"))).toEqual([]);
  });
});

describe("keyExpiringUnnoticed: within 7 days, no successful check since renewed", () => {
  const renewedAt = at("2027-01-01T00:00:00Z");
  const key = { expirationDate: "2027-01-20", revoked: false, renewedAt, lastSuccessfulCheckAt: null };
  // The key is valid through 2027-01-20T23:59:59.999Z.
  const end = at("2027-01-20T23:59:59.999Z").getTime();
  it("from exactly 7 days before the end of its last day, until it has expired", () => {
    expect(keyExpiringUnnoticed(key, new Date(end - 7 * DAY - MS))).toBe(false);
    expect(keyExpiringUnnoticed(key, new Date(end - 7 * DAY))).toBe(true);
    expect(keyExpiringUnnoticed(key, new Date(end))).toBe(true);
    expect(keyExpiringUnnoticed(key, new Date(end + MS))).toBe(false);
  });
  it("not when a check succeeded since the key was renewed; yes when the only success is older", () => {
    const now = at("2027-01-15T00:00:00Z");
    expect(keyExpiringUnnoticed({ ...key, lastSuccessfulCheckAt: renewedAt }, now)).toBe(false);
    expect(keyExpiringUnnoticed({ ...key, lastSuccessfulCheckAt: new Date(renewedAt.getTime() - MS) }, now)).toBe(true);
    expect(keyExpiringUnnoticed({ ...key, revoked: true }, now)).toBe(false);
  });
});

describe("installationSilent: 8 days", () => {
  const seen = at("2027-01-01T12:00:00Z");
  it("from exactly 8 days after it was last seen", () => {
    expect(installationSilent(seen, new Date(seen.getTime() + 8 * DAY - MS))).toBe(false);
    expect(installationSilent(seen, new Date(seen.getTime() + 8 * DAY))).toBe(true);
  });
});

describe("nearPointsLimit: above 90%", () => {
  it("90% exactly is not above; one point more is; no limit never", () => {
    expect(nearPointsLimit(900, 1000)).toBe(false);
    expect(nearPointsLimit(901, 1000)).toBe(true);
    expect(nearPointsLimit(91, 101)).toBe(true); // 90.1%
    expect(nearPointsLimit(90, 101)).toBe(false); // 89.1%
    expect(nearPointsLimit(5000, null)).toBe(false);
  });
});

describe("nextWebhookAttempt: about 1 min, 5 min, 30 min, 2 h, 8 h, 24 h, then failed", () => {
  it("follows the schedule and ends after the seventh attempt", () => {
    const t = at("2027-01-01T00:00:00Z");
    const delays = [1, 2, 3, 4, 5, 6].map((n) => (nextWebhookAttempt(n, t)!.getTime() - t.getTime()) / 60_000);
    expect(delays).toEqual([1, 5, 30, 120, 480, 1440]);
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(7);
    expect(nextWebhookAttempt(7, t)).toBeNull();
  });
});

describe("addressRefusal: the check on the resolved address", () => {
  const production = { testMode: false, allowPrivate: false };
  it("refuses private, link-local, loopback and reserved addresses, IPv4 and IPv6, also IPv4 inside IPv6", () => {
    for (const a of ["10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "100.64.0.1", "169.254.169.254", "127.0.0.1", "127.8.8.8", "0.0.0.0", "224.0.0.1",
      "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "ff02::1"]) {
      expect(addressRefusal(a, production), a).not.toBeNull();
    }
  });
  it("allows public addresses", () => {
    for (const a of ["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(addressRefusal(a, production), a).toBeNull();
  });
  it("allows private, link-local and loopback when configured, never a reserved one", () => {
    const open = { testMode: false, allowPrivate: true };
    for (const a of ["10.0.0.1", "169.254.1.1", "127.0.0.1", "fe80::1", "::1"]) expect(addressRefusal(a, open), a).toBeNull();
    expect(addressRefusal("0.0.0.0", open)).not.toBeNull();
  });
  it("with the test clock on: 127.0.0.1 only, outside addresses refused", () => {
    const test = { testMode: true, allowPrivate: false };
    expect(addressRefusal("127.0.0.1", test)).toBeNull();
    for (const a of ["8.8.8.8", "127.0.0.2", "::1", "10.0.0.1"]) expect(addressRefusal(a, test), a).not.toBeNull();
  });
  it("refuses what is not an address", () => {
    expect(addressRefusal("example.com", production)).not.toBeNull();
    expect(addressRefusal("1.2.3", production)).not.toBeNull();
  });
});

describe("webhookUrlRefusal", () => {
  const production = { testMode: false, allowPrivate: false };
  const test = { testMode: true, allowPrivate: false };
  it("HTTPS only in production; HTTP to 127.0.0.1 only with the test clock on", () => {
    expect(webhookUrlRefusal("https://hooks.example.com/pulse", production)).toBeNull();
    expect(webhookUrlRefusal("http://hooks.example.com/pulse", production)).toMatch(/HTTPS/);
    expect(webhookUrlRefusal("http://127.0.0.1:4000/hook", production)).toMatch(/HTTPS/);
    expect(webhookUrlRefusal("http://127.0.0.1:4000/hook", test)).toBeNull();
    expect(webhookUrlRefusal("ftp://example.com", production)).toMatch(/HTTPS/);
    expect(webhookUrlRefusal("not a url", production)).toMatch(/full URL/);
  });
  it("refuses private literals, localhost and credentials", () => {
    expect(webhookUrlRefusal("https://10.1.2.3/x", production)).toMatch(/private/);
    expect(webhookUrlRefusal("https://[::1]/x", production)).toMatch(/loopback/);
    expect(webhookUrlRefusal("https://localhost/x", production)).toMatch(/localhost/);
    expect(webhookUrlRefusal("https://u:p@example.com/x", production)).toMatch(/password/);
  });
});
