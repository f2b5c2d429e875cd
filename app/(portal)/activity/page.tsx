import Link from "next/link";
import type { Metadata } from "next";
import { actionLabel, changes, targetHref, targetLabel } from "@/components/activity/describe";
import { PageHeader } from "@/components/ui/card";
import { LocalDate } from "@/components/ui/local-date";
import { listHref, Pagination } from "@/components/ui/pagination";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { UrlFilters } from "@/components/ui/url-filters";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { searchRecord } from "@/lib/http/search-params";
import { AUDIT_CATEGORIES, auditListQuery } from "@/lib/schemas/support";
import { listActivity } from "@/lib/server/activity";

export const metadata: Metadata = { title: "Activity" };

const ACTOR = { USER: "", INSTALLATION: "Backup server ", SYSTEM: "", TOKEN: "" } as const;

export default async function ActivityPage({ searchParams }: PageProps<"/activity">) {
  const user = await requireProvider();
  const parsed = auditListQuery.safeParse(searchRecord(await searchParams));
  const q = parsed.success ? parsed.data : auditListQuery.parse({});
  const result = await listActivity(await providerContext(user), q);
  return (
    <>
      <PageHeader title="Activity" description="Your organization's audit events, newest first: who changed what, and when." />
      <UrlFilters
        search={{ label: "Search", placeholder: "Who (email or server) or what (license id, case number)" }}
        filters={[{ name: "category", label: "What", allLabel: "Everything", options: Object.entries(AUDIT_CATEGORIES) }]}
      />
      <Table caption="Audit events, newest first">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Who</Th>
            <Th>What</Th>
            <Th>Target</Th>
            <Th>Changes</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {result.items.length === 0 && <EmptyRow colSpan={5}>{q.category || q.query ? "No event matches these filters." : "No activity yet."}</EmptyRow>}
          {result.items.map((e) => (
            <tr key={e.id}>
              <Td label="When">
                <LocalDate value={e.at} withTime />
              </Td>
              <Td label="Who" className="max-w-48 whitespace-normal break-all" title={e.actorLabel}>
                {ACTOR[e.actorType]}
                {e.actorLabel}
              </Td>
              <Td label="What" className="min-w-40 whitespace-normal">{actionLabel(e.action)}</Td>
              <Td label="Target" className="text-xs">
                <TargetLink type={e.targetType} id={e.targetId} />
              </Td>
              <Td label="Changes" className="min-w-48 whitespace-normal text-xs text-slate-700">
                {changes(e.before, e.after).map((line) => (
                  <span key={line} className="block break-all">
                    {line}
                  </span>
                ))}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        noun="events"
        href={(p) => listHref("/activity", { category: q.category, query: q.query }, { page: p })}
      />
    </>
  );
}

function TargetLink({ type, id }: { type: string; id: string }) {
  const href = targetHref(type, id);
  const label = targetLabel(type, id);
  return href ? (
    <Link href={href} className="font-medium text-brand-800 underline-offset-2 hover:underline">
      {label}
    </Link>
  ) : (
    <>{label}</>
  );
}
