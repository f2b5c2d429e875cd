import { formatNumber } from "./format";
import { ButtonLink } from "./button";

/**
 * Previous / Next links for a list paginated on the server. `href(page)` builds the address of a
 * page with the list's other parameters kept.
 */
export function Pagination({ page, pageSize, total, noun, href }: { page: number; pageSize: number; total: number; noun: string; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (target: number, label: string, off: boolean) => (
    <ButtonLink
      variant="secondary"
      href={href(target)}
      aria-disabled={off || undefined}
      className={off ? "pointer-events-none opacity-50" : ""}
      tabIndex={off ? -1 : undefined}
    >
      {label}
    </ButtonLink>
  );
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p>{total === 0 ? `0 ${noun}` : `${(page - 1) * pageSize + 1}–${Math.min(page * pageSize, total)} of ${formatNumber(total)} ${noun}`}</p>
      <div className="flex items-center gap-2">
        {link(page - 1, "Previous", page <= 1)}
        <span>
          Page {page} of {pages}
        </span>
        {link(page + 1, "Next", page >= pages)}
      </div>
    </nav>
  );
}

/** The address of a list with `changes` applied to its query parameters (empty values dropped). */
export function listHref(path: string, params: Record<string, string | number | undefined>, changes: Record<string, string | number | undefined> = {}) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v !== undefined && v !== "" && !(k === "page" && Number(v) <= 1)) s.set(k, String(v));
  const q = s.toString();
  return q ? `${path}?${q}` : path;
}
