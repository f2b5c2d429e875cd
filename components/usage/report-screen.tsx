"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { findWorkloadType, PRODUCTS, productLabel } from "@/lib/domain/catalog";
import { MONTHLY_EXTENSION_DAYS } from "@/lib/domain/licenses";
import { adjustmentRefusals, MAX_ROW_COUNT } from "@/lib/domain/monthly-report";
import { pointsFor } from "@/lib/domain/points";
import { manualRowInput } from "@/lib/schemas/usage";
import type { HintView, LicenseRowView, ManualRowView, ReportView } from "@/lib/schemas/usage";
import { Badge } from "../ui/badge";
import { Button, buttonClass } from "../ui/button";
import { Card, PageHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormField, fieldAria, inputClass } from "../ui/form-field";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";
import { useAddManualRow, useAdjust, useRemoveManualRow, useReport, useSubmit } from "./hooks";
import { periodLabel } from "./period-label";

const typeName = (productId: string, type: string) => findWorkloadType(productId, type)?.name ?? type;
const n = (v: number) => v.toLocaleString("en-US");

/** One period's report: auto-reported rows, manual rows, hints, totals and Submit Usage. */
export function ReportScreen({ initial }: { initial: ReportView }) {
  const [page, setPage] = useState(1);
  const query = useReport(initial.period, page, initial);
  const report = query.data ?? initial;
  const label = periodLabel(report.period);
  const pages = Math.max(1, Math.ceil(report.licenses.total / report.licenses.pageSize));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/usage" className="text-brand-800 underline-offset-2 hover:underline">
          ← Monthly Usages
        </Link>
      </p>
      <PageHeader
        title={report.kind === "CURRENT" ? `Current Month Usage: ${label}` : `Usage report: ${label}`}
        description={<StatusLine report={report} />}
        actions={
          <a className={buttonClass("secondary")} href={`/api/portal/usage/${report.period}/export`} download>
            Export CSV
          </a>
        }
      />

      <section aria-labelledby="auto-rows" className="mb-8">
        <h2 id="auto-rows" className="mb-1 text-lg font-semibold">Auto-reported licenses</h2>
        <p className="mb-3 text-sm text-slate-600">
          Current Month Usage is what your product servers reported: per installation its monthly report, else its highest weekly count.
          {report.editable && " Adjust a count where it is wrong; lowering it needs a reason."}
        </p>
        <Table caption={`Auto-reported licenses of ${label}`}>
          <thead>
            <tr>
              <Th>License</Th>
              <Th>Workload type</Th>
              <Th className="text-right">Current Month Usage</Th>
              <Th className="text-right">Count</Th>
              <Th className="text-right">Points</Th>
              <Th>{report.kind === "SUBMITTED" ? "Extended" : "On submit"}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.licenses.items.length === 0 && (
              <EmptyRow colSpan={6}>No auto-reported license takes part in this month. Enter your usage as manual rows below.</EmptyRow>
            )}
            {report.licenses.items.map((l) => (
              <LicenseRows key={l.licenseId} license={l} report={report} />
            ))}
          </tbody>
        </Table>
        {pages > 1 && (
          <nav aria-label="Auto-reported license pages" className="mt-3 flex items-center justify-between text-sm text-slate-700">
            <span>
              Page {page} of {pages} ({n(report.licenses.total)} licenses)
            </span>
            <span className="flex gap-2">
              <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>Previous</Button>
              <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>Next</Button>
            </span>
          </nav>
        )}
      </section>

      <div className="mb-8 grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="manual-rows" className="lg:col-span-2">
          <h2 id="manual-rows" className="mb-1 text-lg font-semibold">Manual rows</h2>
          <p className="mb-3 text-sm text-slate-600">For installations whose licenses are not auto-reported: the product, the workload type and the number of workloads.</p>
          <ManualRows report={report} />
          {report.editable && <AddManualRow period={report.period} />}
          {report.hints.length > 0 && <Hints report={report} />}
        </section>
        <Totals report={report} />
      </div>
    </>
  );
}

function StatusLine({ report }: { report: ReportView }) {
  if (report.kind === "SUBMITTED") {
    return (
      <span>
        Submitted <LocalDate value={report.submittedAt!} withTime /> by {report.submittedBy ?? "—"}{" "}
        {report.onTime ? <Badge tone="green">On time</Badge> : <Badge tone="amber">Late</Badge>} · read-only
      </span>
    );
  }
  if (report.kind === "CURRENT") {
    return <span>The month is not over: figures fill in as your product servers report. It can be submitted from the first day of next month.</span>;
  }
  return (
    <span>
      Due <LocalDate value={report.dueAt} withTime /> <Badge tone={report.health === "MISSING" ? "red" : "amber"}>{report.dueLabel}</Badge>
    </span>
  );
}

