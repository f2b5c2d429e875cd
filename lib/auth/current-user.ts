import "server-only";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { now } from "../clock";
import { getDb } from "../db";
import { isProviderRole, isStaffRole } from "./permissions";
import { authOptions } from "./options";

/** The signed-in user as the database knows them now (a deleted user is signed out). */
export const getCurrentUser = cache(async function getCurrentUser() {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return getDb().user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      organizationId: true,
      organization: { select: { id: true, name: true, autoReportingEnabled: true } },
    },
  });
});

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;
export type CurrentProvider = CurrentUser & { organizationId: string; organization: NonNullable<CurrentUser["organization"]> };

/** For provider pages: signed out goes to sign-in; support staff get a 404. */
export async function requireProvider(): Promise<CurrentProvider> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!isProviderRole(user.role) || !user.organizationId || !user.organization) notFound();
  return user as CurrentProvider;
}

/** For staff pages: signed out goes to sign-in; providers get a 404. */
export async function requireStaff(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!isStaffRole(user.role)) notFound();
  return user;
}

/** The service context of a page render: the signed-in provider and the clock's now. */
export async function providerContext(user: CurrentProvider) {
  return {
    actor: {
      type: "user" as const,
      userId: user.id,
      email: user.email,
      role: user.role,
      organizationId: user.organizationId,
    },
    now: await now(),
  };
}

export async function staffContext(user: CurrentUser) {
  return {
    actor: { type: "user" as const, userId: user.id, email: user.email, role: user.role, organizationId: null },
    now: await now(),
  };
}
