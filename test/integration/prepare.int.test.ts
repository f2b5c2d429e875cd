// `npm start` prepares the database each time it starts: restarting never loses or duplicates data.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { prepareDatabase } from "@/scripts/lib/prepare";
import { cloneTemplate, testDbKind } from "../databases";

/** The migrations an empty database gets (prisma/migrations). */
const MIGRATIONS = readdirSync("prisma/migrations", { withFileTypes: true }).filter((d) => d.isDirectory()).length;

const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-prepare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testDbKind() === "sqlite") return { url: `file:${path.join(dir, "fresh.db")}`, drop: async () => {} };
  return cloneTemplate("template0");
}

async function counts(url: string) {
  const db = createDb({ url });
  try {
    return {
      organizations: await db.organization.count(),
      users: await db.user.count(),
      contracts: await db.contract.count(),
      monthlyReports: await db.monthlyReport.count(),
    };
  } finally {
    await db.$disconnect();
  }
}

describe("prepareDatabase", () => {
  it("migrates and loads the demo data into an empty database once; a restart changes nothing", async () => {
    const { url, drop } = await emptyDatabase();
    try {
      const first = await prepareDatabase(url);
      expect(first.join("\n")).toMatch(new RegExp(`applied ${MIGRATIONS} migration`));
      expect(first.join("\n")).toMatch(/demo data loaded/);
      const after1 = await counts(url);
      expect(after1).toMatchObject({ organizations: 2, users: 4, contracts: 3 });

      // Something a user did between restarts survives the restart.
      const db = createDb({ url });
      await db.organization.update({ where: { name: "Acme Cloud Services" }, data: { autoReportingEnabled: true } });
      await db.$disconnect();

      expect(await prepareDatabase(url)).toEqual([]);
      expect(await counts(url)).toEqual(after1);
      const check = createDb({ url });
      expect((await check.organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" } })).autoReportingEnabled).toBe(true);
      await check.$disconnect();
    } finally {
      await drop();
    }
  });

  it("loads every past period as submitted on time except the one that just ended", async () => {
    const { url, drop } = await emptyDatabase();
    try {
      await prepareDatabase(url);
      const db = createDb({ url });
      try {
        const reports = await db.monthlyReport.findMany({ where: { organization: { name: "Acme Cloud Services" } }, orderBy: { period: "asc" } });
        const now = new Date();
        const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
        expect(reports.length).toBe(5);
        expect(reports.every((r) => r.status === "SUBMITTED" && r.onTime)).toBe(true);
        const last = reports[reports.length - 1].period;
        expect(last < current).toBe(true);
        // The period that just ended has no report yet: it is open and due.
        const lastEnded = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
        expect(reports.some((r) => r.period === lastEnded)).toBe(false);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await drop();
    }
  });
});
