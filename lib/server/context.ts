import type { ContractFacts } from "../domain/contracts";
import type { Role } from "../generated/sqlite/enums";

/** Who is calling a service, and the time the call happens at (from lib/clock.ts). */
export type Actor =
  | { type: "user"; userId: string; email: string; role: Role; organizationId: string | null }
  | InstallationActor
  | TokenActor
  | SystemActor;

/**
 * A script calling with an API token (lib/server/api-tokens.ts): it acts as its organization with
 * its scope, and the audit names it by the token's name.
 */
export interface TokenActor {
  type: "token";
  tokenId: string;
  name: string;
  scope: "read" | "admin";
  organizationId: string;
}

/** The portal itself (background work): `label` names it in the audit ("system (automatic submission)"). */
export interface SystemActor {
  type: "system";
  label?: string;
  /** The organization it acts for, when it acts for one. */
  organizationId?: string;
}

export interface Context {
  actor: Actor;
  now: Date;
}

export type UserActor = Extract<Actor, { type: "user" }>;
export type ProviderActor = UserActor & { organizationId: string };
/** A provider user's call: an admin or viewer of an organization. */
export type ProviderContext = Context & { actor: ProviderActor };
/** A call to a stable portal endpoint (PRODUCT-API.md): a provider user's session or an API token. */
export type PortalContext = Context & { actor: ProviderActor | TokenActor };
/** A call that acts for one organization: its provider user, or the portal itself (automatic submission). */
export type OrganizationContext = Context & { actor: ProviderActor | (SystemActor & { organizationId: string }) };
/** A support staff member's call (the staff services check the role again). */
export type StaffContext = Context & { actor: UserActor };

/** What a product server's license key proves (lib/server/product-auth.ts): its license, read with the key version. */
export interface KeyHolder {
  organizationId: string;
  /** Internal id of the license. */
  licenseRef: string;
  licenseId: string;
  versionPresented: number;
  license: {
    type: "RENTAL" | "NFR" | "EVALUATION";
    productId: string;
    currentVersion: number;
    expirationDate: string;
    /** The period in which the license was created (YYYY-MM). */
    createdPeriod: string;
    supportId: string | null;
    contract: ContractFacts | null;
  };
}

/** A product server: the license its key proves, the installation it names, the address it calls from. */
export type InstallationActor = KeyHolder & { type: "installation"; installationId: string; clientAddress: string };
export type ProductContext = Context & { actor: InstallationActor };
