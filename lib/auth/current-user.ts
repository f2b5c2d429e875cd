// The signed-in user, loaded one way for everything that needs them: the route wrappers
// (lib/http/route.ts) pass their request, pages read the request being rendered. The session is
// next-auth's JWT cookie; the user is the database's row for the id in it, as it is now (a
// deleted user is signed out, a changed role counts at once), and only while the session's
// version is the user's (sign-out ends every copy of the cookie). A service context is built from
// that row by providerContext or staffContext.
import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { now } from "../clock";
import { authSecret } from "../config";
import { getDb } from "../db";
import type { ProviderContext, StaffContext, UserActor } from "../server/context";
import { servedOverHttps } from "./origin";
import { isProviderRole, isStaffRole } from "./permissions";

/** Where the session cookie comes from: a route handler's request (a NextRequest is one). */
export interface SessionSource {
  headers: Headers;
  cookies: { getAll(): { name: string; value: string }[] };
}

/**
 * The user id of the session the request carries, or null when it carries none, an invalid one,
 * or one that was ended since: the session's version (`sv`, set at sign-in) must still be the
 * user's sessionVersion, which sign-out, a role change and removal bump (lib/server/sessions.ts).
 * A token without `sv` counts as version 0, the version every user starts with.
 */
export async function sessionUserId(source?: SessionSource): Promise<string | null> {
  const req = source ?? { headers: await headers(), cookies: await cookies() };
  const token = await getToken({ req: req as unknown as Parameters<typeof getToken>[0]["req"], secret: authSecret(), secureCookie: servedOverHttps() });
  if (typeof token?.uid !== "string") return null;
  const current = await getDb().user.findUnique({ where: { id: token.uid }, select: { sessionVersion: true } });
  // A user deleted since keeps the id here: loadUser finds no one, and the request is refused as such.
  if (current && current.sessionVersion !== sessionVersionOf(token)) return null;
  return token.uid;
}

/** The session version a token was signed in under (0 for tokens from before versions existed). */
export function sessionVersionOf(token: Record<string, unknown>): number {
  return typeof token.sv === "number" ? token.sv : 0;
}

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  organizationId: true,
  organization: { select: { id: true, name: true, autoReportingEnabled: true } },
} as const;

/** A user as the database knows them now; null when there is no such user (any more). */
export async function loadUser(id: string) {
  return getDb().user.findUnique({ where: { id }, select: userSelect });
}

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof loadUser>>>;
export type CurrentProvider = CurrentUser & { organizationId: string; organization: NonNullable<CurrentUser["organization"]> };

/** The signed-in user of a request (of the page being rendered when no request is given), or null. */
export async function signedInUser(source?: SessionSource): Promise<CurrentUser | null> {
  const id = await sessionUserId(source);
  return id ? loadUser(id) : null;
}

/** For pages: the signed-in user, loaded once per render. */
export const getCurrentUser = cache(() => signedInUser());

/** A provider user: an admin or viewer of an organization. */
export function isProvider(user: CurrentUser): user is CurrentProvider {
  return isProviderRole(user.role) && user.organizationId !== null && user.organization !== null;
}

/** For provider pages: signed out goes to sign-in; support staff get a 404. */
export async function requireProvider(): Promise<CurrentProvider> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!isProvider(user)) notFound();
  return user;
}

/** For staff pages: signed out goes to sign-in; providers get a 404. */
export async function requireStaff(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!isStaffRole(user.role)) notFound();
  return user;
}

function userActor(user: CurrentUser): UserActor {
  return { type: "user", userId: user.id, email: user.email, role: user.role, organizationId: user.organizationId };
}

/** The service context of a provider's request or page render: the user and the clock's now. */
export async function providerContext(user: CurrentProvider): Promise<ProviderContext> {
  return { actor: { ...userActor(user), organizationId: user.organizationId }, now: await now() };
}

/** The service context of a support staff member's request or page render. */
export async function staffContext(user: CurrentUser): Promise<StaffContext> {
  return { actor: userActor(user), now: await now() };
}
