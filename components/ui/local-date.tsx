"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A date or time in the viewer's locale, with the UTC value on hover. The server renders the
 * UTC text; the browser swaps in its own locale after hydration.
 */
export function LocalDate({ value, withTime = false }: { value: string | Date; withTime?: boolean }) {
  const d = typeof value === "string" ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  const utc = withTime ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : d.toISOString().slice(0, 10);
  const local = useSyncExternalStore(
    subscribe,
    () =>
      withTime
        ? d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
        : d.toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" }),
    () => utc,
  );
  return (
    <time dateTime={d.toISOString()} title={utc}>
      {local}
    </time>
  );
}
