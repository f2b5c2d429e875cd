import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CaseFacts, CaseThread } from "@/components/support/case-thread";
import { CommentForm } from "@/components/support/comment-form";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { orNotFound } from "@/lib/http/not-found";
import { parseCaseNumber } from "@/lib/schemas/support";
import { getOwnCase } from "@/lib/server/support-cases";

export async function generateMetadata({ params }: PageProps<"/support/[number]">): Promise<Metadata> {
  return { title: `Case ${(await params).number}` };
}

export default async function CasePage({ params }: PageProps<"/support/[number]">) {
  const user = await requireProvider();
  const number = parseCaseNumber((await params).number);
  if (number === null) notFound();
  const c = await orNotFound(getOwnCase(await providerContext(user), number));
  const canComment = can(user.role, "case:comment");
  return (
    <>
      <PageHeader
        title={`Case #${c.number}`}
        description={c.summary}
        actions={
          <ButtonLink href="/support" variant="secondary">
            All cases
          </ButtonLink>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <CaseThread c={c} />
          <Card title="Add a comment">
            {!canComment ? (
              <p className="text-sm text-slate-600">You have read-only access: only an admin of your organization can comment.</p>
            ) : c.state === "CLOSED" ? (
              <p className="text-sm text-slate-600">This case is closed and takes no more comments. Open a new case if you need more help.</p>
            ) : (
              <CommentForm
                url={`/api/portal/cases/${c.number}/comments`}
                label="Your comment"
                submitLabel="Add comment"
                success={c.state === "RESOLVED" ? `Comment added; case ${c.number} is open again.` : "Comment added."}
                hint={c.state === "RESOLVED" ? "The case is resolved; commenting reopens it." : undefined}
              />
            )}
          </Card>
        </div>
        <Card title="Case">
          <CaseFacts c={c} />
        </Card>
      </div>
    </>
  );
}
