"use client";

// A license's company and usage type on its page; admins change them here (viewers read them).
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { UNASSIGNED, USAGE_TYPE_LABEL, USAGE_TYPES, type UsageType } from "@/lib/domain/companies";
import type { LicenseCompanyResult } from "@/lib/schemas/companies";
import { api, failure } from "../api";
import { Button } from "../ui/button";
import { FormField, inputClass } from "../ui/form-field";
import { useCompanies } from "./hooks";

export function AssignCompany(props: { licenseId: string; companyId: string | null; companyName: string | null; usageType: UsageType | null; canEdit: boolean }) {
  const router = useRouter();
  const client = useQueryClient();
  const companies = useCompanies();
  const [companyId, setCompanyId] = useState(props.companyId ?? "");
  const [usageType, setUsageType] = useState<UsageType | "">(props.usageType ?? "");
  const [pending, setPending] = useState(false);

  if (!props.canEdit) {
    return (
      <p className="text-sm" data-testid="license-company">
        {props.companyName ?? UNASSIGNED}
        {props.usageType && <span className="text-slate-600"> · {USAGE_TYPE_LABEL[props.usageType]}</span>}
      </p>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    try {
      const body = companyId ? { companyId, usageType: usageType || "SINGLE_CUSTOMER" } : { companyId: null, usageType: null };
      const r = await api<LicenseCompanyResult>(`/api/portal/licenses/${encodeURIComponent(props.licenseId)}/company`, { method: "PUT", json: body });
      toast.success(r.companyName ? `${props.licenseId} is assigned to ${r.companyName} (${USAGE_TYPE_LABEL[r.usageType!]}).` : `${props.licenseId} is unassigned.`);
      await client.invalidateQueries({ queryKey: ["licenses"] });
      await client.invalidateQueries({ queryKey: ["companies"] });
      router.refresh();
    } catch (error) {
      toast.error(failure(error, `${props.licenseId} keeps its company.`));
    } finally {
      setPending(false);
    }
  }

  const choices = (companies.data?.items ?? []).filter((c) => !c.archivedAt || c.id === props.companyId);
  return (
    <form onSubmit={submit} className="space-y-3" aria-label={`Company of ${props.licenseId}`}>
      <FormField id="license-company" label="Company">
        <select id="license-company" className={inputClass} value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
          <option value="">{UNASSIGNED}</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </FormField>
      {companyId && (
        <FormField id="license-usage-type" label="Usage type">
          <select id="license-usage-type" className={inputClass} value={usageType || "SINGLE_CUSTOMER"} onChange={(e) => setUsageType(e.target.value as UsageType)}>
            {USAGE_TYPES.map((t) => (
              <option key={t} value={t}>
                {USAGE_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </FormField>
      )}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : "Save company"}
      </Button>
    </form>
  );
}