function LicenseRows({ license: l, report }: { license: LicenseRowView; report: ReportView }) {
  const span = Math.max(1, l.rows.length);
  const first = (
    <>
      <Td rowSpan={span} className="align-top whitespace-normal">
        <Link className="font-medium text-brand-800 underline-offset-2 hover:underline" href={`/licenses/${encodeURIComponent(l.licenseId)}`}>
          {l.licenseId}
        </Link>
        <span className="block text-xs text-slate-700">{l.product}</span>
        {l.description && <span className="block max-w-56 text-xs text-slate-600">{l.description}</span>}
      </Td>
    </>
  );
  const extension = (
    <Td rowSpan={span} className="align-top text-xs">
      {l.extension ? (
        <span>
          {l.extension.from} → <strong>{l.extension.to}</strong>
        </span>
      ) : (
        <span className="text-slate-600">Not extended: {l.notExtendedReason}</span>
      )}
    </Td>
  );
  if (l.rows.length === 0) {
    return (
      <tr>
        {first}
        <Td colSpan={4} className="text-slate-600">No workload types</Td>
        {extension}
      </tr>
    );
  }
  return (
    <>
      {l.rows.map((r, i) => (
        <tr key={r.workloadType}>
          {i === 0 && first}
          <Td className="align-top">{typeName(l.productId, r.workloadType)}</Td>
          <Td className="text-right align-top">
            <span className="tabular-nums">{n(r.reportedCount)}</span>
            <span className="ml-auto block max-w-72 whitespace-normal text-xs text-slate-600">{r.sourceLabel}</span>
          </Td>
          <Td className="text-right align-top">
            <AdjustableCount period={report.period} licenseId={l.licenseId} productId={l.productId} row={r} editable={report.editable} />
          </Td>
          <Td className="text-right tabular-nums align-top">{n(r.points)}</Td>
          {i === 0 && extension}
        </tr>
      ))}
    </>
  );
}

function AdjustableCount({
  period, licenseId, productId, row, editable,
}: {
  period: string;
  licenseId: string;
  productId: string;
  row: LicenseRowView["rows"][number];
  editable: boolean;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [count, setCount] = useState(String(row.count));
  const [reason, setReason] = useState(row.adjustmentReason ?? "");
  const adjust = useAdjust(period);
  const adjusted = row.count !== row.reportedCount || row.adjustmentReason !== null;
  const what = `${typeName(productId, row.workloadType)} of ${licenseId}`;
  const value = count.trim() === "" ? Number.NaN : Number(count);
  const errors = adjustmentRefusals(row.reportedCount, value, reason);
  const countError = errors.find((e) => e.path === "count")?.message;
  const reasonError = errors.find((e) => e.path === "reason")?.message;
  const lowered = Number.isFinite(value) && value < row.reportedCount;

  if (!editing) {
    return (
      <div className="flex flex-col items-end gap-1">
        <span className="tabular-nums font-medium">{n(row.count)}</span>
        {row.adjustmentReason && <span className="max-w-56 whitespace-normal text-xs text-slate-600">Reason: {row.adjustmentReason}</span>}
        {adjusted && !row.adjustmentReason && <span className="text-xs text-slate-600">adjusted</span>}
        {editable && (
          <button type="button" className="text-xs font-medium text-brand-800 underline-offset-2 hover:underline" onClick={() => setEditing(true)}>
            Adjust<span className="sr-only"> the count of {what}</span>
          </button>
        )}
      </div>
    );
  }
  return (
    <form
      className="flex w-64 flex-col items-stretch gap-2 text-left whitespace-normal"
      onSubmit={(e) => {
        e.preventDefault();
        if (errors.length) return;
        adjust.mutate(
          { licenseId, workloadType: row.workloadType, count: value, reason: reason.trim() || null },
          { onSuccess: () => setEditing(false) },
        );
      }}
    >
      <FormField id={`${id}-count`} label={`Count of ${what}`} error={countError}>
        <input id={`${id}-count`} className={inputClass} type="number" inputMode="numeric" min={0} max={MAX_ROW_COUNT} step={1} value={count}
          onChange={(e) => setCount(e.target.value)} {...fieldAria(`${id}-count`, countError)} />
      </FormField>
      {(lowered || reason) && (
        <FormField id={`${id}-reason`} label="Reason for the lower count" error={reasonError} hint={`Your servers reported ${row.reportedCount}.`}>
          <input id={`${id}-reason`} className={inputClass} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)}
            {...fieldAria(`${id}-reason`, reasonError, "hint")} />
        </FormField>
      )}
      <div className="flex flex-wrap justify-end gap-2">
        {adjusted && (
          <Button variant="ghost" disabled={adjust.isPending}
            onClick={() => adjust.mutate({ licenseId, workloadType: row.workloadType, count: null }, { onSuccess: () => setEditing(false) })}>
            Use reported
          </Button>
        )}
        <Button variant="secondary" onClick={() => { setEditing(false); setCount(String(row.count)); setReason(row.adjustmentReason ?? ""); }}>
          Cancel
        </Button>
        <Button type="submit" disabled={adjust.isPending || errors.length > 0}>Save</Button>
      </div>
    </form>
  );
}

