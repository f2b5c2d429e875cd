// The simulator as a property test of the whole system: the same seed gives a byte-identical
// summary, and a planted fault is caught by an invariant with the seed to replay it.
import { describe, expect, it, vi } from "vitest";
import { addMonths } from "@/lib/domain/dates";
import { EXIT } from "../core/errors";
import { simulateCommand, type SimulateFlags } from "./command";

const flags = (o: Partial<SimulateFlags> = {}): SimulateFlags => ({
  licenses: 200, months: 6, seed: 20261203, missRate: 0.15, lateRate: 0.15, autoSubmitRate: 0.2, manualRate: 0.25,
  outage: ["2027-03-30..2027-04-02"], terminate: 1, start: "2027-01-04", svg: `${process.env.PULSE_DATA_DIR}/sim.svg`, db: "sqlite", json: true, progress: false, ...o,
});

async function run(f: SimulateFlags, plant?: Parameters<typeof simulateCommand>[2]) {
  const lines: string[] = [];
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const code = await simulateCommand(f, (l) => void lines.push(l), plant);
    return { code, out: lines.join("\n"), err: errors.mock.calls.map((c) => c.join(" ")).join("\n") };
  } finally {
    errors.mockRestore();
  }
}

describe("agent simulate", () => {
  // On SQLite the full 200 × 6 run, twice; on PostgreSQL (its suite runs the same files) a shorter
  // run, once, so that the simulator's store paths are exercised there too without doubling the time.
  const pg = process.env.PULSE_TEST_DB === "pg";
  it(pg ? "runs on PostgreSQL too (a short run)" : "200 licenses over 6 months with a fixed seed: no violation, and the same JSON summary twice", async () => {
    if (pg) {
      const r = await run(flags({ licenses: 40, months: 2, db: "postgresql" }));
      expect(r.err).toBe("");
      expect(JSON.parse(r.out).violation).toBeNull();
      return;
    }
    const first = await run(flags());
    expect(first.err).toBe("");
    expect(first.code).toBe(EXIT.ok);
    const summary = JSON.parse(first.out);
    expect(summary.violation).toBeNull();
    expect(summary.checks.NotRequired).toBeGreaterThan(0);
    expect(summary.checks.ConnectionFailed).toBeGreaterThan(0); // the outage
    expect(summary.extended.byProductReport).toBeGreaterThan(0);
    expect(summary.extended.bySubmitUsage).toBeGreaterThan(0);
    expect(summary.turnedOff.ContractTerminated).toBeGreaterThan(0);
    expect(summary.invariantsChecked).toBeGreaterThan(10_000);
    const second = await run(flags());
    expect(second.out).toBe(first.out);
  }, 240_000);

  it("a planted fault, a license extended a second time for a period its product's report already extended, is caught, with the seed to replay it", async () => {
    const { getDb } = await import("@/lib/db");
    let planted = false;
    const r = await run(flags({ licenses: 30, months: 3, outage: [] }), async (e) => {
      if (planted || e.type !== "report" || e.result.kind !== "stored" || !e.result.answer.licenseExtendedTo) return;
      planted = true;
      // The fault: the extension is applied twice (the license moves another month).
      const license = await getDb().license.findFirstOrThrow({ where: { expirationDate: e.result.answer.licenseExtendedTo }, select: { id: true, expirationDate: true } });
      await getDb().license.update({ where: { id: license.id }, data: { expirationDate: addMonths(license.expirationDate, 1) } });
    });
    expect(planted).toBe(true);
    expect(r.code).toBe(EXIT.invariantViolated);
    expect(r.err).toMatch(/Invariant violated at .*: a license expires on the day the rules say/);
    expect(r.err).toMatch(/Replay: npm run agent -- simulate --licenses 30 --months 3 --seed 20261203/);
  }, 120_000);

  it("a planted lost report, acknowledged but not stored, is caught", async () => {
    const { getDb } = await import("@/lib/db");
    let planted = false;
    const r = await run(flags({ licenses: 20, months: 1, outage: [], terminate: 0 }), async (e) => {
      if (planted || e.type !== "report" || e.result.kind !== "stored") return;
      planted = true;
      await getDb().usageReport.deleteMany({ where: { reportId: e.body.reportId } });
    });
    expect(r.code).toBe(EXIT.invariantViolated);
    expect(r.err).toMatch(/every acknowledged report is stored exactly once/);
  }, 120_000);
});
