import { CASE_TYPE_LABEL, PROBLEM_AREA_LABEL, type CaseState, type CaseType, type ProblemArea } from "@/lib/domain/support-cases";
import type { CaseDetail } from "@/lib/schemas/support";
import { Card } from "../ui/card";
import { cn } from "../ui/cn";
import { LocalDate } from "../ui/local-date";
import { CaseStateBadge, severityLabel } from "./case-badges";

/** The facts of a case, as both providers and support staff see them. */
export function CaseFacts({ c, showOrganization }: { c: CaseDetail; showOrganization?: boolean }) {
  return (
    <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
      <dt className="text-slate-600">State</dt>
      <dd data-testid="case-state">
        <CaseStateBadge state={c.state as CaseState} />
      </dd>
      {showOrganization && (
        <>
          <dt className="text-slate-600">Organization</dt>
          <dd>{c.organization.name}</dd>
        </>
      )}
      <dt className="text-slate-600">Case type</dt>
      <dd>{CASE_TYPE_LABEL[c.type as CaseType]}</dd>
      <dt className="text-slate-600">I have problems with</dt>
      <dd>{PROBLEM_AREA_LABEL[c.problemArea as ProblemArea]}</dd>
      <dt className="text-slate-600">Severity</dt>
      <dd>{severityLabel(c.severity)}</dd>
      <dt className="text-slate-600">Opened</dt>
      <dd>
        <LocalDate value={c.createdAt} withTime /> by {c.openedBy.name}
      </dd>
      <dt className="text-slate-600">Last update</dt>
      <dd>
        <LocalDate value={c.updatedAt} withTime />
      </dd>
      {c.resolvedAt && (
        <>
          <dt className="text-slate-600">Resolved</dt>
          <dd>
            <LocalDate value={c.resolvedAt} withTime />
          </dd>
        </>
      )}
    </dl>
  );
}

/** The description and the comment thread, oldest first; system entries record actions. */
export function CaseThread({ c }: { c: CaseDetail }) {
  return (
    <Card title="Conversation">
      <ol className="space-y-4" aria-label="Comments, oldest first">
        <li className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <p className="text-xs text-slate-600">
            <span className="font-medium text-slate-800">{c.openedBy.name}</span> opened the case · <LocalDate value={c.createdAt} withTime />
          </p>
          <p className="mt-1 whitespace-pre-wrap text-sm text-slate-900">{c.description || <span className="text-slate-600">No description.</span>}</p>
        </li>
        {c.comments.map((m) =>
          m.kind === "SYSTEM" ? (
            <li key={m.id} className="border-l-4 border-brand-700 bg-brand-50 px-3 py-2 text-sm text-slate-800">
              <p>{m.body}</p>
              <p className="text-xs text-slate-600">
                {m.author ? `${m.author.name} · ` : ""}
                <LocalDate value={m.createdAt} withTime />
              </p>
            </li>
          ) : (
            <li key={m.id} className={cn("rounded-md border p-3", m.author?.staff ? "border-blue-200 bg-blue-50" : "border-slate-200 bg-white")}>
              <p className="text-xs text-slate-600">
                <span className="font-medium text-slate-800">{m.author?.name ?? "Someone"}</span>
                {m.author?.staff ? " (Vendor support)" : ""} · <LocalDate value={m.createdAt} withTime />
              </p>
              <p className="mt-1 whitespace-pre-wrap text-sm text-slate-900">{m.body}</p>
            </li>
          ),
        )}
      </ol>
    </Card>
  );
}
