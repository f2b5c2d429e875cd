import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CaseFacts, CaseThread } from "@/components/support/case-thread";
import { CommentForm } from "@/components/support/comment-form";
import { AutoReportingControl, CaseStateActions } from "@/components/support/staff-case-actions";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireStaff, staffContext } from "@/lib/auth/current-user";
import type { CaseState } from "@/lib/domain/support-cases";
import { orNotFound } from "@/lib/http/not-found";
import { parseCaseNumber } from "@/lib/schemas/support";
import { getCaseForStaff } from "@/lib/server/support-cases";

export async function generateMetadata({ params }: PageProps<"/staff/cases/[number]">): Promise<Metadata> {
  return { title: `Case ${(await params).number}` };
}

export default async function StaffCasePage({ params }: PageProps<"/staff/cases/[number]">) {
  const user = await requireStaff();
  const number = parseCaseNumber((await params).number);
  if (number === null) notFound();
  const c = await orNotFound(getCaseForStaff(await staffContext(user), number));
  return (
    <>
      <PageHeader
        title={`Case #${c.number}`}
        description={`${c.organization.name} · ${c.summary}`}
        actions={
          <ButtonLink href="/staff/cases" variant="secondary">
            Case queue
          </ButtonLink>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <CaseThread c={c} />
          <Card title="Reply">
            {c.state === "CLOSED" ? (
              <p className="text-sm text-slate-600">This case is closed and takes no more comments.</p>
            ) : (
              <CommentForm url={`/api/staff/cases/${c.number}/comments`} label="Your reply" submitLabel="Send reply" success="Reply sent." />
            )}
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Case">
            <CaseFacts c={c} showOrganization />
            <div className="mt-4 border-t border-slate-200 pt-4">
              <h3 className="mb-2 text-sm font-semibold text-slate-800">Change state</h3>
              <CaseStateActions number={c.number} state={c.state as CaseState} nextStates={c.nextStates} />
            </div>
          </Card>
          <Card title={`Automatic license reporting · ${c.organization.name}`}>
            <AutoReportingControl number={c.number} organization={c.organization} />
          </Card>
        </div>
      </div>
    </>
  );
}
