// The simulation's timeline picture: one band per license group (provider profile / server kind),
// days from left to right; grey bars are the update checks of the day, orange the failed ones,
// the red line the licenses of the group that have expired, shaded columns the outages. Bars use a
// square-root scale, so that a normal day stays visible beside the retries of an outage.
import type { DaySeries } from "./simulation";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function timelineSvg(series: readonly DaySeries[], groups: readonly string[], sizes: Record<string, number>, outages: readonly { from: Date; to: Date }[], title: string): string {
  const left = 190;
  const width = 1100;
  const band = 78;
  const top = 48;
  const plotW = width - left - 20;
  const shown = groups.filter((g) => (sizes[g] ?? 0) > 0);
  const height = top + shown.length * band + 40;
  const days = Math.max(1, series.length);
  const x = (i: number) => left + (i / days) * plotW;
  const maxChecks = Math.max(1, ...series.flatMap((d) => shown.map((g) => d.groups[g]?.checks ?? 0)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="${left}" y="34" fill="#555">grey: update checks per day (square-root scale, max ${maxChecks}) · orange: failed checks · red line: share of the group's licenses expired · pink: outage</text>`);
  const bar = (n: number, h: number) => Math.sqrt(n / maxChecks) * h * 0.6;
  // Outages and month lines.
  series.forEach((d, i) => {
    const t = Date.parse(`${d.day}T12:00:00Z`);
    if (outages.some((o) => t >= o.from.getTime() - 12 * 3_600_000 && t < o.to.getTime() + 12 * 3_600_000)) {
      out.push(`<rect x="${x(i).toFixed(1)}" y="${top}" width="${(plotW / days).toFixed(2)}" height="${shown.length * band}" fill="#fde2e2"/>`);
    }
    if (d.day.endsWith("-01")) {
      out.push(`<line x1="${x(i).toFixed(1)}" y1="${top}" x2="${x(i).toFixed(1)}" y2="${top + shown.length * band}" stroke="#ddd"/>`);
      out.push(`<text x="${(x(i) + 2).toFixed(1)}" y="${top + shown.length * band + 14}" fill="#555">${d.day.slice(0, 7)}</text>`);
    }
  });
  shown.forEach((g, k) => {
    const y0 = top + k * band;
    const base = y0 + band - 8;
    const h = band - 18;
    const size = sizes[g] ?? 1;
    out.push(`<line x1="${left}" y1="${base}" x2="${left + plotW}" y2="${base}" stroke="#999"/>`);
    const last = series.at(-1)?.groups[g]?.expired ?? 0;
    out.push(`<text x="8" y="${y0 + band / 2 - 6}">${esc(g)}</text><text x="8" y="${y0 + band / 2 + 8}" fill="#555">${size} licenses</text>`);
    out.push(`<text x="8" y="${y0 + band / 2 + 22}" fill="#c0392b">${last} expired at the end</text>`);
    const bw = Math.max(0.5, plotW / days - 0.3);
    series.forEach((d, i) => {
      const c = d.groups[g];
      if (!c) return;
      if (c.checks) out.push(`<rect x="${x(i).toFixed(1)}" y="${(base - bar(c.checks, h)).toFixed(1)}" width="${bw.toFixed(2)}" height="${bar(c.checks, h).toFixed(1)}" fill="#aaa"/>`);
      if (c.failed) out.push(`<rect x="${x(i).toFixed(1)}" y="${(base - bar(c.failed, h)).toFixed(1)}" width="${bw.toFixed(2)}" height="${bar(c.failed, h).toFixed(1)}" fill="#f39c12"/>`);
    });
    const pts = series.map((d, i) => `${(x(i) + bw / 2).toFixed(1)},${(base - ((d.groups[g]?.expired ?? 0) / size) * h).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="#c0392b" stroke-width="1.5"/>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
