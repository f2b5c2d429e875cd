"use client";

// A report's totals, and Submit Usage with its confirmation of what submitting does.
import { useState } from "react";
import type { ReportView, SubmitCheckView } from "@/lib/schemas/usage";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { countOf } from "../ui/format";
import { LocalDate } from "../ui/local-date";
import { n } from "./format";
import { submitFailure, useSubmit } from "./hooks";
import { periodLabel } from "./period-label";

export function Totals({ report }: { report: ReportView }) {
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit(report.period);
  const label = periodLabel(report.period);
  const canSubmit = report.editable && report.kind === "DUE";
  const { extensions } = report;
  return (
    <Card title="Totals">
      <dl className="grid grid-cols-[1fr_auto] gap-y-1 text-sm">
        <dt className="text-slate-600">Auto-reported ({countOf(report.totals.autoLicenses, "license")})</dt>
        <dd className="text-right tabular-nums">{n(report.totals.autoPoints)} points</dd>
        <dt className="text-slate-600">Manual rows</dt>
        <dd className="text-right tabular-nums">{n(report.totals.manualPoints)} points</dd>
        <dt className="border-t border-slate-200 pt-1 font-semibold">Total</dt>
        <dd className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums" data-testid="total-points">{n(report.totals.totalPoints)} points</dd>
      </dl>
      {report.kind === "SUBMITTED" && (
        <p className="mt-3 text-sm text-slate-700">{countOf(extensions.count, "license key")} {extensions.count === 1 ? "was" : "were"} extended by one month with this report.</p>
      )}
      {report.checks.length > 0 && <Checks checks={report.checks} />}
      {canSubmit && (
        <>
          <p className="mt-3 text-sm text-slate-700">
            Submitting closes {label}; {countOf(extensions.count, "auto-reported license")} will be extended by one month.
          </p>
          <Button className="mt-3 w-full" disabled={submit.isPending} onClick={() => setConfirming(true)}>
            {submit.isPending && <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white" />}
            {submit.isPending ? "Submitting…" : "Submit Usage"}
          </Button>
        </>
      )}
      {!report.editable && report.kind === "DUE" && <p className="mt-3 text-sm text-slate-600">Only an administrator of your organization can submit usage: ask one to review and submit {label}.</p>}
      <ConfirmDialog
        open={confirming && report.kind === "DUE"}
        title={`Confirm to Submit: ${label}`}
        confirmLabel="Confirm to Submit"
        pending={submit.isPending}
        error={submit.error ? submitFailure(submit.error, report.period) : null}
        onCancel={() => {
          setConfirming(false);
          submit.reset();
        }}
        onConfirm={() => submit.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>
          {label} closes: its {countOf(report.totals.autoLicenses, "auto-reported license")} and {countOf(report.manualRows.length, "manual row")} become
          read-only, {countOf(report.totals.totalPoints, "point")} in all.
        </p>
        {report.companies.length > 0 && (
          <>
            <p>Per company:</p>
            <ul className="list-disc pl-5" data-testid="confirm-companies">
              {report.companies.map((c) => (
                <li key={c.companyId ?? "unassigned"}>
                  {c.name}: {countOf(c.points, "point")}
                </li>
              ))}
            </ul>
          </>
        )}
        {extensions.count > 0 ? (
          <>
            <p>
              {extensions.count} license{extensions.count === 1 ? " is" : "s are"} extended by one month, each with a new key version:
            </p>
            <ul className="max-h-40 list-disc overflow-y-auto pl-5">
              {extensions.preview.map((e) => (
                <li key={e.licenseId}>
                  {e.licenseId}: <LocalDate value={e.from} /> → <strong><LocalDate value={e.to} /></strong>
                </li>
              ))}
              {extensions.count > extensions.preview.length && <li>and {n(extensions.count - extensions.preview.length)} more</li>}
            </ul>
          </>
        ) : (
          <p>No license is extended.</p>
        )}
        {extensions.notExtended > 0 && (
          <p>{extensions.notExtended} license{extensions.notExtended === 1 ? " is" : "s are"} not extended (expired, at its contract&apos;s end, the contract not active, or the report late).</p>
        )}
        {report.checks.length > 0 && <Checks checks={report.checks} />}
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </Card>
  );
}

/** Checks before Submit: what to look at before submitting; they never block it. */
function Checks({ checks }: { checks: SubmitCheckView[] }) {
  return (
    <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="submit-checks">
      <p className="font-medium">Check before you submit ({checks.length}):</p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {checks.map((c, i) => (
          <li key={i}>{c.message}</li>
        ))}
      </ul>
    </div>
  );
}
