import "server-only";
import type { Period } from "../../domain/dates";
import { reportCsv, type CsvRow } from "../../domain/monthly-report";
import type { ProviderContext } from "../context";
import { getReport } from "./views";

export async function exportReportCsv(ctx: ProviderContext, period: Period): Promise<{ filename: string; csv: string }> {
  const all = await getReport(ctx, period, { page: 1, pageSize: Number.MAX_SAFE_INTEGER });
  const rows: CsvRow[] = [
    ...all.licenses.items.flatMap((l) =>
      l.rows.map((r) => ({
        licenseId: l.licenseId, productId: l.productId, workloadType: r.workloadType, reportedCount: r.reportedCount, count: r.count,
        points: r.points, source: "AUTO" as const, adjustmentReason: r.adjustmentReason, company: l.company, usageType: l.usageType,
      })),
    ),
    ...all.manualRows.map((m) => ({
      licenseId: null, productId: m.productId, workloadType: m.workloadType, reportedCount: null, count: m.count, points: m.points, source: "MANUAL" as const, adjustmentReason: null,
    })),
  ];
  return { filename: `usage-${period}.csv`, csv: reportCsv(period, rows) };
}

/** The oldest period that needs action and its deadline, for the Overview page. */