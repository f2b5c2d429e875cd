"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageOverview } from "@/lib/schemas/usage";
import { countOf, formatMonthShort, formatNumber } from "../ui/format";
import { periodLabel } from "./period-label";

/** Points per month over the last 12 months; late reports in amber, months not submitted empty. */
export function PointsChart({ data }: { data: UsageOverview["chart"] }) {
  const rows = data.map((d) => ({ ...d, value: d.points ?? 0, short: formatMonthShort(d.period) }));
  const summary = data.map((d) => `${periodLabel(d.period)}: ${d.points === null ? "not submitted" : `${countOf(d.points, "point")}${d.onTime === false ? " (late)" : ""}`}`).join("; ");
  return (
    <figure>
      <div className="h-60 w-full" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="short" fontSize={12} />
            <YAxis fontSize={12} width={64} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} />
            <Tooltip
              labelFormatter={(_l, payload) => (payload?.[0] ? periodLabel((payload[0].payload as { period: string }).period) : "")}
              formatter={(_v, _n, item) => {
                const p = item.payload as { points: number | null; onTime: boolean | null };
                return [p.points === null ? "not submitted" : `${formatNumber(p.points)}${p.onTime === false ? " (late)" : ""}`, "Points"];
              }}
            />
            <Bar dataKey="value" isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.period} fill={r.onTime === false ? "#b45309" : "#00753a"} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">Points per month: {summary}</figcaption>
    </figure>
  );
}
