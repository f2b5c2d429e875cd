import "server-only";
import { getDb } from "../db";
import { contractState } from "../domain/contracts";
import { toDateString } from "../domain/dates";
import { AppError } from "../errors";
import type { Context, ProviderActor } from "./context";

type ProviderContext = Context & { actor: ProviderActor };

const contractSelect = {
  number: true,
  type: true,
  status: true,
  startDate: true,
  endDate: true,
  pointsLimit: true,
  dueDay: true,
} as const;

function withState<T extends { status: "ACTIVE" | "TERMINATED"; endDate: string | null }>(c: T, now: Date) {
  return { ...c, state: contractState(c, toDateString(now)) };
}

/** The caller's organization: its automatic-reporting state and its contracts. */
export async function getOwnOrganization(ctx: ProviderContext) {
  const org = await getDb().organization.findUnique({
    where: { id: ctx.actor.organizationId },
    select: {
      id: true,
      name: true,
      autoReportingEnabled: true,
      autoReportingChangedAt: true,
      autoReportingChangedBy: { select: { name: true, email: true } },
      contracts: { select: contractSelect, orderBy: { number: "asc" } },
    },
  });
  if (!org) throw new AppError("NOT_FOUND", "Organization not found.");
  return { ...org, contracts: org.contracts.map((c) => withState(c, ctx.now)) };
}

/** One of the caller's contracts by its number; another organization's is "not found". */
export async function getOwnContract(ctx: ProviderContext, number: string) {
  const contract = await getDb().contract.findFirst({
    where: { number, organizationId: ctx.actor.organizationId },
    select: contractSelect,
  });
  if (!contract) throw new AppError("NOT_FOUND", `Contract ${number} not found.`);
  return withState(contract, ctx.now);
}

export const STAFF_ORGANIZATIONS_PAGE_SIZE = 25;

/** For support staff: every organization with its contracts and automatic-reporting state. */
export async function listOrganizations(ctx: Context, page = 1) {
  const db = getDb();
  const skip = (Math.max(1, page) - 1) * STAFF_ORGANIZATIONS_PAGE_SIZE;
  const [total, items] = await Promise.all([
    db.organization.count(),
    db.organization.findMany({
      orderBy: { name: "asc" },
      skip,
      take: STAFF_ORGANIZATIONS_PAGE_SIZE,
      select: {
        id: true,
        name: true,
        autoReportingEnabled: true,
        autoReportingChangedAt: true,
        contracts: { select: contractSelect, orderBy: { number: "asc" } },
      },
    }),
  ]);
  return {
    items: items.map((o) => ({ ...o, contracts: o.contracts.map((c) => withState(c, ctx.now)) })),
    total,
    page: Math.max(1, page),
    pageSize: STAFF_ORGANIZATIONS_PAGE_SIZE,
  };
}
