"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { findWorkloadType } from "@/lib/domain/catalog";
import type { AdjustmentInput, ManualRowInput } from "@/lib/schemas/usage";
import type { ManualRowView, ReportView, SubmitResult } from "@/lib/schemas/usage";
import { api } from "../api";
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

function useReportMutation<V, R>(period: string, fn: (v: V) => Promise<R>, success: (r: R, v: V) => string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r, v) => {
      toast.success(success(r, v));
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
    onError: (error) => toast.error(error.message),
  });
}

export function useAddManualRow(period: string) {
  return useReportMutation(
    period,
    (row: ManualRowInput) => api<ManualRowView>(`/api/portal/usage/${period}/rows`, { method: "POST", json: row }),
    (r) => `Added ${r.count} × ${findWorkloadType(r.productId, r.workloadType)?.name ?? r.workloadType} (${r.product}): ${r.points} points.`,
  );
}

export function useRemoveManualRow(period: string) {
  return useReportMutation(
    period,
    (row: ManualRowView) => api(`/api/portal/usage/${period}/rows/${row.id}`, { method: "DELETE" }),
    (_r, row) => `Removed the row ${row.count} × ${findWorkloadType(row.productId, row.workloadType)?.name ?? row.workloadType} (${row.product}).`,
  );
}

export function useAdjust(period: string) {
  return useReportMutation(
    period,
    (a: AdjustmentInput) => api(`/api/portal/usage/${period}/adjustments`, { method: "PUT", json: a }),
    (_r, a) => (a.count === null ? `${a.licenseId} ${a.workloadType}: back to the reported figure.` : `${a.licenseId} ${a.workloadType}: count set to ${a.count}.`),
  );
}

export function useSubmit(period: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<SubmitResult>(`/api/portal/usage/${period}/submit`, { method: "POST" }),
    onSuccess: (r) => {
      toast.success(
        `Usage for ${periodLabel(r.period)} submitted ${r.onTime ? "on time" : "late"}: ${r.totalPoints} points; ${r.extended.length} license key${r.extended.length === 1 ? "" : "s"} extended by one month.`,
      );
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
    onError: (error) => {
      toast.error(error.message);
      return client.invalidateQueries({ queryKey: reportKey(period) });
    },
  });
}