function ManualRows({ report }: { report: ReportView }) {
  const remove = useRemoveManualRow(report.period);
  return (
    <Table caption={`Manual rows of ${periodLabel(report.period)}`}>
      <thead>
        <tr>
          <Th>Product</Th>
          <Th>Workload type</Th>
          <Th className="text-right">Workloads</Th>
          <Th className="text-right">Points</Th>
          {report.editable && (
            <Th>
              <span className="sr-only">Remove</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {report.manualRows.length === 0 && <EmptyRow colSpan={report.editable ? 5 : 4}>No manual rows.</EmptyRow>}
        {report.manualRows.map((r: ManualRowView) => (
          <tr key={r.id}>
            <Td>{r.product}</Td>
            <Td>{typeName(r.productId, r.workloadType)}</Td>
            <Td className="text-right tabular-nums">{n(r.count)}</Td>
            <Td className="text-right tabular-nums">{n(r.points)}</Td>
            {report.editable && (
              <Td className="text-right">
                <Button variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate(r)}>
                  Remove<span className="sr-only"> {r.count} {typeName(r.productId, r.workloadType)} of {r.product}</span>
                </Button>
              </Td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function AddManualRow({ period }: { period: string }) {
  const id = useId();
  const [productId, setProductId] = useState("");
  const [workloadType, setWorkloadType] = useState("");
  const [count, setCount] = useState("");
  const [touched, setTouched] = useState(false);
  const add = useAddManualRow(period);
  const product = PRODUCTS.find((p) => p.id === productId);
  const parsed = manualRowInput.safeParse({ productId, workloadType, count: count.trim() === "" ? Number.NaN : Number(count) });
  const error = (path: string) => (touched && !parsed.success ? parsed.error.issues.find((i) => i.path[0] === path)?.message : undefined);
  const points = parsed.success ? pointsFor(parsed.data.productId, [{ type: parsed.data.workloadType, count: parsed.data.count }]) : null;
  return (
    <form
      aria-label="Add a manual row"
      className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_1fr_8rem_auto]"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!parsed.success) return;
        add.mutate(parsed.data, {
          onSuccess: () => {
            setCount("");
            setTouched(false);
          },
        });
      }}
    >
      <FormField id={`${id}-product`} label="Product" error={error("productId")}>
        <select id={`${id}-product`} className={inputClass} value={productId} onChange={(e) => { setProductId(e.target.value); setWorkloadType(""); }}
          {...fieldAria(`${id}-product`, error("productId"))}>
          <option value="">Select a product</option>
          {PRODUCTS.map((p) => (
            <option key={p.id} value={p.id}>{productLabel(p)}</option>
          ))}
        </select>
      </FormField>
      <FormField id={`${id}-type`} label="Workload type" error={error("workloadType")}>
        <select id={`${id}-type`} className={inputClass} value={workloadType} disabled={!product} onChange={(e) => setWorkloadType(e.target.value)}
          {...fieldAria(`${id}-type`, error("workloadType"))}>
          <option value="">Select a workload type</option>
          {product?.workloadTypes.map((t) => (
            <option key={t.id} value={t.id}>{t.name} ({t.weight} pt)</option>
          ))}
        </select>
      </FormField>
      <FormField id={`${id}-count`} label="Workloads" error={error("count")}>
        <input id={`${id}-count`} className={inputClass} type="number" inputMode="numeric" min={1} max={MAX_ROW_COUNT} step={1} value={count}
          onChange={(e) => { setCount(e.target.value); setTouched(true); }} {...fieldAria(`${id}-count`, error("count"))} />
      </FormField>
      <div className="flex flex-col justify-end gap-1">
        <p className="text-xs text-slate-600" aria-live="polite">{points === null ? "\u00a0" : `${n(points)} points`}</p>
        <Button type="submit" disabled={add.isPending}>Add row</Button>
      </div>
    </form>
  );
}

function Hints({ report }: { report: ReportView }) {
  const add = useAddManualRow(report.period);
  return (
    <div className="mt-6">
      <h3 className="mb-1 font-semibold">Reported by servers of licenses that are not auto-reported</h3>
      <p className="mb-3 text-sm text-slate-600">These figures are not counted unless you use them as a manual row.</p>
      <ul className="space-y-2">
        {report.hints.map((h: HintView) => (
          <li key={`${h.licenseId}-${h.workloadType}`} className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm">
            <span>
              <strong>{h.licenseId}</strong> · {h.product} · {typeName(h.productId, h.workloadType)}: <strong>{n(h.count)}</strong>
              <span className="block text-xs text-slate-700">{h.sourceLabel}</span>
            </span>
            {report.editable && (
              <Button variant="secondary" disabled={add.isPending}
                onClick={() => add.mutate({ productId: h.productId, workloadType: h.workloadType, count: h.count })}>
                Use this figure<span className="sr-only"> ({h.count} {typeName(h.productId, h.workloadType)} of {h.licenseId})</span>
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Totals({ report }: { report: ReportView }) {
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit(report.period);
  const label = periodLabel(report.period);
  const canSubmit = report.editable && report.kind === "DUE";
  const { extensions } = report;
  return (
    <Card title="Totals">
      <dl className="grid grid-cols-[1fr_auto] gap-y-1 text-sm">
        <dt className="text-slate-600">Auto-reported ({report.totals.autoLicenses} licenses)</dt>
        <dd className="text-right tabular-nums">{n(report.totals.autoPoints)} points</dd>
        <dt className="text-slate-600">Manual rows</dt>
        <dd className="text-right tabular-nums">{n(report.totals.manualPoints)} points</dd>
        <dt className="border-t border-slate-200 pt-1 font-semibold">Total</dt>
        <dd className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums" data-testid="total-points">{n(report.totals.totalPoints)} points</dd>
      </dl>
      {report.kind === "SUBMITTED" && (
        <p className="mt-3 text-sm text-slate-700">{extensions.count} license key{extensions.count === 1 ? " was" : "s were"} extended by {MONTHLY_EXTENSION_DAYS} days with this report.</p>
      )}
      {canSubmit && (
        <>
          <p className="mt-3 text-sm text-slate-700">
            Submitting closes {label}; {extensions.count} auto-reported license{extensions.count === 1 ? "" : "s"} will be extended by {MONTHLY_EXTENSION_DAYS} days.
          </p>
          <Button className="mt-3 w-full" disabled={submit.isPending} onClick={() => setConfirming(true)}>
            {submit.isPending && <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white" />}
            {submit.isPending ? "Submitting…" : "Submit Usage"}
          </Button>
        </>
      )}
      {!report.editable && report.kind === "DUE" && <p className="mt-3 text-sm text-slate-600">Only an administrator of your organization can submit usage.</p>}
      <ConfirmDialog
        open={confirming}
        title={`Confirm to Submit: ${label}`}
        confirmLabel="Confirm to Submit"
        pending={submit.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => submit.mutate(undefined, { onSettled: () => setConfirming(false) })}
      >
        <p>
          {label} closes: its {report.totals.autoLicenses} auto-reported license{report.totals.autoLicenses === 1 ? "" : "s"} and {report.manualRows.length} manual row
          {report.manualRows.length === 1 ? "" : "s"} become read-only, {n(report.totals.totalPoints)} points in all.
        </p>
        {extensions.count > 0 ? (
          <>
            <p>
              {extensions.count} license{extensions.count === 1 ? " is" : "s are"} extended by {MONTHLY_EXTENSION_DAYS} days, each with a new key version:
            </p>
            <ul className="max-h-40 list-disc overflow-y-auto pl-5">
              {extensions.preview.map((e) => (
                <li key={e.licenseId}>
                  {e.licenseId}: {e.from} → <strong>{e.to}</strong>
                </li>
              ))}
              {extensions.count > extensions.preview.length && <li>and {n(extensions.count - extensions.preview.length)} more</li>}
            </ul>
          </>
        ) : (
          <p>No license is extended.</p>
        )}
        {extensions.notExtended > 0 && (
          <p>{extensions.notExtended} license{extensions.notExtended === 1 ? " is" : "s are"} not extended (expired, or the contract is not active).</p>
        )}
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </Card>
  );
}
