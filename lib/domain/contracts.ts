import type { DateString } from "./dates";

export type ContractState = "ACTIVE" | "EXPIRED" | "TERMINATED";

export interface ContractFacts {
  status: "ACTIVE" | "TERMINATED";
  endDate: DateString | null;
}

/** TERMINATED when terminated; EXPIRED once its end date has passed; else ACTIVE. */
export function contractState(contract: ContractFacts, today: DateString): ContractState {
  if (contract.status === "TERMINATED") return "TERMINATED";
  if (contract.endDate !== null && contract.endDate < today) return "EXPIRED";
  return "ACTIVE";
}

/** A Support ID is a real contract number: exactly 8 digits. */
export function isRealContractNumber(supportId: string | null | undefined): boolean {
  return !!supportId && /^\d{8}$/.test(supportId);
}
