"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { LicenseListItem, LicenseListPage } from "@/lib/schemas/licenses";
import { api } from "../api";

export interface LicenseListParams {
  query: string;
  product: string;
  state: string;
  sort: string;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}


export function toSearch(p: Partial<LicenseListParams>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== "" && v !== undefined && v !== null) s.set(k, String(v));
  return s.toString();
}

export function useLicenseList(params: LicenseListParams) {
  return useQuery({
    queryKey: ["licenses", params],
    queryFn: () => api<LicenseListPage>(`/api/portal/licenses?${toSearch(params)}`),
    placeholderData: keepPreviousData,
  });
}

/** The Auto Reported License toggle: PATCH, then refresh every license list and say what happened. */
export function useToggleAutoReported() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { licenseId: string; autoReported: boolean }) =>
      api<LicenseListItem>(`/api/portal/licenses/${encodeURIComponent(v.licenseId)}`, { method: "PATCH", json: { autoReported: v.autoReported } }),
    onSuccess: (license) => {
      toast.success(
        license.autoReported
          ? `${license.licenseId} is auto-reported now; it expires ${license.expirationDate}. A new key version was issued.`
          : `${license.licenseId} is no longer auto-reported; report its usage manually. A new key version was issued.`,
      );
      return client.invalidateQueries({ queryKey: ["licenses"] });
    },
    onError: (error) => toast.error(error.message),
  });
}
