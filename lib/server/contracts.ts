import "server-only";
import { getDb, isUniqueViolation } from "../db";
import { contractState } from "../domain/contracts";
import { toDateString } from "../domain/dates";
import { AppError } from "../errors";
import type { ContractChangeInput, ContractCreateInput, ContractView } from "../schemas/organizations";
import { writeAudit } from "./audit";
import type { StaffContext } from "./context";

const select = { number: true, type: true, status: true, startDate: true, endDate: true, pointsLimit: true, dueDay: true, terminatedAt: true, organizationId: true } as const;

function view(c: { number: string; type: "NO_COMMIT" | "VOLUME"; status: "ACTIVE" | "TERMINATED"; startDate: string; endDate: string | null; pointsLimit: number | null; dueDay: number; terminatedAt: Date | null }, now: Date): ContractView {
  return {
    number: c.number, type: c.type, status: c.status, startDate: c.startDate, endDate: c.endDate, pointsLimit: c.pointsLimit, dueDay: c.dueDay,
    terminatedAt: c.terminatedAt?.toISOString() ?? null, state: contractState(c, toDateString(now)),
  };
}

/** Support staff create a contract for an organization (never providers). The Support ID is unique. */
export async function createContract(ctx: StaffContext, organizationId: string, input: ContractCreateInput): Promise<ContractView> {
  try {
    return await getDb().$transaction(async (tx) => {
      const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
      if (!org) throw new AppError("NOT_FOUND", "Organization not found.");
      const c = await tx.contract.create({ data: { ...input, organizationId, status: "ACTIVE", createdAt: ctx.now }, select });
      await writeAudit(tx, ctx, { organizationId, action: "contract.created", targetType: "Contract", targetId: c.number, after: input });
      return view(c, ctx.now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `Support ID ${input.number} is already a contract's.`, { errors: [{ path: "number", message: "This Support ID is taken." }] });
    }
    throw error;
  }
}

/**
 * Ends a contract on a date (its licenses' state becomes CONTRACT_ENDED after it), or terminates
 * it now: its licenses are CONTRACT_ENDED at once and their next update check is
 * ContractTerminated. A terminated contract changes no more.
 */
export async function changeContract(ctx: StaffContext, number: string, input: ContractChangeInput): Promise<ContractView> {
  return getDb().$transaction(async (tx) => {
    const c = await tx.contract.findUnique({ where: { number }, select });
    if (!c) throw new AppError("NOT_FOUND", `Contract ${number} not found.`);
    if (c.status === "TERMINATED") throw new AppError("CONFLICT", `Contract ${number} is terminated; it changes no more.`);
    const before = { status: c.status, endDate: c.endDate };
    let data: { endDate: string } | { status: "TERMINATED"; terminatedAt: Date };
    if (input.action === "end") {
      if (input.endDate < c.startDate) {
        throw new AppError("UNPROCESSABLE", "The end date cannot be before the contract's start.", { errors: [{ path: "endDate", message: `The contract starts ${c.startDate}.` }] });
      }
      data = { endDate: input.endDate };
    } else {
      data = { status: "TERMINATED", terminatedAt: ctx.now };
    }
    const changed = await tx.contract.updateMany({ where: { number, status: "ACTIVE" }, data });
    if (changed.count !== 1) throw new AppError("CONFLICT", `Contract ${number} changed meanwhile; reload and try again.`);
    const after = await tx.contract.findUniqueOrThrow({ where: { number }, select });
    await writeAudit(tx, ctx, {
      organizationId: c.organizationId, action: input.action === "end" ? "contract.ended" : "contract.terminated", targetType: "Contract", targetId: number,
      before, after: { status: after.status, endDate: after.endDate },
    });
    return view(after, ctx.now);
  });
}
