import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Open a case" };

const TYPES: Record<string, string> = { GENERAL_INQUIRY: "General Inquiry", TECHNICAL: "Technical", LICENSING: "Licensing" };
const AREAS: Record<string, string> = { VCSP_PULSE: "VCSP Pulse", LICENSING: "Licensing", OTHER: "Other" };

/** The route the "request automatic license reporting" links open; the form comes with the support feature. */
export default async function OpenCasePage({ searchParams }: PageProps<"/support/new">) {
  await requireProvider();
  const q = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  return (
    <>
      <PageHeader title="Open a case" description="Support > Open a case." />
      <Card title="Support cases are not in the portal yet">
        <p className="text-sm text-slate-700">
          Opening a case here comes with the support feature. Until then, ask your Veeam contact with these details:
        </p>
        <dl className="mt-3 grid grid-cols-[12rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600">Case type</dt>
          <dd>{TYPES[one(q.type)] ?? "—"}</dd>
          <dt className="text-slate-600">I have problems with</dt>
          <dd>{AREAS[one(q.problem)] ?? "—"}</dd>
          <dt className="text-slate-600">Summary</dt>
          <dd>{one(q.summary) || "—"}</dd>
        </dl>
      </Card>
    </>
  );
}
