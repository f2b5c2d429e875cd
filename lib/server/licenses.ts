import "server-only";
import { can } from "../auth/permissions";
import { randomBytes } from "node:crypto";
import { getDb, isUniqueViolation, type Prisma, type Tx } from "../db";
import { findProduct } from "../domain/catalog";
import { contractState } from "../domain/contracts";
import { toDateString } from "../domain/dates";
import {
  autoReportOffRefusal, autoReportOnRefusal, awaitingCollection, expirationWhenAutoReportedOn, initialAutoReportedExpiration,
  licenseState, supportExpirationFor, type LicenseState,
} from "../domain/licenses";
import { pointsFor } from "../domain/points";
import { suspensionMessage } from "../domain/reporting";
import { AppError } from "../errors";
import {
  licenseDraftSchema, type LicenseDetail, type LicenseDraft, type LicenseDraftFacts, type LicenseListItem,
} from "../schemas/licenses";
import { parseWith } from "../schemas/parse";
import { writeAudit } from "./audit";
import type { PortalContext, ProviderContext } from "./context";
import { issueKeyVersions, licenseForKeySelect, withVersionRetry } from "./key-versions";
import { organizationSuspension } from "./reporting";

const notFound = (licenseId: string) => new AppError("NOT_FOUND", `License ${licenseId} not found.`);

export const listSelect = {
  id: true,
  licenseId: true,
  type: true,
  productId: true,
  description: true,
  autoReported: true,
  expirationDate: true,
  points: true,
  revokedAt: true,
  lastCheckAt: true,
  lastCheckResult: true,
  keyIssuedAt: true,
  contract: { select: { number: true, status: true, endDate: true } },
  companyId: true,
  usageType: true,
  company: { select: { name: true } },
} as const;

export type ListRow = Prisma.LicenseGetPayload<{ select: typeof listSelect }>;

type ToggleFacts = {
  autoReported: boolean;
  revokedAt: Date | null;
  type: "RENTAL" | "NFR" | "EVALUATION";
  expirationDate: string;
  contract: { status: "ACTIVE" | "TERMINATED"; endDate: string | null } | null;
};

/** Why the Auto Reported License toggle cannot be switched from its current value, or null. */
function toggleRefusal(l: ToggleFacts, organizationHasFeature: boolean, today: string): string | null {
  if (l.autoReported) return autoReportOffRefusal({ revoked: l.revokedAt !== null });
  return autoReportOnRefusal({
    organizationHasFeature,
    type: l.type,
    contractState: l.contract ? contractState(l.contract, today) : null,
    revoked: l.revokedAt !== null,
    expired: l.expirationDate < today,
  });
}

/**
 * A license as the stable list endpoint and the PATCH answer show it (PRODUCT-API.md), plus
 * its last check and why its toggle cannot change (so pages need not restate the rules).
 */
export function toListItem(l: ListRow, today: string, organizationHasFeature: boolean): LicenseListItem {
  const product = findProduct(l.productId);
  return {
    licenseId: l.licenseId,
    type: l.type,
    supportId: l.contract?.number ?? null,
    productId: l.productId,
    productName: product?.name ?? l.productId,
    productEdition: product?.edition ?? null,
    description: l.description,
    autoReported: l.autoReported,
    expirationDate: l.expirationDate,
    state: stateOf(l, today),
    points: l.points,
    lastCheckAt: l.lastCheckAt?.toISOString() ?? null,
    lastCheckResult: l.lastCheckResult ?? null,
    toggleRefusal: toggleRefusal(l, organizationHasFeature, today),
    awaitingCollection: awaitingCollection({ ...l, revoked: l.revokedAt !== null }, today),
    companyId: l.companyId,
    companyName: l.company?.name ?? null,
    usageType: l.usageType,
  };
}

function stateOf(l: { expirationDate: string; revokedAt: Date | null; contract: { status: "ACTIVE" | "TERMINATED"; endDate: string | null } | null }, today: string): LicenseState {
  return licenseState({ expirationDate: l.expirationDate, revoked: l.revokedAt !== null, contract: l.contract }, today);
}

