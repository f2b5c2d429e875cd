import "server-only";
// Manage Licenses' list and the Overview's counts: the filters, the orders and the paging, by
// the database (lib/server/licenses.ts has each license's page and its changes).
import { containsText, getDb, type Prisma } from "../db";
import { toDateString } from "../domain/dates";
import { stateCondition, type LicenseState } from "../domain/licenses";
import type { LicenseListPage, LicenseListQuery } from "../schemas/licenses";
import type { PortalContext, ProviderContext } from "./context";
import { listSelect, toListItem, type ListRow } from "./licenses";

function stateWhere(state: LicenseState, today: string): Prisma.LicenseWhereInput {
  const c = stateCondition(state, today);
  const where: Prisma.LicenseWhereInput = { revokedAt: c.revoked ? { not: null } : null };
  if (c.expirationFrom || c.expirationTo) {
    where.expirationDate = { ...(c.expirationFrom ? { gte: c.expirationFrom } : {}), ...(c.expirationTo ? { lte: c.expirationTo } : {}) };
  }
  const contractEnded: Prisma.ContractWhereInput = { OR: [{ status: "TERMINATED" }, { endDate: { lt: today } }] };
  if (c.contractEnded === true) where.contract = { is: contractEnded };
  if (c.contractEnded === false) {
    where.OR = [{ contractId: null }, { contract: { is: { status: "ACTIVE", OR: [{ endDate: null }, { endDate: { gte: today } }] } } }];
  }
  return where;
}

const ORDER: Record<Exclude<LicenseListQuery["sort"], "live">, (dir: "asc" | "desc") => Prisma.LicenseOrderByWithRelationInput[]> = {
  licenseId: (dir) => [{ licenseId: dir }],
  product: (dir) => [{ productId: dir }, { licenseId: "asc" }],
  description: (dir) => [{ description: dir }, { licenseId: "asc" }],
  expirationDate: (dir) => [{ expirationDate: dir }, { licenseId: "asc" }],
  points: (dir) => [{ points: dir }, { licenseId: "asc" }],
  createdAt: (dir) => [{ createdAt: dir }, { licenseId: "asc" }],
};

/** The database's form of awaitingCollection (lib/domain/licenses.ts); the list test holds them together. */
function awaitingCollectionWhere(today: string): Prisma.LicenseWhereInput {
  return {
    autoReported: true,
    revokedAt: null,
    expirationDate: { gte: today },
    keyIssuedAt: { not: null },
    OR: [{ lastCheckAt: null }, { lastCheckAt: { lt: getDb().license.fields.keyIssuedAt } }],
  };
}

/** The database's form of liveFirst (lib/domain/licenses.ts): two ranges, paged as one list. */
async function pageLiveFirst(where: Prisma.LicenseWhereInput, today: string, skip: number, take: number): Promise<ListRow[]> {
  const db = getDb();
  const liveWhere: Prisma.LicenseWhereInput = { AND: [where, { revokedAt: null, expirationDate: { gte: today } }] };
  const restWhere: Prisma.LicenseWhereInput = { AND: [where, { OR: [{ revokedAt: { not: null } }, { expirationDate: { lt: today } }] }] };
  const live = await db.license.count({ where: liveWhere });
  const first = skip < live
    ? await db.license.findMany({ where: liveWhere, select: listSelect, orderBy: [{ expirationDate: "asc" }, { licenseId: "asc" }], skip, take })
    : [];
  const left = take - first.length;
  const rest = left > 0
    ? await db.license.findMany({ where: restWhere, select: listSelect, orderBy: [{ expirationDate: "desc" }, { licenseId: "asc" }], skip: Math.max(0, skip - live), take: left })
    : [];
  return [...first, ...rest];
}

/** One page of the organization's licenses, searched, filtered and sorted by the database. */
export async function listLicenses(ctx: PortalContext, q: LicenseListQuery): Promise<LicenseListPage> {
  const today = toDateString(ctx.now);
  const and: Prisma.LicenseWhereInput[] = [{ organizationId: ctx.actor.organizationId }];
  if (q.query) and.push((await containsText("License", ["licenseId", "description"], ctx.actor.organizationId, q.query)) as Prisma.LicenseWhereInput);
  if (q.product) and.push({ productId: q.product });
  if (q.company) and.push({ companyId: q.company === "none" ? null : q.company });
  if (q.state) and.push(stateWhere(q.state as LicenseState, today));
  if (q.collected === "no") and.push(awaitingCollectionWhere(today));
  const where: Prisma.LicenseWhereInput = { AND: and };
  const db = getDb();
  const skip = (q.page - 1) * q.pageSize;
  const [org, total, rows] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: ctx.actor.organizationId }, select: { autoReportingEnabled: true } }),
    db.license.count({ where }),
    q.sort === "live"
      ? pageLiveFirst(where, today, skip, q.pageSize)
      : db.license.findMany({ where, select: listSelect, orderBy: ORDER[q.sort](q.dir), skip, take: q.pageSize }),
  ]);
  return { items: rows.map((r) => toListItem(r, today, org.autoReportingEnabled)), total, page: q.page, pageSize: q.pageSize };
}

/** The Overview's health strip: how many keys are expired, expiring, or awaiting collection. */
export async function licenseHealth(ctx: ProviderContext): Promise<{ expired: number; expiring: number; awaitingCollection: number }> {
  const today = toDateString(ctx.now);
  const org = { organizationId: ctx.actor.organizationId };
  const db = getDb();
  const [expired, expiring, waiting] = await Promise.all([
    db.license.count({ where: { AND: [org, stateWhere("EXPIRED", today)] } }),
    db.license.count({ where: { AND: [org, stateWhere("EXPIRING", today)] } }),
    db.license.count({ where: { AND: [org, awaitingCollectionWhere(today)] } }),
  ]);
  return { expired, expiring, awaitingCollection: waiting };
}
