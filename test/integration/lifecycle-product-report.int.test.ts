// The product's own monthly report extends its key once per period, on time only (DOMAIN-RULES.md, lifecycle 2);
// Submit Usage then does not extend it again.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { addMonths } from "@/lib/domain/dates";
import { reportDueAt } from "@/lib/domain/reporting";
import { submitReport } from "@/lib/server/monthly-reports";
import { ingestUsageReport } from "@/lib/server/usage-reports";
import { keyHolder, keyOf, newReportId, postUpdate, productContext } from "../product";
import { bobContext, current, lastEnded, licenseOf, monthlyReport, now } from "../lifecycle";

describe("the product's own monthly report", () => {
  it("extends nothing when late, for the running month, or for a revoked license", async () => {
    const period = lastEnded();
    const before = await licenseOf("LIC-GLBX1-00002");
    // Late: after 23:59:59 of the due day.
    const late = new Date(reportDueAt(period, 10).getTime() + 1000);
    expect((await monthlyReport("LIC-GLBX1-00002", period, late, "vbr-monthly-01", "CC_VM_Backup")).answer.licenseExtendedTo).toBeUndefined();
    // The running month.
    expect((await monthlyReport("LIC-GLBX1-00002", current(), now(), "vbr-monthly-01", "CC_VM_Backup")).answer.licenseExtendedTo).toBeUndefined();
    expect(await licenseOf("LIC-GLBX1-00002")).toEqual(before);
    // A revoked license (its key still authenticates in this direct call): nothing.
    const holder = (await keyHolder(await keyOf("LIC-GLBX1-00003")))!;
    await getDb().license.update({ where: { licenseId: "LIC-GLBX1-00003" }, data: { revokedAt: now() } });
    try {
      const r = await ingestUsageReport(productContext(holder, now()), {
        licenseKey: "k", installationId: "vbr-revoked", reportId: newReportId(), kind: "monthly", period,
        collectedAt: `${period}-20T00:00:00.000Z`, workloads: [{ type: "VB365_User", count: 10 }],
      });
      expect(r.answer.licenseExtendedTo).toBeUndefined();
      expect(await getDb().licenseExtension.count({ where: { license: { licenseId: "LIC-GLBX1-00003" }, period } })).toBe(0);
    } finally {
      await getDb().license.update({ where: { licenseId: "LIC-GLBX1-00003" }, data: { revokedAt: null } });
    }
  });

  it("on time, extends its license by one calendar month once, however many installations send it at once; Submit Usage then does not extend it again", async () => {
    const before = await licenseOf("LIC-GLBX1-00001");
    const period = lastEnded(); // demo: ended, open, due on the 10th
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => monthlyReport("LIC-GLBX1-00001", period, now(), `vbr-burst-${i % 4}`)));
    expect(answers.every((a) => a.created)).toBe(true);
    const extendedTo = answers.map((a) => a.answer.licenseExtendedTo).filter(Boolean);
    expect(extendedTo).toEqual([addMonths(before.expirationDate, 1)]);
    const after = await licenseOf("LIC-GLBX1-00001");
    expect(after).toMatchObject({ expirationDate: addMonths(before.expirationDate, 1), currentVersion: before.currentVersion + 1 });
    expect(await getDb().licenseExtension.count({ where: { licenseId: before.id, period } })).toBe(1);
    // Its next update check gets Success with the longer key.
    const check = await postUpdate({ licenseKey: await keyOf("LIC-GLBX1-00001", before.currentVersion), installationId: "vbr-burst-0", productVersion: "13.0.1.1071" });
    expect(check.json).toMatchObject({ result: "Success" });
    // Submit Usage: the other licenses are extended, this one is not extended again.
    const result = await submitReport(await bobContext(now()), period);
    expect(result.extended.map((e) => e.licenseId)).not.toContain("LIC-GLBX1-00001");
    expect(result.notExtended).toContainEqual({ licenseId: "LIC-GLBX1-00001", reason: expect.stringMatching(/already extended/) });
    expect(await licenseOf("LIC-GLBX1-00001")).toEqual(after);
  });
});
