// Stored times are instants whatever the server's time zone. On PostgreSQL the product API's
// statements run through node-postgres without Prisma (lib/pg-direct.ts), whose own conversions of
// timestamps and Date parameters use the process's local time zone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { keyOf, postReport, postUpdate, reportBody } from "../product";

const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Pacific/Kiritimati"; // UTC+14: a local reading is off by 14 hours
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe("a server in another time zone than UTC", () => {
  it("runs in that zone (the test's premise)", () => {
    expect(new Date(Date.UTC(2026, 10, 26, 12)).getTimezoneOffset()).toBe(-14 * 60);
  });

  it("records an update check at the instant it answered: session, installation, license", async () => {
    const installationId = `vbr-zone-${Date.now().toString(36)}`;
    const res = await postUpdate({ licenseKey: await keyOf("LIC-GLBX1-00001"), installationId, productVersion: "13.0.1.1071" });
    expect(res.status).toBe(200);
    const checkedAt = new Date(String(res.json.checkedAt)).getTime();
    const db = getDb();
    const session = await db.updateSession.findFirstOrThrow({ where: { installationId } });
    const installation = await db.installation.findFirstOrThrow({ where: { installationId } });
    const license = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" } });
    expect(session.createdAt.getTime()).toBe(checkedAt);
    expect(installation.lastSeenAt.getTime()).toBe(checkedAt);
    expect(license.lastCheckAt?.getTime()).toBe(checkedAt);
  });

  it("stores a report's times as sent and received, and answers its retry with the first receivedAt", async () => {
    const collectedAt = new Date(Date.now() - 3_600_000);
    const body = await reportBody("LIC-GLBX1-00001", { collectedAt: collectedAt.toISOString() });
    const first = await postReport(body);
    expect(first.status).toBe(201);
    const stored = await getDb().usageReport.findFirstOrThrow({ where: { reportId: body.reportId } });
    expect(stored.receivedAt.toISOString()).toBe(first.json.receivedAt);
    expect(stored.collectedAt.getTime()).toBe(collectedAt.getTime());
    const retry = await postReport(body);
    expect(retry.status).toBe(200);
    expect(retry.json.receivedAt).toBe(first.json.receivedAt);
  });
});
