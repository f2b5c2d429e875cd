// Current Month Usage of a license in a period, per workload type: the sum over its
// installations of each installation's figure, where an installation's figure is its monthly
// report for the period if it sent one, else the highest weekly count it sent for the period.

export interface ReportedUsage {
  installationId: string;
  kind: "weekly" | "monthly";
  collectedAt: Date;
  workloads: { type: string; count: number }[];
}

export interface UsageSource {
  installationId: string;
  kind: "weekly" | "monthly";
  count: number;
}

export interface TypeUsage {
  count: number;
  sources: UsageSource[];
}

export function currentMonthUsage(reports: readonly ReportedUsage[]): Map<string, TypeUsage> {
  // Per installation: its latest monthly report if any, else every weekly report.
  const byInstallation = new Map<string, ReportedUsage[]>();
  for (const r of reports) byInstallation.set(r.installationId, [...(byInstallation.get(r.installationId) ?? []), r]);
  const result = new Map<string, TypeUsage>();
  for (const [installationId, list] of [...byInstallation].sort(([a], [b]) => a.localeCompare(b))) {
    const monthly = list.filter((r) => r.kind === "monthly").sort((a, b) => b.collectedAt.getTime() - a.collectedAt.getTime())[0];
    const figures = new Map<string, number>();
    if (monthly) {
      for (const w of monthly.workloads) figures.set(w.type, w.count);
    } else {
      for (const r of list) for (const w of r.workloads) figures.set(w.type, Math.max(figures.get(w.type) ?? 0, w.count));
    }
    for (const [type, count] of figures) {
      const entry = result.get(type) ?? { count: 0, sources: [] };
      entry.count += count;
      entry.sources.push({ installationId, kind: monthly ? "monthly" : "weekly", count });
      result.set(type, entry);
    }
  }
  return result;
}
