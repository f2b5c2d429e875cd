// How the agent prints what happened: one line per session, as text or as JSON.
import type { SessionLine } from "./server";

export function formatSession(s: SessionLine, json: boolean): string {
  if (json) return JSON.stringify(s);
  return [s.at, s.action.padEnd(7), s.result.padEnd(22), s.message, s.detail ? `(${s.detail})` : "", `next: ${s.next}`].filter(Boolean).join("  ");
}
