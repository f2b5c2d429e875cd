import type { Role } from "../generated/sqlite/enums";

/** Who is calling a service, and the time the call happens at (from lib/clock.ts). */
export type Actor =
  | { type: "user"; userId: string; email: string; role: Role; organizationId: string | null }
  | { type: "installation"; organizationId: string; licenseId: string; installationId: string }
  | { type: "system" };

export interface Context {
  actor: Actor;
  now: Date;
}

export type UserActor = Extract<Actor, { type: "user" }>;
export type ProviderActor = UserActor & { organizationId: string };

/** A provider user's call: an admin or viewer of an organization. */
export type ProviderContext = Context & { actor: ProviderActor };
/** A support staff member's call (the staff services check the role again). */
export type StaffContext = Context & { actor: UserActor };
