import type { LicenseState } from "@/lib/domain/licenses";
import { Badge } from "../ui/badge";

const TONE = { ACTIVE: "green", EXPIRING: "amber", EXPIRED: "red", REVOKED: "neutral", CONTRACT_ENDED: "red" } as const;
export const STATE_LABEL: Record<LicenseState, string> = {
  ACTIVE: "Active",
  EXPIRING: "Expiring",
  EXPIRED: "Expired",
  REVOKED: "Revoked",
  CONTRACT_ENDED: "Contract ended",
};

export function LicenseStateBadge({ state }: { state: LicenseState }) {
  return <Badge tone={TONE[state]}>{STATE_LABEL[state]}</Badge>;
}
