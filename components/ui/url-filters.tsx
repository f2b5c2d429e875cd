"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { inputClass } from "./form-field";

export interface FilterDef {
  name: string;
  label: string;
  allLabel: string;
  options: readonly (readonly [string, string])[];
}

/**
 * Filters of a list rendered on the server: each change rewrites the address (page back to 1),
 * and the server renders the filtered page. An optional text search applies once typing pauses.
 */
export function UrlFilters({ filters, search }: { filters: FilterDef[]; search?: { label: string; placeholder: string } }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState(params.get("query") ?? "");

  // Merges into the address as it is when the change applies (a search landing after a filter
  // was chosen keeps the filter), not as it was when the change was made.
  const apply = (name: string, value: string) => {
    const next = new URLSearchParams(window.location.search);
    // A filter chosen while the search box waits carries the typed text along: the new page is
    // rendered anew on the server, and what is typed would be lost with the old one.
    if (search && name !== "query") {
      if (text.trim()) next.set("query", text.trim());
      else next.delete("query");
    }
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("page");
    const q = next.toString();
    startTransition(() => router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false }));
  };

  useEffect(() => {
    if (!search || text === (params.get("query") ?? "")) return;
    const t = setTimeout(() => apply("query", text.trim()), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  return (
    <div className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-busy={pending}>
      {search && (
        <div className="min-w-56 flex-1">
          <label htmlFor="filter-query" className="block text-sm font-medium text-slate-800">
            {search.label}
          </label>
          <input id="filter-query" type="search" className={inputClass} placeholder={search.placeholder} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      )}
      {filters.map((f) => (
        <div key={f.name}>
          <label htmlFor={`filter-${f.name}`} className="block text-sm font-medium text-slate-800">
            {f.label}
          </label>
          <select id={`filter-${f.name}`} className={inputClass} value={params.get(f.name) ?? ""} onChange={(e) => apply(f.name, e.target.value)}>
            <option value="">{f.allLabel}</option>
            {f.options.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ))}
    </div>
  );
}
