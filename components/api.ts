// fetch for the portal's own JSON routes: throws an Error with the problem document's detail.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: { ...(json !== undefined ? { "Content-Type": "application/json" } : {}), ...rest.headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(body?.detail ?? `Request failed (${res.status})`, res.status, body?.errors ?? []);
  return body as T;
}
