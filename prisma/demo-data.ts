// The demo data of PRODUCT-API.md, loaded by `npm start` into an empty database.
// Dates are relative to `now`, so the demo always has "the period that just ended" open and due.
import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db";
import { addDays, addMonths, firstDateOf, periodOf, periodRange, shiftPeriod, toDateString } from "../lib/domain/dates";
import { extendedExpiration, initialAutoReportedExpiration, supportExpirationFor } from "../lib/domain/licenses";
import { licenseInPeriod } from "../lib/domain/monthly-report";
import { pointsFor } from "../lib/domain/points";
import { DEFAULT_DUE_DAY, reportDueAt } from "../lib/domain/reporting";
import type { Tx } from "../lib/db";
import type { Context } from "../lib/server/context";
import { issueKeyVersions, licenseForKeySelect } from "../lib/server/key-versions";

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
    const submissions: { orgId: string; period: string; reportId: string; submittedAt: Date }[] = [];
    for (const [org, submitter] of [[acme, alice], [globex, bob]] as const) {
      for (const period of periodRange(firstPeriod, shiftPeriod(lastEnded, -1))) {
        const dueAt = reportDueAt(period, DEFAULT_DUE_DAY);
        const submittedAt = new Date(Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), 5, 9, 30));
        const report = await tx.monthlyReport.create({
          data: { organizationId: org.id, period, status: "SUBMITTED", dueAt, submittedAt, submittedById: submitter.id, onTime: true },
        });
        submissions.push({ orgId: org.id, period, reportId: report.id, submittedAt });
      }
    }

    const today = toDateString(now);
    const contracts = await tx.contract.findMany({ select: { id: true, number: true, endDate: true } });
    const contractId = (n: string) => contracts.find((c) => c.number === n)!.id;
    const acmeUser = { type: "user" as const, userId: alice.id, email: alice.email, role: alice.role, organizationId: acme.id };
    const bobUser = { type: "user" as const, userId: bob.id, email: bob.email, role: bob.role, organizationId: globex.id };

    // Acme: two rental licenses that are not auto-reported and one NFR license without a contract.
    await demoLicense(tx, { actor: acmeUser, now: daysAgo(now, 120) }, {
      licenseId: "LIC-ACME1-00001", organizationId: acme.id, contractId: contractId("02553275"), type: "RENTAL", productId: "VBR_ENT",
      description: "Primary datacenter backup", workloads: [{ type: "VBR_VM", count: 120 }, { type: "VBR_Server_Agent", count: 10 }],
      autoReported: false, expirationDate: addMonths(today, 6),
    });
    await demoLicense(tx, { actor: acmeUser, now: daysAgo(now, 60) }, {
      licenseId: "LIC-ACME1-00002", organizationId: acme.id, contractId: contractId("02553275"), type: "RENTAL", productId: "VB365",
      description: "Microsoft 365 tenants", workloads: [{ type: "VB365_User", count: 250 }], autoReported: false, expirationDate: addMonths(today, 3),
    });
    await demoLicense(tx, { actor: acmeUser, now: daysAgo(now, 30) }, {
      licenseId: "LIC-ACME1-NFR01", organizationId: acme.id, contractId: null, type: "NFR", productId: "VBR_ENTPLUS",
      description: "Lab (NFR)", workloads: [{ type: "VBR_VM", count: 20 }], autoReported: false, expirationDate: addMonths(today, 12),
    });

    // Globex: auto-reported licenses, each extended by every on-time report since it was created,
    // and one license under the terminated contract.
    const autoLicenses = [
      { licenseId: "LIC-GLBX1-00001", productId: "VBR_ENTPLUS", description: "Hosted backup cluster A", workloads: [{ type: "VBR_VM", count: 300 }, { type: "VBR_Server_Agent", count: 40 }], createdMonthsAgo: HISTORY_MONTHS },
      { licenseId: "LIC-GLBX1-00002", productId: "VCC", description: "Cloud Connect tenants", workloads: [{ type: "CC_VM_Backup", count: 80 }, { type: "CC_VM_Replica", count: 10 }], createdMonthsAgo: 3 },
      { licenseId: "LIC-GLBX1-00003", productId: "VB365", description: "Microsoft 365 hosted backup", workloads: [{ type: "VB365_User", count: 500 }], createdMonthsAgo: 2 },
    ];
    for (const l of autoLicenses) {
      const created = firstDateOf(shiftPeriod(current, -l.createdMonthsAgo));
      const license = await demoLicense(tx, { actor: bobUser, now: new Date(`${created}T10:00:00Z`) }, {
        ...l, organizationId: globex.id, contractId: contractId("03110042"), type: "RENTAL", autoReported: true,
        expirationDate: initialAutoReportedExpiration(created),
      });
      for (const sub of submissions.filter((s) => s.orgId === globex.id && s.submittedAt.getTime() > Date.parse(`${created}T10:00:00Z`))) {
        const before = await tx.license.findUniqueOrThrow({ where: { id: license.id }, select: licenseForKeySelect });
        const toDate = extendedExpiration(
          { autoReported: true, revoked: false, expirationDate: before.expirationDate, contract: { status: "ACTIVE", endDate: null } },
          { today: toDateString(sub.submittedAt), onTime: true },
        );
        if (!toDate) continue;
        await issueKeyVersions(tx, { actor: { type: "system" }, now: sub.submittedAt }, [{
          license: before,
          changes: { expirationDate: toDate, supportExpirationDate: supportExpirationFor(toDate) },
          reason: "EXTENDED",
          extension: { period: sub.period, monthlyReportId: sub.reportId, usageReportId: null },
        }]);
      }
    }
    // What Globex's backup servers reported for the period that just ended: weekly high
    // watermarks from two installations of the first license, and one of each of the others.
    const installs: [string, string, number[]][] = [
      ["LIC-GLBX1-00001", "vbr-globex-ams-01", [280, 295, 301, 298]],
      ["LIC-GLBX1-00001", "vbr-globex-fra-02", [35, 38, 40, 41]],
      ["LIC-GLBX1-00002", "vcc-globex-ams-01", [70, 74, 78, 79]],
      ["LIC-GLBX1-00003", "vb365-globex-01", [480, 488, 495, 502]],
    ];
    for (const [licenseId, installationId, counts] of installs) {
      const lic = await tx.license.findUniqueOrThrow({ where: { licenseId }, select: { id: true, productId: true, currentVersion: true } });
      const type = { VBR_ENTPLUS: "VBR_VM", VCC: "CC_VM_Backup", VB365: "VB365_User" }[lic.productId]!;
      const seen = new Date(`${firstDateOf(lastEnded)}T02:00:00Z`);
      await tx.installation.create({
        // Seen by their update checks since; one server has been silent for 10 days (a notification).
        data: { organizationId: globex.id, licenseId: lic.id, installationId, productVersion: "13.0.1.1071", firstSeenAt: seen, lastSeenAt: daysAgo(now, installationId === "vcc-globex-ams-01" ? 10 : 1) },
      });
      for (const [week, count] of counts.entries()) {
        const collectedAt = new Date(`${addDays(firstDateOf(lastEnded), 7 * week + 2)}T03:00:00Z`);
        await tx.usageReport.create({
          data: {
            organizationId: globex.id, licenseId: lic.id, installationId, reportId: `${installationId}-${lastEnded}-w${week + 1}`,
            kind: "weekly", period: lastEnded, collectedAt, receivedAt: new Date(collectedAt.getTime() + 60_000),
            contentHash: `demo-${installationId}-${week}`, versionPresented: lic.currentVersion,
            workloads: { create: [{ type, count, newCount: week === 0 ? 0 : Math.max(0, count - counts[week - 1]) }] },
          },
        });
      }
    }
    // The lines of every submitted past report, so that history, CSV and the points chart show
    // figures: Globex's auto-reported licenses near their key's workloads, Acme's manual rows.
    for (const [i, sub] of submissions.entries()) {
      const grow = 0.8 + 0.03 * (i % HISTORY_MONTHS);
      const lines: { source: "AUTO" | "MANUAL"; licenseId: string | null; productId: string; workloadType: string; reportedCount: number | null; count: number; sourceDetail: string | null }[] = [];
      if (sub.orgId === globex.id) {
        for (const l of autoLicenses) {
          const created = new Date(`${firstDateOf(shiftPeriod(current, -l.createdMonthsAgo))}T10:00:00Z`);
          if (!licenseInPeriod(created, sub.period)) continue;
          const { id } = await tx.license.findUniqueOrThrow({ where: { licenseId: l.licenseId }, select: { id: true } });
          for (const w of l.workloads) {
            const count = Math.round(w.count * grow);
            lines.push({ source: "AUTO", licenseId: id, productId: l.productId, workloadType: w.type, reportedCount: count, count, sourceDetail: JSON.stringify([{ installationId: `${l.licenseId.toLowerCase()}-srv`, kind: "monthly", count }]) });
          }
        }
      } else {
        lines.push({ source: "MANUAL", licenseId: null, productId: "VBR_ENT", workloadType: "VBR_VM", reportedCount: null, count: Math.round(120 * grow), sourceDetail: null });
        lines.push({ source: "MANUAL", licenseId: null, productId: "VB365", workloadType: "VB365_User", reportedCount: null, count: Math.round(250 * grow), sourceDetail: null });
      }
      const rows = lines.map((l, position) => ({ ...l, monthlyReportId: sub.reportId, position, points: pointsFor(l.productId, [{ type: l.workloadType, count: l.count }]) }));
      await tx.monthlyReportLine.createMany({ data: rows });
      await tx.monthlyReport.update({ where: { id: sub.reportId }, data: { totalPoints: rows.reduce((s, r) => s + r.points, 0) } });
    }
    await demoLicense(tx, { actor: bobUser, now: new Date(`${contractStart}T10:00:00Z`) }, {
      licenseId: "LIC-GLBX1-VOL01", organizationId: globex.id, contractId: contractId("04000001"), type: "RENTAL", productId: "VBR_STD",
      description: "Legacy volume contract", workloads: [{ type: "VBR_VM", count: 50 }], autoReported: false, expirationDate: firstDateOf(current),
    });
    // Globex's own customers: its licenses assigned with different usage types, LIC-GLBX1-00003 left unassigned.
    const companyAt = new Date(`${contractStart}T10:00:00Z`);
    const companies = [
      { name: "Northwind Traders", externalId: "CUST-1001", licenses: [["LIC-GLBX1-00001", "MULTI_CUSTOMER"]] },
      { name: "Initech", externalId: "CUST-1002", licenses: [["LIC-GLBX1-VOL01", "SINGLE_CUSTOMER"]] },
      { name: "Globex internal IT", externalId: null, licenses: [["LIC-GLBX1-00002", "INTERNAL"]] },
    ] as const;
    for (const c of companies) {
      const company = await tx.company.create({ data: { organizationId: globex.id, name: c.name, externalId: c.externalId, createdAt: companyAt, updatedAt: companyAt } });
      for (const [licenseId, usageType] of c.licenses) {
        await tx.license.update({ where: { licenseId }, data: { companyId: company.id, usageType } });
      }
    }
  }, { timeout: 60_000 });
}

function daysAgo(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

interface DemoLicense {
  licenseId: string;
  organizationId: string;
  contractId: string | null;
  type: "RENTAL" | "NFR";
  productId: string;
  description: string;
  workloads: { type: string; count: number }[];
  autoReported: boolean;
  expirationDate: string;
}

/** A license with its first key version, as the wizard would have made it on `ctx.now`. */
async function demoLicense(tx: Tx, ctx: Context, l: DemoLicense) {
  const created = await tx.license.create({
    data: {
      licenseId: l.licenseId, organizationId: l.organizationId, contractId: l.contractId, type: l.type, productId: l.productId,
      description: l.description, autoReported: l.autoReported, expirationDate: l.expirationDate,
      supportExpirationDate: supportExpirationFor(l.expirationDate), points: pointsFor(l.productId, l.workloads), createdAt: ctx.now,
      workloads: { create: l.workloads },
    },
    select: { id: true },
  });
  const license = await tx.license.findUniqueOrThrow({ where: { id: created.id }, select: licenseForKeySelect });
  await issueKeyVersions(tx, ctx, [{ license, changes: {}, reason: "CREATED" }]);
  return created;
}
