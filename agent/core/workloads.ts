// Workload figures a product reports: `TYPE=COUNT` arguments or a workloads file.
import { MAX_COUNT } from "../../lib/schemas/product-api";
import { AgentError } from "./errors";

export interface Workload {
  type: string;
  count: number;
  newCount?: number;
}

function count(text: string, where: string): number {
  if (!/^\d+$/.test(text)) throw new AgentError(`${where}: the count must be a whole number, got "${text}".`);
  const n = Number(text);
  if (n > MAX_COUNT) throw new AgentError(`${where}: the count is at most ${MAX_COUNT}.`);
  return n;
}

/** `["VBR_VM=120", "VBR_SERVER=3"]` -> workloads; a type given twice is an error. */
export function parseWorkloadArgs(args: readonly string[]): Workload[] {
  if (args.length === 0) throw new AgentError("Give at least one workload as TYPE=COUNT, for example --workload VBR_VM=120.");
  const out: Workload[] = [];
  for (const a of args) {
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(a.trim());
    if (!m) throw new AgentError(`Workload "${a}": write it as TYPE=COUNT, for example VBR_VM=120.`);
    if (out.some((w) => w.type === m[1])) throw new AgentError(`Workload type ${m[1]} is given twice.`);
    out.push({ type: m[1], count: count(m[2], `Workload ${m[1]}`) });
  }
  return out;
}

/** A workloads file: `{ "VBR_VM": 120 }` or `[{ "type": "VBR_VM", "count": 120 }]`. */
export function parseWorkloadsFile(text: string, file = "the workloads file"): Workload[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AgentError(`${file} is not JSON: write { "VBR_VM": 120 } or [{ "type": "VBR_VM", "count": 120 }].`);
  }
  const pairs: [string, string][] = Array.isArray(data)
    ? data.map((w: { type?: unknown; count?: unknown }) => [String(w?.type ?? ""), String(w?.count ?? "")])
    : data && typeof data === "object"
      ? Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, String(v)])
      : [];
  if (pairs.length === 0) throw new AgentError(`${file} lists no workloads.`);
  return parseWorkloadArgs(pairs.map(([t, c]) => `${t}=${c}`));
}
