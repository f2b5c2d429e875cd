"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { formatDate } from "../ui/format";

const day = (ms: number) => formatDate(new Date(ms));

/** The license's expiration date over time, one step per key version. */
export function ExpirationChart({ versions }: { versions: { version: number; issuedAt: string; expirationDate: string }[] }) {
  const points = [...versions]
    .sort((a, b) => a.version - b.version)
    .map((v) => ({ at: Date.parse(v.issuedAt), expires: Date.parse(`${v.expirationDate}T00:00:00Z`), version: v.version }));
  const summary = points.map((p) => `version ${p.version} on ${day(p.at)}: expires ${day(p.expires)}`).join("; ");
  return (
    <figure>
      <div className="h-64 w-full" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={day} fontSize={12} />
            <YAxis dataKey="expires" type="number" domain={["dataMin - 864000000", "dataMax + 864000000"]} tickFormatter={day} fontSize={12} width={88} />
            <Tooltip
              labelFormatter={(v) => `Issued ${day(Number(v))}`}
              formatter={(v, _n, item) => [day(Number(v)), `Expiration (v${(item.payload as { version: number }).version})`]}
            />
            <Line type="stepAfter" dataKey="expires" stroke="#00753a" strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">Expiration date by key version: {summary}</figcaption>
    </figure>
  );
}
