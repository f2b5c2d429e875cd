import "server-only";
import { dummyHash, verifyPassword } from "../auth/password";
import { getDb, isUniqueViolation } from "../db";
import type { Role } from "../generated/sqlite/enums";
import { AppError } from "../errors";
import { databaseCounters, forgive, hit } from "./rate-limit";

// The sign-in throttle, in the database so that it holds across app instances. Two counters:
// - per (email, client address): the first FREE_FAILURES failures cost nothing; after that each
//   attempt must wait a delay that doubles with every further failure, from 30 s up to 15 min.
//   A success clears it; so does a day without failures. An attacker's failures slow down only
//   the attacker's own address: the account's owner, signing in from elsewhere, is not locked out.
// - per client address: ADDRESS_FAILURES failed attempts in ADDRESS_WINDOW_MS over all emails,
//   against password spraying (one password tried on many accounts).
// An unknown email is counted and answered exactly as a wrong password (no enumeration).

/** Failures per (email, address) before attempts are slowed down. */
export const FREE_FAILURES = 5;
/** The wait after FREE_FAILURES failures; it doubles with each further failure, up to MAX_DELAY_SECONDS. */
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 15 * 60;
/** A (email, address) record without failures for this long is forgotten. */
const FORGET_MS = 24 * 60 * 60 * 1000;
/** Failed sign-ins a client address may have in ADDRESS_WINDOW_MS, over all emails. */
export const ADDRESS_FAILURES = 50;
export const ADDRESS_WINDOW_MS = 10 * 60 * 1000;

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
}

/** Seconds to wait after `failures` consecutive failures (0 while below FREE_FAILURES). */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** Math.min(failures - FREE_FAILURES, 30));
}

export function tooManyAttemptsMessage(retryAfter: number) {
  return `Too many failed sign-ins for this email. Wait ${retryAfter} seconds and try again.`;
}

export function tooManyFromAddressMessage(retryAfter: number) {
  return `Too many failed sign-ins from your network. Wait ${retryAfter} seconds and try again.`;
}

function rateLimited(message: string, retryAfter: number): AppError {
  return new AppError("RATE_LIMITED", message, { retryAfter });
}

/**
 * Takes the next attempt for (email, address), or throws RATE_LIMITED while its delay runs.
 * The record (RateLimitBucket: count = consecutive failures including attempts in progress,
 * expiresAt = last attempt + FORGET_MS) is changed with a compare-and-set, so attempts sent in
 * parallel are taken one at a time: of racing attempts, one wins and the others are refused.
 */
async function claimAttempt(key: string, now: Date): Promise<void> {
  const db = getDb();
  const row = await db.rateLimitBucket.findUnique({ where: { key } });
  const live = row && row.expiresAt > now ? row : null;
  const failures = live?.count ?? 0;
  if (live) {
    const lastAttempt = live.expiresAt.getTime() - FORGET_MS;
    // Never more than the delay itself, even if the clock was set back (the test clock).
    const waitMs = Math.min(lastAttempt + delayAfter(failures) * 1000 - now.getTime(), delayAfter(failures) * 1000);
    if (waitMs > 0) throw rateLimited(tooManyAttemptsMessage(Math.ceil(waitMs / 1000)), Math.ceil(waitMs / 1000));
  }
  const next = { count: failures + 1, expiresAt: new Date(now.getTime() + FORGET_MS) };
  let claimed: boolean;
  if (row) {
    const { count } = await db.rateLimitBucket.updateMany({ where: { key, count: row.count, expiresAt: row.expiresAt }, data: next });
    claimed = count === 1;
  } else {
    claimed = await db.rateLimitBucket.create({ data: { key, ...next } }).then(
      () => true,
      (error: unknown) => {
        if (isUniqueViolation(error)) return false; // another attempt created it first
        throw error; // the database failing is not "too many attempts"
      },
    );
  }
  if (!claimed) throw rateLimited(tooManyAttemptsMessage(1), 1);
}

/**
 * Checks an email and password from a client address (lib/http/peer-address.ts). Returns the
 * user, or null for a wrong email or password; throws RATE_LIMITED while the throttle holds.
 */
export async function signIn(emailInput: string, password: string, now: Date, address = "unknown"): Promise<SignedInUser | null> {
  const email = emailInput.trim().toLowerCase();
  // `address` is the client as limits count it (lib/auth/options.ts passes an IPv6 /64 as one).
  const client = address;
  // The address's budget first: an attempt it refuses claims nothing of the (email, address)
  // delays. Counted before the password is checked, so that attempts sent in parallel are counted
  // too; a successful attempt is taken back off.
  const addressBucket = `sign-in-address:${client}`;
  const perAddress = await hit(databaseCounters, addressBucket, ADDRESS_FAILURES, ADDRESS_WINDOW_MS, now);
  if (!perAddress.allowed) throw rateLimited(tooManyFromAddressMessage(perAddress.retryAfter), perAddress.retryAfter);
  const pairKey = `sign-in:${email}|${client}`;
  await claimAttempt(pairKey, now);
  const db = getDb();
  const user = await db.user.findUnique({ where: { email } });
  // Hash even for an unknown email, so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) return null;
  await db.rateLimitBucket.deleteMany({ where: { key: pairKey } });
  await forgive(databaseCounters, addressBucket, ADDRESS_WINDOW_MS, now);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId };
}
