"use client";

import { useSyncExternalStore } from "react";
import { formatDate, formatDateTime, formatDeadline, formatUtc, toDate } from "./format";

const subscribe = () => () => {};

/**
 * A date, an instant or a deadline through the one formatter (./format): the server renders the
 * UTC text, the browser swaps in its own locale and time zone after hydration. An instant names
 * its zone; a deadline also shows UTC beside it when the viewer's zone is another.
 */
export function LocalDate({ value, withTime = false, deadline = false }: { value: string | Date; withTime?: boolean; deadline?: boolean }) {
  const d = toDate(value);
  const timed = withTime || deadline;
  const server = timed ? formatUtc(d, "en-US") : formatDate(d, "en-US");
  const local = useSyncExternalStore(
    subscribe,
    () => (deadline ? formatDeadline(d) : withTime ? formatDateTime(d) : formatDate(d)),
    () => server,
  );
  return (
    <time dateTime={timed ? d.toISOString() : d.toISOString().slice(0, 10)} title={timed ? formatUtc(d) : undefined}>
      {local}
    </time>
  );
}
