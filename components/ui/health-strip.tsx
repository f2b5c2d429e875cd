import Link from "next/link";
import { cn } from "./cn";
import { formatNumber } from "./format";

export interface HealthTile {
  label: string;
  count: number;
  href: string;
  /** The tone when the count is above zero; zero is always calm. */
  tone: "red" | "amber";
  /** What zero means, in words. */
  none: string;
  hint?: string;
}

const TONE = {
  red: "border-red-300 bg-red-50 text-red-900 hover:bg-red-100",
  amber: "border-amber-300 bg-amber-50 text-amber-950 hover:bg-amber-100",
  calm: "border-slate-200 bg-white text-slate-700 hover:bg-slate-50",
};

/** A row of counts that answer "are my keys safe?", each a link to the list it counts. */
export function HealthStrip({ tiles }: { tiles: HealthTile[] }) {
  return (
    <nav aria-label="Health" className="mb-6">
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((t) => (
          <li key={t.label}>
            <Link
              href={t.href}
              data-testid={`health-${t.href}`}
              className={cn("block h-full rounded-lg border p-3 shadow-sm", t.count > 0 ? TONE[t.tone] : TONE.calm)}
            >
              <span className="block text-2xl font-semibold tabular-nums">{formatNumber(t.count)}</span>
              <span className="block text-sm font-medium">{t.label}</span>
              <span className="block text-xs opacity-80">{t.count > 0 ? t.hint ?? "View them" : t.none}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
