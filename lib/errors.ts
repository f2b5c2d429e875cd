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
