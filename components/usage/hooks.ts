"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { findWorkloadType } from "@/lib/domain/catalog";
import type { AdjustmentInput, ManualRowInput } from "@/lib/schemas/usage";
import type { ManualRowView, ReportView, SubmitResult } from "@/lib/schemas/usage";
import { api, ApiError, failure, UNREACHABLE } from "../api";
import { countOf, formatNumber } from "../ui/format";
import { periodLabel } from "./period-label";

const reportKey = (period: string) => ["usage-report", period] as const;

export function useReport(period: string, page: number, initial?: ReportView) {
  return useQuery({
    queryKey: [...reportKey(period), page],
    queryFn: () => api<ReportView>(`/api/portal/usage/${period}?page=${page}`),
    initialData: page === initial?.licenses.page ? initial : undefined,
    placeholderData: keepPreviousData,
  });
}

function useReportMutation<V, R>(period: string, fn: (v: V) => Promise<R>, success: (r: R, v: V) => string, notDone: (v: V) => string) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: fn,
    onSuccess: (r, v) => {
      toast.success(success(r, v));
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
    // What failed and what it means, with a retry of the same change.
    onError: (error, v) => {
      toast.error(failure(error, notDone(v)), { action: { label: "Try again", onClick: () => mutation.mutate(v) } });
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
  });
  return mutation;
}

export function useAddManualRow(period: string) {
  return useReportMutation(
    period,
    (row: ManualRowInput) => api<ManualRowView>(`/api/portal/usage/${period}/rows`, { method: "POST", json: row }),
    (r) => `Added ${formatNumber(r.count)} × ${findWorkloadType(r.productId, r.workloadType)?.name ?? r.workloadType} (${r.product}): ${countOf(r.points, "point")}.`,
    () => "The row was not added.",
  );
}

export function useCopyPreviousRows(period: string) {
  return useReportMutation(
    period,
    () => api<{ added: ManualRowView[] }>(`/api/portal/usage/${period}/rows/copy-previous`, { method: "POST" }),
    (r) => `Copied ${countOf(r.added.length, "row")} from last month. Check each count before you submit.`,
    () => "No row was copied.",
  );
}

export function useRemoveManualRow(period: string) {
  return useReportMutation(
    period,
    (row: ManualRowView) => api(`/api/portal/usage/${period}/rows/${row.id}`, { method: "DELETE" }),
    (_r, row) => `Removed the row ${formatNumber(row.count)} × ${findWorkloadType(row.productId, row.workloadType)?.name ?? row.workloadType} (${row.product}).`,
    () => "The row was not removed.",
  );
}

export function useAdjust(period: string) {
  return useReportMutation(
    period,
    (a: AdjustmentInput) => api(`/api/portal/usage/${period}/adjustments`, { method: "PUT", json: a }),
    (_r, a) => (a.count === null ? `${a.licenseId} ${a.workloadType}: back to the reported figure.` : `${a.licenseId} ${a.workloadType}: count set to ${formatNumber(a.count)}.`),
    (a) => `The count of ${a.licenseId} was not changed.`,
  );
}

/**
 * Submit Usage. A failure is not toasted: the confirmation stays open and says what happened
 * (submitFailure), and the report is read again, since an unreachable portal may have submitted.
 */
export function useSubmit(period: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<SubmitResult>(`/api/portal/usage/${period}/submit`, { method: "POST" }),
    onSuccess: (r) => {
      toast.success(
        `Usage for ${periodLabel(r.period)} submitted ${r.onTime ? "on time" : "late"}: ${countOf(r.totalPoints, "point")}; ${countOf(r.extended.length, "license key")} extended by one month.`,
      );
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
    onError: () => client.invalidateQueries({ queryKey: reportKey(period) }),
  });
}

/** What a failed Submit Usage did and did not do. */
export function submitFailure(error: Error, period: string): string {
  const label = periodLabel(period);
  if (error instanceof ApiError && error.unreachable) {
    return `${UNREACHABLE} We cannot tell whether ${label} was submitted; this page shows it as soon as the portal answers. Trying again is safe: a month is never submitted twice.`;
  }
  return failure(error, `${label} was not submitted and nothing was changed.`);
}
