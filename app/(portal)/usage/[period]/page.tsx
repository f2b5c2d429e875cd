import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { periodLabel } from "@/components/usage/period-label";
import { ReportScreen } from "@/components/usage/report-screen";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { isPeriod } from "@/lib/domain/dates";
import { orNotFound } from "@/lib/http/not-found";
import { getReport } from "@/lib/server/monthly-reports";

export async function generateMetadata({ params }: PageProps<"/usage/[period]">): Promise<Metadata> {
  const { period } = await params;
  return { title: isPeriod(period) ? `Usage ${periodLabel(period)}` : "Monthly Usages" };
}

export default async function PeriodReportPage({ params }: PageProps<"/usage/[period]">) {
  const ctx = await providerContext(await requireProvider());
  const { period } = await params;
  if (!isPeriod(period)) notFound();
  const report = await orNotFound(getReport(ctx, period, { page: 1, pageSize: 50 }));
  return <ReportScreen initial={report} />;
}
