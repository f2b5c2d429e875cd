// Permissions are data: each action and the roles allowed it, and one check function.
import type { Role } from "../generated/sqlite/enums";

export const PERMISSIONS = {
  "overview:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "license:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "license:create": ["PROVIDER_ADMIN"],
  "license:update": ["PROVIDER_ADMIN"],
  "license:revoke": ["PROVIDER_ADMIN"],
  // Key files are product credentials: a viewer sees the versions but downloads none (SECURITY.md).
  "license:download": ["PROVIDER_ADMIN"],
  "usage:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "usage:submit": ["PROVIDER_ADMIN"],
  "case:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "case:open": ["PROVIDER_ADMIN"],
  "case:comment": ["PROVIDER_ADMIN"],
  "settings:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "token:manage": ["PROVIDER_ADMIN"],
  "company:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "company:manage": ["PROVIDER_ADMIN"],
  "audit:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "webhooks:read": ["PROVIDER_ADMIN", "PROVIDER_VIEWER"],
  "webhooks:manage": ["PROVIDER_ADMIN"],
  "staff:cases": ["SUPPORT_STAFF"],
  "staff:organizations": ["SUPPORT_STAFF"],
  "staff:auto-reporting": ["SUPPORT_STAFF"],
  "staff:contracts": ["SUPPORT_STAFF"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const isProviderRole = (role: Role) => role === "PROVIDER_ADMIN" || role === "PROVIDER_VIEWER";
export const isStaffRole = (role: Role) => role === "SUPPORT_STAFF";

/** The role whose permissions an API token of `scope` has (PRODUCT-API.md): read acts as a viewer, admin as an admin. */
export const scopeRole = (scope: "read" | "admin"): Role => (scope === "admin" ? "PROVIDER_ADMIN" : "PROVIDER_VIEWER");
