// The demo data of PRODUCT-API.md, loaded by `npm start` into an empty database.
// Dates are relative to `now`, so the demo always has "the period that just ended" open and due.
import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db";
import { firstDateOf, periodOf, periodRange, shiftPeriod } from "../lib/domain/dates";
import { DEFAULT_DUE_DAY, reportDueAt } from "../lib/domain/reporting";

export const DEMO_PASSWORD = "pulse-demo-1";

export const DEMO_USERS = {
  alice: "alice@acme.test",
  victor: "victor@acme.test",
  bob: "bob@globex.test",
  sam: "sam@support.test",
} as const;

/** How many months before the current one the demo contracts started. */
const HISTORY_MONTHS = 6;

export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.organization.count()) === 0 && (await db.user.count()) === 0;
}

export async function loadDemoData(db: Db, now: Date): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const current = periodOf(now);
  const firstPeriod = shiftPeriod(current, -HISTORY_MONTHS);
  const lastEnded = shiftPeriod(current, -1);
  const contractStart = firstDateOf(firstPeriod);

  await db.$transaction(async (tx) => {
    const sam = await tx.user.create({
      data: { email: DEMO_USERS.sam, name: "Sam Support", passwordHash, role: "SUPPORT_STAFF" },
    });

    const acme = await tx.organization.create({ data: { name: "Acme Cloud Services" } });
    await tx.user.createMany({
      data: [
        { email: DEMO_USERS.alice, name: "Alice Admin", passwordHash, role: "PROVIDER_ADMIN", organizationId: acme.id },
        { email: DEMO_USERS.victor, name: "Victor Viewer", passwordHash, role: "PROVIDER_VIEWER", organizationId: acme.id },
      ],
    });
    await tx.contract.create({
      data: { organizationId: acme.id, number: "02553275", type: "NO_COMMIT", startDate: contractStart, dueDay: DEFAULT_DUE_DAY },
    });

    const globex = await tx.organization.create({
      data: {
        name: "Globex Hosting",
        autoReportingEnabled: true,
        autoReportingChangedAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - HISTORY_MONTHS, 15)),
        autoReportingChangedById: sam.id,
      },
    });
    const bob = await tx.user.create({
      data: { email: DEMO_USERS.bob, name: "Bob Admin", passwordHash, role: "PROVIDER_ADMIN", organizationId: globex.id },
    });
    await tx.contract.create({
      data: { organizationId: globex.id, number: "03110042", type: "NO_COMMIT", startDate: contractStart, dueDay: DEFAULT_DUE_DAY },
    });
    await tx.contract.create({
      data: {
        organizationId: globex.id,
        number: "04000001",
        type: "VOLUME",
        status: "TERMINATED",
        startDate: contractStart,
        endDate: firstDateOf(current),
        pointsLimit: 5000,
        terminatedAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 20)),
        dueDay: DEFAULT_DUE_DAY,
      },
    });

    // Every past period submitted on time, except the one that just ended (open and due).
    const alice = await tx.user.findUniqueOrThrow({ where: { email: DEMO_USERS.alice } });
    for (const [org, submitter] of [[acme, alice], [globex, bob]] as const) {
      for (const period of periodRange(firstPeriod, shiftPeriod(lastEnded, -1))) {
        const dueAt = reportDueAt(period, DEFAULT_DUE_DAY);
        const submittedAt = new Date(Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), 5, 9, 30));
        await tx.monthlyReport.create({
          data: {
            organizationId: org.id,
            period,
            status: "SUBMITTED",
            dueAt,
            submittedAt,
            submittedById: submitter.id,
            onTime: true,
          },
        });
      }
    }
  }, { timeout: 60_000 });
}
