import type { Metadata } from "next";
import Link from "next/link";
import { ContractsTable } from "@/components/shell/contracts-table";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireStaff, staffContext } from "@/lib/auth/current-user";
import { listOrganizations } from "@/lib/server/organizations";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage({ searchParams }: PageProps<"/staff/organizations">) {
  const user = await requireStaff();
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const result = await listOrganizations(await staffContext(user), page);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return (
    <>
      <PageHeader title="Organizations" description={`${result.total} service provider organization(s), with their contracts and automatic-reporting state.`} />
      {result.items.length === 0 && <EmptyState title="No organizations on this page." />}
      <div className="space-y-6">
        {result.items.map((org) => (
          <Card
            key={org.id}
            title={org.name}
            actions={<Badge tone={org.autoReportingEnabled ? "green" : "neutral"}>{org.autoReportingEnabled ? "Automatic reporting on" : "Automatic reporting off"}</Badge>}
          >
            <ContractsTable contracts={org.contracts} caption={`Contracts of ${org.name}`} />
          </Card>
        ))}
      </div>
      {pages > 1 && (
        <nav aria-label="Pagination" className="mt-6 flex items-center gap-3 text-sm">
          {page > 1 && <Link href={`?page=${page - 1}`}>Previous</Link>}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages && <Link href={`?page=${page + 1}`}>Next</Link>}
        </nav>
      )}
    </>
  );
}
