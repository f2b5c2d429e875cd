import "server-only";
import { dummyHash, verifyPassword } from "../auth/password";
import { getDb } from "../db";
import type { Role } from "../generated/sqlite/enums";
import { AppError } from "../errors";
import { databaseCounters, forgive, hit } from "./rate-limit";

/**
 * Failed sign-ins allowed per email and minute; after that, sign-in waits for the next minute.
 * The counters are in the database, so the limit holds across app instances.
 */
export const SIGN_IN_FAILURES_PER_MINUTE = 5;
const WINDOW_MS = 60_000;

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
}

export function tooManyAttemptsMessage(retryAfter: number) {
  return `Too many failed sign-ins for this email. Wait ${retryAfter} seconds and try again.`;
}

/**
 * Checks an email and password. Returns the user, or null for a wrong email or password;
 * throws RATE_LIMITED once an email has had too many failures this minute.
 */
export async function signIn(emailInput: string, password: string, now: Date): Promise<SignedInUser | null> {
  const email = emailInput.trim().toLowerCase();
  const bucket = `sign-in:${email}`;
  // Count the attempt before checking the password, so that attempts sent in parallel are
  // counted too; a successful attempt is taken back off the count.
  const state = await hit(databaseCounters, bucket, SIGN_IN_FAILURES_PER_MINUTE, WINDOW_MS, now);
  if (!state.allowed) {
    throw new AppError("RATE_LIMITED", tooManyAttemptsMessage(state.retryAfter), { retryAfter: state.retryAfter });
  }
  const db = getDb();
  const user = await db.user.findUnique({ where: { email } });
  // Hash even for an unknown email, so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) return null;
  await forgive(databaseCounters, bucket, WINDOW_MS, now);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId };
}
