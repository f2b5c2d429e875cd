import "server-only";
import { randomUUID } from "node:crypto";
import { getDb } from "../../db";
import type { Period } from "../../domain/dates";
import { supportExpirationFor } from "../../domain/licenses";
import { arrivesBy } from "../../domain/reporting";
import { AppError } from "../../errors";
import { writeAudit } from "../audit";
import type { OrganizationContext } from "../context";
import { issuePreparedKeyVersions, prepareKeyVersions, VersionConflict } from "../key-versions";
import { lockAutoReportedLicenses, lockPeriod } from "../store/locks";
import { insertRows, tableRows } from "../store/rows";
import { alreadySubmitted, openDraft } from "./draft";
import { draftOf } from "./facts";
import type { SubmitResult } from "../../schemas/usage";
import { emitEvents, extendedEvent } from "../notifications/emit";

/**
 * Submit Usage. Closes a period in one transaction: the lines as they stand (auto rows from what
 * the servers reported, with adjustments; manual rows), who and when, on time or late, and an
 * extension with a new signed key version (issueKeyVersions) for every included license that may
 * be extended (one calendar month, on time only, not when its product's monthly report already
 * extended it for the period). Exactly once per organization and period: the period lock orders racing
 * submissions, the status check refuses every one after the first, and the unique indexes
 * (organization + period, license + period extension) stand behind them. The caller is a
 * provider's admin, or the portal itself (automatic submission, lib/server/jobs/).
 */
export async function submitReport(ctx: OrganizationContext, period: Period): Promise<SubmitResult> {
  const organizationId = ctx.actor.organizationId;
  try {
    return await getDb().$transaction(
      async (tx) => {
        await lockPeriod(tx, organizationId, period);
        const { reportId, facts } = await openDraft(tx, ctx, period);
        // A toggle or revoke racing the submission waits, then retries on the new version.
        await lockAutoReportedLicenses(tx, organizationId);
        const draft = await draftOf(tx, organizationId, period, ctx.now, reportId, facts.dueAt);

        // The extensions: signing starts now (a worker thread for many keys) and runs while the
        // lines are written.
        const versions = prepareKeyVersions(
          ctx,
          draft.rows.flatMap(({ license: l, to }) =>
            to
              ? [{
                  license: l,
                  changes: { expirationDate: to, supportExpirationDate: supportExpirationFor(to) },
                  reason: "EXTENDED" as const,
                  extension: { period, monthlyReportId: reportId, usageReportId: null },
                  audit: {
                    action: "license.extended",
                    before: { expirationDate: l.expirationDate, version: l.currentVersion },
                    after: { expirationDate: to, version: l.currentVersion + 1, period },
                  },
                }]
              : [],
          ),
        );

        // The lines, as they stand now.
        await tx.monthlyReportLine.deleteMany({ where: { monthlyReportId: reportId, source: "AUTO" } });
        let position = 0;
        const autoLines = tableRows(
          "MonthlyReportLine",
          ["id", "monthlyReportId", "source", "licenseId", "productId", "workloadType", "reportedCount", "count", "points", "adjustmentReason", "sourceDetail", "position"],
          draft.rows.flatMap(({ license, autoRows }) =>
            autoRows.map((r) => ({
              id: randomUUID(), monthlyReportId: reportId, source: "AUTO" as const, licenseId: license.id, productId: license.productId, workloadType: r.workloadType,
              reportedCount: r.reportedCount, count: r.count, points: r.points, adjustmentReason: r.adjustmentReason,
              sourceDetail: JSON.stringify(r.sources), position: position++,
            })),
          ),
        );
        await insertRows(tx, autoLines);
        const extended = await issuePreparedKeyVersions(tx, versions);
        const totalPoints = autoLines.rows.reduce((s, l) => s + (l.points ?? 0), 0) + draft.manual.reduce((s, l) => s + l.points, 0);

        // Decided once, here, and stored: later changes to contracts never rewrite it.
        const onTime = arrivesBy(ctx.now, facts.dueAt);
        const closed = await tx.monthlyReport.updateMany({
          where: { id: reportId, organizationId, status: "DRAFT" },
          data: { status: "SUBMITTED", submittedAt: ctx.now, submittedById: ctx.actor.type === "user" ? ctx.actor.userId : null, submittedAutomatically: ctx.actor.type === "system", onTime, totalPoints, dueAt: facts.dueAt },
        });
        if (closed.count !== 1) throw alreadySubmitted(period, null, null);
        const notExtended = draft.rows.filter((r) => !r.to).map((r) => ({ licenseId: r.license.licenseId, reason: r.refusal ?? "" }));
        await writeAudit(tx, ctx, {
          organizationId, action: "usage.submitted", targetType: "MonthlyReport", targetId: period,
          before: { status: "DRAFT" },
          after: { status: "SUBMITTED", onTime, totalPoints, lines: autoLines.rows.length + draft.manual.length, extended: extended.length, notExtended: notExtended.length },
        });
        // The events of the submission and its extensions, in its transaction (webhooks: usage.submitted, license.extended).
        await emitEvents(tx, ctx.now, [
          {
            key: `usage.submitted:${organizationId}:${period}`, type: "usage.submitted", organizationId, link: `/usage/${period}`,
            title: `Usage for ${period} submitted${onTime ? "" : " (late)"}`,
            data: { period, submittedAt: ctx.now.toISOString(), onTime, totalPoints, automatic: ctx.actor.type === "system", extended: extended.length },
          },
          ...extended.map((e) => extendedEvent(organizationId, { ...e, period })),
        ]);
        return {
          period,
          submittedAt: ctx.now.toISOString(),
          onTime,
          totalPoints,
          extended: extended.map((e) => ({ licenseId: e.licenseId, from: e.from, to: e.to, version: e.version })),
          notExtended,
        };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    // Cannot happen while the licenses are locked (PostgreSQL) or written one transaction at a time (SQLite).
    if (error instanceof VersionConflict) throw new AppError("CONFLICT", "Licenses changed while the usage was being submitted; nothing was submitted. Try again.");
    throw error;
  }
}
