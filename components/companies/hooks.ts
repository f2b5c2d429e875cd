"use client";

import { useQuery } from "@tanstack/react-query";
import type { CompanyList } from "@/lib/schemas/companies";
import { api } from "../api";

/** The organization's companies (archived ones too), for the license filter and the assign form. */
export function useCompanies() {
  return useQuery({ queryKey: ["companies"], queryFn: () => api<CompanyList>("/api/portal/companies") });
}
