import "server-only";
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressRefusal, WEBHOOK_TIMEOUT_MS, type AddressPolicy } from "../../domain/notifications";
import { testClockEnabled } from "../../config";

/** The address policy of this process: the test clock on means 127.0.0.1 only; PULSE_WEBHOOK_ALLOW_PRIVATE=1 allows private networks. */
export function addressPolicy(): AddressPolicy {
  return { testMode: testClockEnabled(), allowPrivate: process.env.PULSE_WEBHOOK_ALLOW_PRIVATE === "1" };
}

export class RefusedAddress extends Error {}

/**
 * A DNS lookup that refuses what addressRefusal refuses, for the connection itself: the check
 * runs on the address the socket will connect to, so a name that resolves to a private address
 * (or is re-pointed between a check and the connection) is refused too.
 */
export function checkedLookup(policy: AddressPolicy): LookupFunction {
  return ((hostname: string, options: object, callback: (err: Error | null, address: unknown, family?: number) => void) => {
    dnsLookup(hostname, { ...options }, (err, address, family) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? (address as { address: string }[]).map((a) => a.address) : [address as string];
      for (const a of list) {
        const refusal = addressRefusal(a, policy);
        if (refusal) return callback(new RefusedAddress(`Refused: ${hostname} resolves to ${a}. ${refusal}`), address, family);
      }
      callback(null, address, family);
    });
  }) as unknown as LookupFunction;
}

export interface PostResult {
  status: number | null;
  error: string | null;
}

/**
 * POSTs a webhook: no redirect is followed (a 3xx is an answer that is not a delivery), the
 * whole exchange must end within the timeout (10 s), and the address check runs on the resolved
 * address (an IP literal in the URL is checked as it is).
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs?: number; policy?: AddressPolicy } = {}): Promise<PostResult> {
  const policy = options.policy ?? addressPolicy();
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ status: null, error: "Invalid URL" });
    }
    const host = u.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const refusal = addressRefusal(host, policy);
      if (refusal) return resolve({ status: null, error: `Refused: ${refusal}` });
    }
    if (u.protocol !== "https:" && !(u.protocol === "http:" && policy.testMode)) return resolve({ status: null, error: "Refused: only HTTPS URLs are allowed" });
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const client = u.protocol === "https:" ? https : http;
    const req = client.request(u, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: checkedLookup(policy), agent: false }, (res) => {
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024) res.destroy();
      });
      res.on("end", () => done({ status: res.statusCode ?? null, error: null }));
      res.on("close", () => done({ status: res.statusCode ?? null, error: null }));
      res.on("error", () => done({ status: res.statusCode ?? null, error: null }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: null, error: `No answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on("error", (error) => done({ status: null, error: error instanceof RefusedAddress ? error.message : `Connection failed: ${error.message}` }));
    req.end(body);
  });
}
