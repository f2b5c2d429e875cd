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
