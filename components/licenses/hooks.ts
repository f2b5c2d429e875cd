"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { LicenseListItem, LicenseListPage } from "@/lib/schemas/licenses";
import { api, failure } from "../api";
import { formatDate } from "../ui/format";

export interface LicenseListParams {
  query: string;
  product: string;
  /** A company's id, or "none" (unassigned). */
  company: string;
  state: string;
  /** "no": only keys awaiting collection. */
  collected: "" | "no";
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
  const router = useRouter();
  const mutation = useMutation({
    mutationFn: (v: { licenseId: string; autoReported: boolean }) =>
      api<LicenseListItem>(`/api/portal/licenses/${encodeURIComponent(v.licenseId)}`, { method: "PATCH", json: { autoReported: v.autoReported } }),
    onSuccess: (license) => {
      toast.success(
        license.autoReported
          ? `${license.licenseId} is auto-reported now; it expires ${formatDate(license.expirationDate)}. A new key version was issued.`
          : `${license.licenseId} is no longer auto-reported; report its usage manually. A new key version was issued.`,
      );
      router.refresh(); // the license page is rendered on the server
      return client.invalidateQueries({ queryKey: ["licenses"] });
    },
    onError: (error, v) =>
      toast.error(failure(error, `${v.licenseId} was not changed: it is still ${v.autoReported ? "not auto-reported" : "auto-reported"}.`), {
        action: { label: "Try again", onClick: () => mutation.mutate(v) },
      }),
  });
  return mutation;
}
