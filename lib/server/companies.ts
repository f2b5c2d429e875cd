// Companies (PRODUCT.md, "Companies"): a provider's own customers, each license assigned to one
// with a usage type or to none. Every query carries the caller's organization in its where.
import "server-only";
import { getDb, isUniqueViolation, type Tx } from "../db";
import { archiveRefusal } from "../domain/companies";
import { AppError } from "../errors";
import type { CompanyCreate, CompanyList, CompanyUpdate, CompanyView, LicenseCompanyInput, LicenseCompanyResult } from "../schemas/companies";
import { writeAudit } from "./audit";
import type { ProviderContext } from "./context";

const select = { id: true, name: true, externalId: true, archivedAt: true, createdAt: true } as const;
type Row = { id: string; name: string; externalId: string | null; archivedAt: Date | null; createdAt: Date };

function view(c: Row, licenses: number): CompanyView {
  return { id: c.id, name: c.name, externalId: c.externalId, archivedAt: c.archivedAt?.toISOString() ?? null, createdAt: c.createdAt.toISOString(), licenses };
}

const duplicate = () => new AppError("CONFLICT", "Another company of your organization already has this name or external id.");

async function licenseCount(tx: Tx, organizationId: string, companyId: string): Promise<number> {
  return tx.license.count({ where: { organizationId, companyId } });
}

/** The organization's companies by name (archived ones too, marked), each with its number of licenses. */
export async function listCompanies(ctx: ProviderContext): Promise<CompanyList> {
  const organizationId = ctx.actor.organizationId;
  const db = getDb();
  const [rows, counts] = await Promise.all([
    db.company.findMany({ where: { organizationId }, select, orderBy: [{ name: "asc" }, { id: "asc" }] }),
    db.license.groupBy({ by: ["companyId"], where: { organizationId, companyId: { not: null } }, _count: { _all: true } }),
  ]);
  const countOf = new Map(counts.map((c) => [c.companyId, c._count._all]));
  return { items: rows.map((r) => view(r, countOf.get(r.id) ?? 0)) };
}

export async function createCompany(ctx: ProviderContext, input: CompanyCreate): Promise<CompanyView> {
  const organizationId = ctx.actor.organizationId;
  try {
    return await getDb().$transaction(async (tx) => {
      const c = await tx.company.create({ data: { organizationId, name: input.name, externalId: input.externalId ?? null, createdAt: ctx.now, updatedAt: ctx.now }, select });
      await writeAudit(tx, ctx, { organizationId, action: "company.created", targetType: "Company", targetId: c.name, after: { name: c.name, externalId: c.externalId } });
      return view(c, 0);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/** Renames a company (name, external id) or archives / restores it; archiving is refused while it has licenses. */
export async function updateCompany(ctx: ProviderContext, id: string, input: CompanyUpdate): Promise<CompanyView> {
  const organizationId = ctx.actor.organizationId;
  try {
    return await getDb().$transaction(async (tx) => {
      const before = await tx.company.findFirst({ where: { id, organizationId }, select });
      if (!before) throw new AppError("NOT_FOUND", "No such company.");
      const licenses = await licenseCount(tx, organizationId, id);
      const data: { name?: string; externalId?: string | null; archivedAt?: Date | null; updatedAt: Date } = { updatedAt: ctx.now };
      if (input.name !== undefined) data.name = input.name;
      if (input.externalId !== undefined) data.externalId = input.externalId;
      if (input.archived === true && !before.archivedAt) {
        const refusal = archiveRefusal(licenses);
        if (refusal) throw new AppError("UNPROCESSABLE", refusal);
        data.archivedAt = ctx.now;
      }
      if (input.archived === false && before.archivedAt) data.archivedAt = null;
      const { count } = await tx.company.updateMany({ where: { id, organizationId }, data });
      if (count === 0) throw new AppError("NOT_FOUND", "No such company.");
      const after = await tx.company.findFirstOrThrow({ where: { id, organizationId }, select });
      const action =
        data.archivedAt instanceof Date ? "company.archived" : data.archivedAt === null ? "company.restored" : "company.renamed";
      await writeAudit(tx, ctx, {
        organizationId,
        action,
        targetType: "Company",
        targetId: after.name,
        before: { name: before.name, externalId: before.externalId, archived: !!before.archivedAt },
        after: { name: after.name, externalId: after.externalId, archived: !!after.archivedAt },
      });
      return view(after, licenses);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/**
 * Assigns a license of the caller's organization to one of its companies with a usage type, or
 * unassigns it (companyId null). Another organization's license or company is 404; an archived
 * company takes no new licenses (422).
 */
export async function assignLicenseCompany(ctx: ProviderContext, licenseId: string, input: LicenseCompanyInput): Promise<LicenseCompanyResult> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    const license = await tx.license.findFirst({
      where: { licenseId, organizationId },
      select: { id: true, companyId: true, usageType: true, company: { select: { name: true } } },
    });
    if (!license) throw new AppError("NOT_FOUND", "No such license.");
    let companyName: string | null = null;
    if (input.companyId) {
      const company = await tx.company.findFirst({ where: { id: input.companyId, organizationId }, select: { name: true, archivedAt: true } });
      if (!company) throw new AppError("NOT_FOUND", "No such company.");
      if (company.archivedAt && license.companyId !== input.companyId) {
        throw new AppError("UNPROCESSABLE", `${company.name} is archived: restore it before assigning licenses to it.`);
      }
      companyName = company.name;
    }
    const result: LicenseCompanyResult = { licenseId, companyId: input.companyId, companyName, usageType: input.usageType };
    if (license.companyId === input.companyId && license.usageType === input.usageType) return result;
    await tx.license.updateMany({ where: { id: license.id, organizationId }, data: { companyId: input.companyId, usageType: input.usageType } });
    await writeAudit(tx, ctx, {
      organizationId,
      action: input.companyId ? "license.company_assigned" : "license.company_unassigned",
      targetType: "License",
      targetId: licenseId,
      before: { company: license.company?.name ?? null, usageType: license.usageType },
      after: { company: companyName, usageType: input.usageType },
    });
    return result;
  });
}
