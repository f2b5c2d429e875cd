// Maps errors to HTTP in exactly one place: AppError codes to statuses, and every error to an
// RFC 9457 problem document. A 5xx never carries a stack trace.
import { AppError, isDatabaseUnavailable, type ErrorCode, type FieldError } from "../errors";

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

const TITLE: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function problemResponse(
  status: number,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const body = {
    type: `https://pulse.invalid/problems/${status}`,
    title: TITLE[status] ?? "Error",
    status,
    detail,
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...extra.headers },
  });
}

/** Seconds a client waits before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 30;

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const status = STATUS[error.code];
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["Retry-After"] = String(error.retryAfter);
    return problemResponse(status, error.message, { errors: error.errors, headers });
  }
  if (isDatabaseUnavailable(error)) {
    // Not the request's fault and not a bug: the client retries later (test/production/crash.prod.test.ts).
    console.warn(`Database unavailable: ${error instanceof Error ? error.message.split("\n").filter(Boolean).at(-1) : String(error)}`);
    return problemResponse(503, "The database is not available at the moment. Retry later.", { headers: { "Retry-After": String(DATABASE_RETRY_AFTER_S) } });
  }
  console.error("Unhandled error in route handler:", error);
  return problemResponse(500, "An unexpected error occurred. It has been logged.");
}
