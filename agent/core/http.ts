// The HTTP transport: plain fetch to the portal, exactly as a product server calls it.
import type { LicenseUpdateRequest, UsageReportRequest } from "../../lib/schemas/product-api";
import type { WireAnswer } from "./answers";
import { AgentError } from "./errors";
import { ConnectionFailure, type Transport } from "./transport";

const TIMEOUT_MS = 30_000;

export function serverUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new AgentError(`--server ${server} is not a URL; write it as http://127.0.0.1:3000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AgentError(`--server ${server}: only http and https are supported.`);
  return url;
}

export class HttpTransport implements Transport {
  constructor(
    private readonly base: URL,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<WireAnswer> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(path, this.base), {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ConnectionFailure(`cannot reach ${this.base.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the reader says so
    }
    return { status: res.status, body: parsed };
  }

  update(body: LicenseUpdateRequest): Promise<WireAnswer> {
    return this.call("POST", "/api/v1/license/update", body);
  }

  report(body: UsageReportRequest): Promise<WireAnswer> {
    return this.call("POST", "/api/v1/usage/reports", body);
  }

  async jwks(): Promise<unknown> {
    const res = await this.call("GET", "/.well-known/jwks.json");
    return res.status === 200 ? res.body : null;
  }

  /** The portal's time when it runs with its test clock (PULSE_TEST_CLOCK=1). */
  async testClock(): Promise<Date> {
    const res = await this.call("GET", "/api/test/clock");
    const now = (res.body as { now?: unknown } | null)?.now;
    if (res.status !== 200 || typeof now !== "string" || Number.isNaN(Date.parse(now))) {
      throw new AgentError(`${this.base.origin} has no test clock (HTTP ${res.status}); start the portal with PULSE_TEST_CLOCK=1, or run without --test-clock.`);
    }
    return new Date(now);
  }
}
