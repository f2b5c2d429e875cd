import "server-only";
import { getDb } from "../db";

/** True when the database answers a query. */
export async function checkDatabase(): Promise<boolean> {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return true;
  } catch (error) {
    console.error("Health check: the database does not answer:", error instanceof Error ? error.message : error);
    return false;
  }
}
