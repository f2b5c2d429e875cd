import type { Metadata } from "next";
import { OpenCaseForm } from "@/components/support/open-case-form";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { searchRecord } from "@/lib/http/search-params";
import { openCasePrefill } from "@/lib/schemas/support";

export const metadata: Metadata = { title: "Open a case" };

/**
 * Support > Open a case. Query parameters prefill it (type, problem, severity, summary,
 * description): the "request automatic license reporting" links use them.
 */
export default async function OpenCasePage({ searchParams }: PageProps<"/support/new">) {
  const user = await requireProvider();
  const initial = openCasePrefill(searchRecord(await searchParams));
  return (
    <>
      <PageHeader title="Open a case" description="Tell support what you need. You can follow the case and add comments under Support." />
      {can(user.role, "case:open") ? (
        <OpenCaseForm initial={initial} />
      ) : (
        <div className="space-y-3 text-sm text-slate-700">
          <p>You have read-only access: only an admin of your organization can open a support case.</p>
          <ButtonLink href="/support" variant="secondary">
            Back to Support
          </ButtonLink>
        </div>
      )}
    </>
  );
}
