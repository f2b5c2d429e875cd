// Signing in to a served portal over HTTP as a browser does, through next-auth's credentials flow:
// the CSRF token (and its cookie), then the credentials callback, which sets the session cookie.
export const DEMO_PASSWORD = "pulse-demo-1";

/** A cookie jar of one client: the Cookie header of what the server set so far. */
export class Cookies {
  private jar = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      this.jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(name: string): boolean {
    return this.jar.has(name);
  }
}

/** Signs `email` in at `baseUrl`; answers the cookies of the signed-in client (throws when sign-in fails). */
export async function signInOverHttp(baseUrl: string, email: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}): Promise<Cookies> {
  const cookies = new Cookies();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  cookies.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies.header(), Origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  cookies.take(res);
  if (![...cookies.header().matchAll(/session-token=/g)].length) throw new Error(`Sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return cookies;
}