/** Everything the license page shows, scoped to the caller's organization. */
export async function getLicenseDetail(ctx: ProviderContext, licenseId: string): Promise<LicenseDetail> {
  const db = getDb();
  const license = await db.license.findFirst({
    where: { licenseId, organizationId: ctx.actor.organizationId },
    select: {
      ...listSelect,
      supportExpirationDate: true,
      currentVersion: true,
      createdAt: true,
      revokedBy: { select: { name: true, email: true } },
      contract: { select: { number: true, status: true, endDate: true, type: true } },
      workloads: { select: { type: true, count: true }, orderBy: { type: "asc" } },
      organization: { select: { autoReportingEnabled: true } },
    },
  });
  if (!license) throw notFound(licenseId);
  const [versions, installations, updateSessions, usageReports] = await Promise.all([
    db.keyVersion.findMany({
      where: { licenseId: license.id, license: { organizationId: ctx.actor.organizationId } },
      orderBy: { version: "desc" },
      select: { version: true, reason: true, expirationDate: true, autoReported: true, points: true, issuedAt: true, issuedBy: { select: { email: true } } },
    }),
    db.installation.findMany({
      where: { licenseId: license.id, organizationId: ctx.actor.organizationId },
      orderBy: { lastSeenAt: "desc" },
      take: 100,
      select: { id: true, installationId: true, productVersion: true, firstSeenAt: true, lastSeenAt: true },
    }),
    db.updateSession.findMany({
      where: { licenseId: license.id, organizationId: ctx.actor.organizationId },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, installationId: true, productVersion: true, versionPresented: true, versionIssued: true, result: true, createdAt: true },
    }),
    db.usageReport.findMany({
      where: { licenseId: license.id, organizationId: ctx.actor.organizationId },
      orderBy: { receivedAt: "desc" },
      take: 50,
      select: { reportId: true, installationId: true, kind: true, period: true, collectedAt: true, receivedAt: true, workloads: { select: { type: true, count: true, newCount: true } } },
    }),
  ]);
  const today = toDateString(ctx.now);
  const item = toListItem(license, today, license.organization.autoReportingEnabled);
  return {
    ...item,
    supportExpirationDate: license.supportExpirationDate,
    currentVersion: license.currentVersion,
    createdAt: license.createdAt.toISOString(),
    revokedAt: license.revokedAt?.toISOString() ?? null,
    revokedBy: license.revokedBy?.email ?? null,
    contract: license.contract ? { number: license.contract.number, type: license.contract.type, state: contractState(license.contract, today), endDate: license.contract.endDate } : null,
    workloads: license.workloads,
    versions: versions.map((v) => ({ ...v, issuedAt: v.issuedAt.toISOString(), issuedBy: v.issuedBy?.email ?? null })),
    installations: installations.map((i) => ({ ...i, firstSeenAt: i.firstSeenAt.toISOString(), lastSeenAt: i.lastSeenAt.toISOString() })),
    updateSessions: updateSessions.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
    usageReports: usageReports.map((r) => ({ ...r, collectedAt: r.collectedAt.toISOString(), receivedAt: r.receivedAt.toISOString() })),
  };
}

/** The key file of one version (the newest when no version is given). */
/**
 * A key file of one of the organization's licenses. Key files are product credentials: a viewer
 * signed in sees the versions but downloads none (403); an API token may, whatever its scope, as
 * PRODUCT-API.md lists the key among the GET endpoints a read token may call (an admin made it).
 */
export async function getKeyFile(ctx: PortalContext, licenseId: string, version?: number) {
  if (ctx.actor.type === "user" && !can(ctx.actor.role, "license:download")) {
    throw new AppError("FORBIDDEN", "A viewer can see key versions but not download key files: they are product credentials. Ask an administrator of your organization.");
  }
  const license = await getDb().license.findFirst({
    where: { licenseId, organizationId: ctx.actor.organizationId },
    select: { id: true, currentVersion: true },
  });
  if (!license) throw notFound(licenseId);
  const v = await getDb().keyVersion.findUnique({
    where: { licenseId_version: { licenseId: license.id, version: version ?? license.currentVersion } },
    select: { jws: true, version: true },
  });
  if (!v) throw new AppError("NOT_FOUND", `License ${licenseId} has no key version ${version}.`);
  return { filename: `${licenseId}.lic`, content: `${v.jws}\n`, version: v.version };
}

async function loadForChange(tx: Tx, ctx: PortalContext, licenseId: string) {
  const license = await tx.license.findFirst({
    where: { licenseId, organizationId: ctx.actor.organizationId },
    select: {
      ...licenseForKeySelect,
      revokedAt: true,
      contract: { select: { number: true, status: true, endDate: true } },
      organization: { select: { id: true, name: true, autoReportingEnabled: true } },
    },
  });
  if (!license) throw notFound(licenseId);
  return license;
}

/**
 * The Auto Reported License toggle. On: the expiration becomes the earlier of its date and 75
 * days from today; off: the date stays. Each change issues one key version in the same
 * transaction as the change and its audit event; a PATCH that changes nothing issues none.
 */
export async function setAutoReported(ctx: PortalContext, licenseId: string, on: boolean): Promise<LicenseListItem> {
  const today = toDateString(ctx.now);
  return withVersionRetry(() =>
    getDb().$transaction(async (tx) => {
      const license = await loadForChange(tx, ctx, licenseId);
      if (license.autoReported !== on) {
        const refusal = toggleRefusal(license, license.organization.autoReportingEnabled, today);
        if (refusal) throw new AppError("UNPROCESSABLE", refusal, { errors: [{ path: "autoReported", message: refusal }] });
        const expirationDate = on ? expirationWhenAutoReportedOn(license.expirationDate, today) : license.expirationDate;
        const [issued] = await issueKeyVersions(tx, ctx, [{
          license,
          changes: { autoReported: on, expirationDate, supportExpirationDate: supportExpirationFor(expirationDate) },
          reason: on ? "AUTO_REPORTED_ON" : "AUTO_REPORTED_OFF",
        }]);
        await writeAudit(tx, ctx, {
          organizationId: ctx.actor.organizationId,
          action: on ? "license.auto_reported_on" : "license.auto_reported_off",
          targetType: "License",
          targetId: licenseId,
          before: { autoReported: license.autoReported, expirationDate: license.expirationDate, version: license.currentVersion },
          after: { autoReported: on, expirationDate, version: issued.version },
        });
      }
      const row = await tx.license.findFirstOrThrow({ where: { licenseId, organizationId: ctx.actor.organizationId }, select: listSelect });
      return toListItem(row, today, license.organization.autoReportingEnabled);
    }),
  );
}

