"use client";

// The auto-reported licenses of a report: one row per workload type, each count adjustable
// while the report is editable.
import Link from "next/link";
import { useId, useState } from "react";
import { adjustmentRefusals, MAX_ROW_COUNT } from "@/lib/domain/monthly-report";
import type { LicenseRowView, ReportView } from "@/lib/schemas/usage";
import { Button } from "../ui/button";
import { FormField, fieldAria, inputClass } from "../ui/form-field";
import { LocalDate } from "../ui/local-date";
import { Td } from "../ui/table";
import { n, typeName } from "./format";
import { useAdjust } from "./hooks";

export function LicenseRows({ license: l, report }: { license: LicenseRowView; report: ReportView }) {
  const span = Math.max(1, l.rows.length);
  const first = (
    <>
      <Td label="License" rowSpan={span} className="align-top whitespace-normal">
        <Link className="font-medium text-brand-800 underline-offset-2 hover:underline" href={`/licenses/${encodeURIComponent(l.licenseId)}`}>
          {l.licenseId}
        </Link>
        <span className="block text-xs text-slate-700">{l.product}</span>
        {l.description && <span className="block max-w-56 text-xs text-slate-600">{l.description}</span>}
      </Td>
    </>
  );
  const extension = (
    <Td label={report.kind === "SUBMITTED" ? "Extended" : "On submit"} rowSpan={span} className="align-top text-xs">
      {l.extension ? (
        <span>
          <LocalDate value={l.extension.from} /> → <strong><LocalDate value={l.extension.to} /></strong>
          {l.extendedByProduct && <span className="block text-slate-600">Already extended by its product&apos;s monthly report</span>}
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
          <Td label="Workload type" className="align-top">{typeName(l.productId, r.workloadType)}</Td>
          <Td label="Current Month Usage" className="text-right align-top">
            <span className="tabular-nums">{n(r.reportedCount)}</span>
            <span className="ml-auto block max-w-72 whitespace-normal text-xs text-slate-600">{r.sourceLabel}</span>
          </Td>
          <Td label="Count" className="text-right align-top">
            <AdjustableCount period={report.period} licenseId={l.licenseId} productId={l.productId} row={r} editable={report.editable} />
          </Td>
          <Td label="Points" className="text-right tabular-nums align-top">{n(r.points)}</Td>
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
