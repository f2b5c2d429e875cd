"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { failure } from "../api";
import { PRODUCTS, productLabel } from "@/lib/domain/catalog";
import { UNASSIGNED, USAGE_TYPE_LABEL } from "@/lib/domain/companies";
import { useCompanies } from "../companies/hooks";
import { LICENSE_STATES, type LicenseState } from "@/lib/domain/licenses";
import { Button, ButtonLink } from "../ui/button";
import { cn } from "../ui/cn";
import { inputClass } from "../ui/form-field";
import { countOf, formatNumber } from "../ui/format";
import { LocalDate } from "../ui/local-date";
import { relativeDays } from "../ui/relative-days";
import { EmptyRow, Table, Td, Th } from "../ui/table";
import { AutoReportedSwitch } from "./auto-reported-switch";
import { toSearch, useLicenseList, type LicenseListParams } from "./hooks";
import { LicenseStateBadge, STATE_LABEL } from "./state-badge";

const RESULT_LABEL: Record<string, string> = {
  Success: "New key received",
  NotRequired: "Up to date",
  UnsupportedLicenseType: "Unsupported license type",
  ContractTerminated: "Contract terminated",
  InvalidLicense: "Invalid license",
  GenerationFailed: "Generation failed",
};

function paramsFrom(search: URLSearchParams): LicenseListParams {
  return {
    query: search.get("query") ?? "",
    product: search.get("product") ?? "",
    company: search.get("company") ?? "",
    state: search.get("state") ?? "",
    collected: search.get("collected") === "no" ? "no" : "",
    sort: search.get("sort") ?? "live",
    dir: search.get("dir") === "desc" ? "desc" : "asc",
    page: Math.max(1, Number(search.get("page")) || 1),
    pageSize: 50,
  };
}

const COLUMNS: { key: string; label: string; sort?: string }[] = [
  { key: "licenseId", label: "License ID", sort: "licenseId" },
  { key: "product", label: "Product", sort: "product" },
  { key: "description", label: "Description and company", sort: "description" },
  { key: "auto", label: "Auto Reported License" },
  { key: "expirationDate", label: "Expiration date", sort: "expirationDate" },
  { key: "points", label: "Points", sort: "points" },
  { key: "state", label: "State" },
  { key: "lastCheck", label: "Last check" },
];

/** The list's address after `changes`: other filters kept, the page back to 1 unless it is the change, defaults left out. */
export function mergeSearch(current: string, changes: Partial<LicenseListParams>): string {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === "" || v === undefined || v === null || (k === "sort" && v === "live") || (k === "page" && v === 1)) next.delete(k);
    else next.set(k, String(v));
  }
  if (!("page" in changes)) next.delete("page");
  return next.toString();
}

