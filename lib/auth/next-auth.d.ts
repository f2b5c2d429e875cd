import type { Role } from "../generated/sqlite/enums";

declare module "next-auth" {
  interface Session {
    user?: {
      id: string;
      email?: string | null;
      name?: string | null;
      role: Role;
      organizationId: string | null;
    };
  }
}
