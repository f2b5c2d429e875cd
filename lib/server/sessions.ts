// Ending a user's sessions: every session cookie carries the user's sessionVersion of its sign-in
// (lib/auth/options.ts), and lib/auth/current-user.ts refuses one whose version is no longer the
// user's. Bumping the version ends every session of the user at once, on every instance, however
// many copies of the cookie exist. Used on sign-out (lib/auth/options.ts, events.signOut) and by
// a role change (changeUserRole). Removing a user deletes their row, which ends their sessions
// too (no row, no session); a removal that keeps the row must call endSessions.
import "server-only";
import { getDb } from "../db";
import type { Role } from "../generated/sqlite/enums";

type Db = Pick<ReturnType<typeof getDb>, "user">;

/** Ends every session of the user (a no-op for an unknown id). Returns whether the user exists. */
export async function endSessions(userId: string, db: Db = getDb()): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  return count > 0;
}

/** Changes a user's role; their sessions end with it, so the new role is signed in afresh. */
export async function changeUserRole(userId: string, role: Role): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { role, sessionVersion: { increment: 1 } }, select: { id: true } });
}
