"use client";

// A report's manual rows: the table (with each row's change against last month), "Copy last
// month's rows", the form that adds one, and the figures reported by servers of licenses that are
// not auto-reported (hints), which can become manual rows.
import { useId, useState } from "react";
import { PRODUCTS, productLabel } from "@/lib/domain/catalog";
import { changeAgainstLastMonth, duplicateManualRow, manualRowsToCopy, MAX_ROW_COUNT } from "@/lib/domain/monthly-report";
import { pointsFor } from "@/lib/domain/points";
import { manualRowInput, type HintView, type ManualRowView, type ReportView } from "@/lib/schemas/usage";
import { Button } from "../ui/button";
import { FormField, fieldAria, inputClass } from "../ui/form-field";
import { countOf, formatNumber } from "../ui/format";
import { EmptyRow, Table, Td, Th } from "../ui/table";
import { n, typeName } from "./format";
import { useAddManualRow, useCopyPreviousRows, useRemoveManualRow } from "./hooks";
import { periodLabel } from "./period-label";

function Change({ change }: { change: number | null }) {
  if (change === null) return <span className="text-slate-600">new</span>;
  if (change === 0) return <span className="text-slate-600">same</span>;
  return <span className={change > 0 ? "text-amber-800" : "text-blue-800"}>{change > 0 ? `+${formatNumber(change)}` : `−${formatNumber(-change)}`}</span>;
}

export function ManualRows({ report }: { report: ReportView }) {
  const remove = useRemoveManualRow(report.period);
  const hasPrevious = report.previousManualRows.length > 0;
  const columns = 4 + (hasPrevious ? 1 : 0) + (report.editable ? 1 : 0);
  return (
    <Table caption={`Manual rows of ${periodLabel(report.period)}`}>
      <thead>
        <tr>
          <Th>Product</Th>
          <Th>Workload type</Th>
          <Th className="text-right">Workloads</Th>
          {hasPrevious && <Th className="text-right">Against last month</Th>}
          <Th className="text-right">Points</Th>
          {report.editable && (
            <Th>
              <span className="sr-only">Remove</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {report.manualRows.length === 0 && (
          <EmptyRow colSpan={columns}>{report.editable ? "No manual rows yet." : "No manual rows."}</EmptyRow>
        )}
        {report.manualRows.map((r: ManualRowView) => (
          <tr key={r.id}>
            <Td label="Product" className="whitespace-normal">{r.product}</Td>
            <Td label="Workload type" className="whitespace-normal">{typeName(r.productId, r.workloadType)}</Td>
            <Td label="Workloads" className="text-right tabular-nums">{n(r.count)}</Td>
            {hasPrevious && (
              <Td label="Against last month" className="text-right tabular-nums">
                <Change change={changeAgainstLastMonth(r, report.previousManualRows)} />
              </Td>
            )}
            <Td label="Points" className="text-right tabular-nums">{n(r.points)}</Td>
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

/** "Copy last month's rows", offered while last month has rows this month lacks. */
export function CopyPreviousRows({ report }: { report: ReportView }) {
  const copy = useCopyPreviousRows(report.period);
  const missing = manualRowsToCopy(report.previousManualRows, report.manualRows);
  if (!report.editable || missing.length === 0) return null;
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm">
      <p className="text-slate-700">
        Last month had {countOf(missing.length, "row")} this month does not have yet:{" "}
        {missing.map((r) => `${formatNumber(r.count)} ${typeName(r.productId, r.workloadType)}`).join(", ")}.
      </p>
      <Button variant="secondary" disabled={copy.isPending} onClick={() => copy.mutate(undefined)}>
        {copy.isPending ? "Copying…" : "Copy last month's rows"}
      </Button>
    </div>
  );
}

export function AddManualRow({ report }: { report: ReportView }) {
  const id = useId();
  const [productId, setProductId] = useState("");
  const [workloadType, setWorkloadType] = useState("");
  const [count, setCount] = useState("");
  const [touched, setTouched] = useState(false);
  const add = useAddManualRow(report.period);
  const product = PRODUCTS.find((p) => p.id === productId);
  const parsed = manualRowInput.safeParse({ productId, workloadType, count: count.trim() === "" ? Number.NaN : Number(count) });
  const duplicate = productId && workloadType && duplicateManualRow(report.manualRows, { productId, workloadType })
    ? "This month already has a row for this workload type: remove it first to enter another count."
    : undefined;
  const error = (path: string) =>
    !touched ? undefined : (path === "workloadType" && duplicate) || (!parsed.success ? parsed.error.issues.find((i) => i.path[0] === path)?.message : undefined);
  const points = parsed.success ? pointsFor(parsed.data.productId, [{ type: parsed.data.workloadType, count: parsed.data.count }]) : null;
  return (
    <form
      aria-label="Add a manual row"
      // The page's own messages, not the browser's popups (a negative count says why at the field).
      noValidate
      className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 xl:grid-cols-[1fr_1fr_8rem_auto]"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!parsed.success || duplicate) return;
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
        <select id={`${id}-type`} className={inputClass} value={workloadType} disabled={!product} onChange={(e) => { setWorkloadType(e.target.value); setTouched(true); }}
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
        <p className="text-xs text-slate-600" aria-live="polite">{points === null ? "\u00a0" : countOf(points, "point")}</p>
        <Button type="submit" disabled={add.isPending}>Add row</Button>
      </div>
    </form>
  );
}

export function Hints({ report }: { report: ReportView }) {
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