export function LicensesTable({
  canEdit, organizationHasFeature, today, requestLink,
}: { canEdit: boolean; organizationHasFeature: boolean; today: string; /** How to get the feature (RequestAutoReporting, rendered on the server). */ requestLink?: ReactNode }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const params = paramsFrom(search);
  const [text, setText] = useState(params.query);
  const list = useLicenseList(params);
  const companies = useCompanies();

  // Each change merges into the address as it is when it applies (other filters kept), and a
  // filter chosen while the search box waits carries the typed text along. The address changes
  // through the History API: the list reads it client-side, so no server render is needed, and
  // the page is not mounted anew (which would drop what is typed).
  const update = (changes: Partial<LicenseListParams>) => {
    const withText = "query" in changes ? changes : { ...changes, query: text.trim() };
    window.history.replaceState(null, "", `${pathname}?${mergeSearch(window.location.search, withText)}`);
  };

  // Search as the provider types, once they pause.
  useEffect(() => {
    if (text.trim() === params.query) return;
    const t = setTimeout(() => update({ query: text.trim() }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <div className="space-y-4">
      {!organizationHasFeature && (
        <div id="auto-reporting-disabled" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
          <p>
            <strong>Auto Reported License is unavailable:</strong> automatic license reporting is not enabled for your organization. Continue
            submitting license usage manually until it is enabled.
          </p>
          {requestLink}
        </div>
      )}
      {!canEdit && (
        <p id="read-only" className="text-sm text-slate-600">
          You have read-only access: you can see the licenses but not change them. Ask an administrator of your organization for changes.
        </p>
      )}
      {params.collected === "no" && (
        <p className="rounded-md border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-blue-950">
          Showing the auto-reported keys renewed since any product server last checked: the servers still run the previous key, which expires
          unless automatic license update collects the new one (or you install it by hand).{" "}
          <button type="button" className="font-medium underline" onClick={() => update({ collected: "" })}>
            Show all keys
          </button>
        </p>
      )}

      <div className="flex flex-wrap items-end gap-3" role="search">
        <div className="min-w-56 flex-1">
          <label htmlFor="license-search" className="block text-sm font-medium text-slate-800">
            Search
          </label>
          <input id="license-search" type="search" className={inputClass} placeholder="License ID or description" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <FilterSelect
          id="license-product"
          label="Product"
          value={params.product}
          allLabel="All products"
          options={PRODUCTS.map((p) => [p.id, productLabel(p)])}
          onChange={(product) => update({ product })}
        />
        <FilterSelect
          id="license-company"
          label="Company"
          value={params.company}
          allLabel="All companies"
          options={[["none", UNASSIGNED], ...(companies.data?.items ?? []).map((c): [string, string] => [c.id, c.archivedAt ? `${c.name} (archived)` : c.name])]}
          onChange={(company) => update({ company })}
        />
        <FilterSelect
          id="license-state"
          label="State"
          value={params.state}
          allLabel="All states"
          options={LICENSE_STATES.map((st) => [st, STATE_LABEL[st]])}
          onChange={(state) => update({ state })}
        />
      </div>

      <Table caption="License keys">
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const sorted = c.sort && params.sort === c.sort;
              return (
                <Th key={c.key} aria-sort={sorted ? (params.dir === "asc" ? "ascending" : "descending") : undefined}>
                  {c.sort ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
                      onClick={() => update({ sort: c.sort, dir: sorted && params.dir === "asc" ? "desc" : "asc" })}
                    >
                      {c.label}
                      <span aria-hidden>{sorted ? (params.dir === "asc" ? "▲" : "▼") : ""}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </Th>
              );
            })}
          </tr>
        </thead>
        <tbody className={cn("divide-y divide-slate-100 transition-opacity", list.isPlaceholderData && "opacity-50")} aria-busy={list.isFetching}>
          {list.isError && !data && (
            <tr>
              <td colSpan={COLUMNS.length} className="px-4 py-8 text-center text-sm text-slate-700">
                <p role="alert">{failure(list.error, "The licenses could not be shown; nothing was changed.")}</p>
                <Button variant="secondary" className="mt-3" onClick={() => list.refetch()}>
                  Try again
                </Button>
              </td>
            </tr>
          )}
          {!data && list.isPending && <EmptyRow colSpan={COLUMNS.length}>Loading licenses…</EmptyRow>}
          {data && data.items.length === 0 && (
            <EmptyRow colSpan={COLUMNS.length}>
              {params.query || params.product || params.company || params.state || params.collected
                ? "No license matches these filters."
                : canEdit
                  ? "No license keys yet. Create one with New License Key."
                  : "No license keys yet."}
            </EmptyRow>
          )}
          {data?.items.map((item) => {
            const refusal = item.toggleRefusal;
            return (
              <tr key={item.licenseId} data-testid={`license-row-${item.licenseId}`}>
                <Td label="License ID" className="font-mono text-xs">
                  <Link href={`/licenses/${encodeURIComponent(item.licenseId)}`} className="font-medium text-brand-800 underline-offset-2 hover:underline">
                    {item.licenseId}
                  </Link>
                </Td>
                <Td label="Product" className="min-w-44 whitespace-normal">
                  {item.productName}
                  {item.productEdition && <span className="block text-xs text-slate-600">{item.productEdition}</span>}
                </Td>
                {/* The company under the description: one column fewer, so that the list fits 1280 px. */}
                <Td label="Description and company" className="min-w-32 max-w-56 whitespace-normal break-words" title={item.description}>
                  {item.description || <span className="text-slate-500">—</span>}
                  <span className="mt-0.5 block text-xs text-slate-600">
                    {item.companyName ?? UNASSIGNED}
                    {item.usageType && ` · ${USAGE_TYPE_LABEL[item.usageType]}`}
                  </span>
                </Td>
                <Td label="Auto Reported License">
                  <div>
                    <AutoReportedSwitch
                      licenseId={item.licenseId}
                      autoReported={item.autoReported}
                      expirationDate={item.expirationDate}
                      today={today}
                      disabled={!canEdit || refusal !== null}
                      describedBy={!organizationHasFeature ? "auto-reporting-disabled" : !canEdit ? "read-only" : refusal ? `refusal-${item.licenseId}` : undefined}
                    />
                    {refusal && organizationHasFeature && (
                      <span id={`refusal-${item.licenseId}`} className="mt-1 block w-32 whitespace-normal text-xs text-slate-600">
                        {refusal}
                      </span>
                    )}
                  </div>
                </Td>
                <Td label="Expiration date">
                  <LocalDate value={item.expirationDate} />
                  <span className={cn("block text-xs", item.expirationDate <= today && !item.state.startsWith("REVOKED") ? "font-medium text-red-700" : "text-slate-600")}>
                    {relativeDays(item.expirationDate, today)}
                  </span>
                </Td>
                <Td label="Points" className="tabular-nums">{formatNumber(item.points)}</Td>
                <Td label="State">
                  <LicenseStateBadge state={item.state as LicenseState} />
                </Td>
                <Td label="Last check" className="min-w-32 whitespace-normal text-xs">
                  {item.lastCheckAt ? (
                    <>
                      <LocalDate value={item.lastCheckAt} withTime />
                      <span className="block text-slate-600">{RESULT_LABEL[item.lastCheckResult ?? ""] ?? item.lastCheckResult}</span>
                    </>
                  ) : (
                    <span className="text-slate-600">Never</span>
                  )}
                  {item.awaitingCollection && (
                    <span className="mt-1 block font-medium text-amber-800" title="Renewed since any product server last checked: the servers still run the previous key">
                      New key not collected
                    </span>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {list.isError && data && (
        <p role="alert" className="text-sm text-red-800">
          {failure(list.error, "The list below is the one shown before.")}{" "}
          <button type="button" className="font-medium underline" onClick={() => list.refetch()}>
            Try again
          </button>
        </p>
      )}

      {data && (
        <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
          <p>
            {data.total === 0
              ? "0 licenses"
              : `${(data.page - 1) * data.pageSize + 1}–${Math.min(data.page * data.pageSize, data.total)} of ${countOf(data.total, "license")}`}
          </p>
          <div className="flex items-center gap-2">
            <ButtonLink
              variant="secondary"
              href={`${pathname}?${toSearch({ ...params, sort: params.sort === "live" ? undefined : params.sort, pageSize: undefined, page: params.page - 1 })}`}
              aria-disabled={params.page <= 1}
              className={params.page <= 1 ? "pointer-events-none opacity-50" : ""}
              tabIndex={params.page <= 1 ? -1 : undefined}
            >
              Previous
            </ButtonLink>
            <span>
              Page {params.page} of {pages}
            </span>
            <ButtonLink
              variant="secondary"
              href={`${pathname}?${toSearch({ ...params, sort: params.sort === "live" ? undefined : params.sort, pageSize: undefined, page: params.page + 1 })}`}
              aria-disabled={params.page >= pages}
              className={params.page >= pages ? "pointer-events-none opacity-50" : ""}
              tabIndex={params.page >= pages ? -1 : undefined}
            >
              Next
            </ButtonLink>
          </div>
        </nav>
      )}
    </div>
  );
}

function FilterSelect(props: { id: string; label: string; value: string; allLabel: string; options: [string, string][]; onChange: (value: string) => void }) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <select id={props.id} className={inputClass} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.allLabel}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