/** What the New License Key wizard needs to know: today, the feature, active contracts, suspension. */
export async function wizardFacts(ctx: ProviderContext, tx: Tx = getDb() as unknown as Tx) {
  const today = toDateString(ctx.now);
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: ctx.actor.organizationId },
    select: { autoReportingEnabled: true, contracts: { select: { number: true, type: true, status: true, endDate: true }, orderBy: { number: "asc" } } },
  });
  const facts: LicenseDraftFacts = {
    today,
    organizationHasFeature: org.autoReportingEnabled,
    contracts: org.contracts.filter((c) => contractState(c, today) === "ACTIVE").map((c) => ({ number: c.number, type: c.type, endDate: c.endDate })),
  };
  const suspension = await organizationSuspension(tx, ctx.actor.organizationId, ctx.now);
  return { facts, suspension };
}

function newLicenseId(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(10);
  let s = "";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `LIC-${s.slice(0, 5)}-${s.slice(5)}`;
}

/** The New License Key wizard's Finish: a rental license and its first signed key version. */
export async function createLicense(ctx: ProviderContext, input: unknown): Promise<LicenseListItem> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getDb().$transaction(async (tx) => {
        const { facts, suspension } = await wizardFacts(ctx, tx);
        if (suspension.suspended) throw new AppError("UNPROCESSABLE", suspensionMessage(suspension));
        const draft: LicenseDraft = parseWith(licenseDraftSchema(facts), input, "The new license");
        const contract = await tx.contract.findFirstOrThrow({
          where: { number: draft.contractNumber, organizationId: ctx.actor.organizationId },
          select: { id: true, number: true, endDate: true },
        });
        const expirationDate = draft.autoReported ? initialAutoReportedExpiration(facts.today, contract.endDate) : draft.expirationDate!;
        const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.actor.organizationId }, select: { id: true, name: true } });
        const created = await tx.license.create({
          data: {
            licenseId: newLicenseId(),
            organizationId: org.id,
            contractId: contract.id,
            type: "RENTAL",
            productId: draft.productId,
            description: draft.description,
            autoReported: draft.autoReported,
            expirationDate,
            supportExpirationDate: supportExpirationFor(expirationDate),
            points: pointsFor(draft.productId, draft.workloads),
            currentVersion: 0,
            createdAt: ctx.now,
          },
          select: { id: true, licenseId: true },
        });
        await tx.licenseWorkload.createMany({ data: draft.workloads.map((w) => ({ licenseId: created.id, type: w.type, count: w.count })) });
        const license = await tx.license.findUniqueOrThrow({ where: { id: created.id }, select: licenseForKeySelect });
        await writeAudit(tx, ctx, {
          organizationId: org.id,
          action: "license.created",
          targetType: "License",
          targetId: created.licenseId,
          after: { productId: draft.productId, contract: contract.number, autoReported: draft.autoReported, expirationDate, workloads: draft.workloads, points: license.points },
        });
        await issueKeyVersions(tx, ctx, [{ license, changes: {}, reason: "CREATED" }]);
        const row = await tx.license.findUniqueOrThrow({ where: { id: created.id }, select: listSelect });
        return toListItem(row, facts.today, facts.organizationHasFeature);
      });
    } catch (error) {
      // A license id already taken (one chance in ~10^15): draw another.
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

/** Revokes a license: every key version stops being a valid credential at once. */
export async function revokeLicense(ctx: ProviderContext, licenseId: string): Promise<LicenseListItem> {
  const today = toDateString(ctx.now);
  return getDb().$transaction(async (tx) => {
    const license = await loadForChange(tx, ctx, licenseId);
    if (license.revokedAt === null) {
      const changed = await tx.license.updateMany({
        where: { id: license.id, organizationId: ctx.actor.organizationId, revokedAt: null },
        data: { revokedAt: ctx.now, revokedById: ctx.actor.userId },
      });
      if (changed.count === 1) {
        await writeAudit(tx, ctx, {
          organizationId: ctx.actor.organizationId,
          action: "license.revoked",
          targetType: "License",
          targetId: licenseId,
          before: { revoked: false, version: license.currentVersion },
          after: { revoked: true },
        });
      }
    }
    const row = await tx.license.findFirstOrThrow({ where: { id: license.id, organizationId: ctx.actor.organizationId }, select: listSelect });
    return toListItem(row, today, license.organization.autoReportingEnabled);
  });
}
