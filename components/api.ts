// fetch for the portal's own JSON routes: throws an ApiError whose message says in plain words
// why the request failed (the problem document's detail, or what went wrong on the way).
export class ApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or 0 when the portal could not be reached at all. */
    readonly status: number,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }

  /** The request may or may not have reached the portal: only a fresh read can tell. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export const UNREACHABLE = "The portal could not be reached (no connection, or it did not answer).";

export async function api<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, {
      ...rest,
      headers: { ...(json !== undefined ? { "Content-Type": "application/json" } : {}), ...rest.headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch {
    // fetch rejects only when no answer came back ("Failed to fetch"): say so in words.
    throw new ApiError(UNREACHABLE, 0);
  }
  const text = await res.text();
  let body: { detail?: string; errors?: { path: string; message: string }[] } | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined; // an HTML error page from a proxy, say
  }
  if (!res.ok) {
    const detail = body?.detail ?? (res.status >= 500 ? `The portal had a problem (error ${res.status}).` : `The request was refused (error ${res.status}).`);
    throw new ApiError(detail, res.status, body?.errors ?? []);
  }
  return body as T;
}

/** Why an action failed, then what it means: "The portal could not be reached (…). LIC-1 was not changed." */
export function failure(error: unknown, outcome: string): string {
  const reason = error instanceof Error ? error.message : "Something went wrong.";
  return `${reason.replace(/\.?$/, ".")} ${outcome}`;
}
