// The one error type that services throw. It knows nothing of HTTP: lib/http/problem.ts maps
// each code to a status and a problem document in one place.

export type ErrorCode =
  | "BAD_REQUEST" // malformed input (not JSON, wrong shape)
  | "UNPROCESSABLE" // well-formed but refused by a rule
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE";

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  /** Seconds, for RATE_LIMITED and UNAVAILABLE. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, extra: { errors?: FieldError[]; retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.errors = extra.errors;
    this.retryAfter = extra.retryAfter;
  }
}

export const notFound = (what = "Not found") => new AppError("NOT_FOUND", what);

/** Prisma's codes for a database it cannot reach or lost: P1001 unreachable, P1002 timed out, P1008 operation timed out, P1017 connection closed, P2024 no free connection in time. */
const UNREACHABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver adapters' kinds for the same. */
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Node's network errors. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTCONN"]);

/**
 * True when `error` says the database is out of reach for now (PostgreSQL restarting or down,
 * no connection free in time; SQLite busy beyond its timeout) rather than that the request was
 * wrong: such a request is answered 503 with Retry-After, so that a client retries it later.
 * Looks at Prisma's code, its driver adapter's cause, node-postgres's SQLSTATE (class 08
 * connection exception; 57P01-57P03 shutdown and start-up; 53300 too many connections) and
 * Node's network codes, through `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (UNREACHABLE_PRISMA.has(code) || NETWORK.has(code) || code === "SQLITE_BUSY") return true;
  if (/^(08...|57P0[123]|53300)$/.test(code)) return true;
  if (typeof e.kind === "string" && UNREACHABLE_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(e.message)) return true;
  return isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
