// The client address against the real server (`next start`, the production build): the High
// finding of issue 18. A request's X-Forwarded-For used to pick its rate-limit bucket (the
// leftmost entry), so anyone could exhaust a victim's. Now the bucket is the socket's peer, or
// behind PULSE_TRUSTED_PROXIES the address the proxy saw. The test's clients connect to
// 127.0.0.1 from different loopback source addresses (127.0.0.2, .3, ...): distinct peers.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProduction, type ProductionServer } from "./server";

let server: ProductionServer;
const LIMIT = 20;

beforeAll(async () => {
  server = await startProduction({
    env: { PULSE_RATE_LIMIT_PER_ADDRESS: String(LIMIT), PULSE_RATE_LIMIT_PER_LICENSE: "100000", PULSE_TRUSTED_PROXIES: "127.0.0.1" },
  });
});

afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request from `from` (a loopback source address) to the server. */
function send(from: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: server.port, localAddress: from, method, path, headers: { ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...headers }, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const updateBody = JSON.stringify({ licenseKey: "not-a-key", installationId: "vbr-prod-address", productVersion: "13.0.1.1071" });
const updateCheck = (from: string, forwardedFor?: string) =>
  send(from, "POST", "/api/v1/license/update", { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) }, updateBody);

async function statuses(n: number, request: () => Promise<Answer>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await request()).status);
  return out;
}

describe("the product API's per-address limit on the production server", () => {
  it("requests carrying a victim's address in X-Forwarded-For exhaust only the sender's own bucket", async () => {
    const VICTIM = "127.0.0.3";
    // The attacker connects directly (not a trusted proxy) and names the victim in X-Forwarded-For.
    const attacker = await statuses(LIMIT + 5, () => updateCheck("127.0.0.2", VICTIM));
    expect(attacker.slice(0, LIMIT).every((s) => s === 401)).toBe(true); // past the limit check: a bad key
    expect(attacker.slice(LIMIT)).toEqual(Array(5).fill(429));
    // The victim's own checks are not limited.
    expect(await statuses(3, () => updateCheck(VICTIM))).toEqual([401, 401, 401]);
  });

  it("behind the trusted proxy, the bucket is the address the proxy saw, not the entries the client wrote", async () => {
    const VICTIM = "127.0.0.5";
    // Through the proxy (127.0.0.1): the client wrote the victim's address, the proxy appended the real one.
    const spoofer = await statuses(LIMIT + 2, () => updateCheck("127.0.0.1", `${VICTIM}, 198.51.100.44`));
    expect(spoofer.slice(LIMIT)).toEqual([429, 429]);
    expect(await statuses(2, () => updateCheck("127.0.0.1", VICTIM))).toEqual([401, 401]);
    const limited = await updateCheck("127.0.0.1", "198.51.100.44");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("the sign-in throttle on the production server", () => {
  async function signInFrom(from: string, email: string, password: string, forwardedFor?: string): Promise<{ url: string; signedIn: boolean }> {
    const csrf = await send(from, "GET", "/api/auth/csrf");
    const cookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const form = new URLSearchParams({ email, password, csrfToken, callbackUrl: `${server.url}/`, json: "true" }).toString();
    const res = await send(from, "POST", "/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded", cookie, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) }, form);
    const url = (JSON.parse(res.body) as { url: string }).url;
    const signedIn = (res.headers["set-cookie"] ?? []).some((c) => c.startsWith("next-auth.session-token="));
    return { url: decodeURIComponent(url), signedIn };
  }

  it("an attacker's failures slow down the attacker's address only: the owner signs in from another", async () => {
    for (let i = 0; i < 5; i++) expect((await signInFrom("127.0.0.6", "victor@acme.test", `wrong-${i}`)).signedIn).toBe(false);
    const throttled = await signInFrom("127.0.0.6", "victor@acme.test", "pulse-demo-1");
    expect(throttled.signedIn).toBe(false);
    expect(throttled.url).toContain("Too many failed sign-ins for this email. Wait");
    // X-Forwarded-For from an untrusted peer does not move the attacker to another bucket.
    const spoofed = await signInFrom("127.0.0.6", "victor@acme.test", "pulse-demo-1", "127.0.0.7");
    expect(spoofed.signedIn).toBe(false);
    expect(spoofed.url).toContain("Too many failed sign-ins for this email. Wait");
    expect((await signInFrom("127.0.0.7", "victor@acme.test", "pulse-demo-1")).signedIn).toBe(true);
  });
});
