// Load shedding for the product API: an admission controller per app instance. When more product
// API requests are in flight than PULSE_MAX_INFLIGHT (or, optionally, when the event loop lags
// more than PULSE_MAX_EVENT_LOOP_LAG_MS), a new one is answered at once, before its body is read,
// with 503 and Retry-After, instead of joining a queue that ends in timeouts. Portal pages and the
// portal API do not pass through it: they keep answering while the product API sheds.
//
// Where: as early as the process allows. Next.js spends 2.5 to 5 ms of CPU on a request before a
// route handler runs (bench/README.md), about half of what serving an update check costs, so a
// request shed only in the handler has already paid that, and under twice the capacity the queue
// forms in front of the handler, where a bound on the handler does not see it (bench/RESULTS.md,
// "Overload": no request shed, hundreds of timeouts). So `guardProductApiAtTheSocket`
// (instrumentation.ts, once per server process) counts and sheds the product API's requests on
// the node:http server's "request" event, before Next.js sees them, and releases the slot when
// the response closes; `withAdmission` (at the top of productRoute) does the same in the route
// handler where that guard is not installed (route handlers called in-process by the tests, a
// custom server) and steps aside where it is, so a request is counted once.
//
// Written here rather than taken from a library: fastify's @fastify/under-pressure works only as
// a fastify plugin, toobusy-js is unmaintained and measures lag only, and a Next.js route handler
// has no middleware chain to plug either into. What is needed is small: a counter, a bound, a lag
// sample, and the answer.
//
// `decide` is the pure rule; `createAdmission` keeps the count (it never goes below zero and each
// ticket is released once).
//
// Known limit: a slot is held while the request's body arrives, so clients that send their bodies
// very slowly can hold every slot (until node's requestTimeout, 300 s by default); a deadline on
// reading the body (lib/http/body.ts) would bound that.
import http from "node:http";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { NextRequest } from "next/server";
import { systemNow } from "../clock";
import { RETRY_AFTER_GENERATION_FAILURE_MS } from "../domain/schedule";
import { generationFailedAnswer } from "../server/license-update";
import { problemResponse } from "./problem";

export interface OverloadConfig {
  /** Product API requests in flight per instance; 0 turns the bound off. */
  maxInflight: number;
  /** Event loop delay (ms, the recent mean) above which requests are shed; 0 turns it off. */
  maxLagMs: number;
  /** Retry-After (seconds) of a shed answer: a value from base to twice base, so that shed clients do not all come back together. */
  retryAfterBaseSeconds: number;
}

export type Decision = { admit: true } | { admit: false; reason: "inflight" | "lag"; retryAfter: number };

/**
 * Whether one more request may start, given the requests now in flight and the recent event
 * loop delay. `random` (0 <= random < 1) spreads the Retry-After over [base, 2 * base].
 */
export function decide(state: { inflight: number; lagMs: number }, config: OverloadConfig, random: number): Decision {
  const retryAfter = Math.max(1, Math.round(config.retryAfterBaseSeconds * (1 + Math.min(Math.max(random, 0), 1))));
  if (config.maxInflight > 0 && state.inflight >= config.maxInflight) return { admit: false, reason: "inflight", retryAfter };
  if (config.maxLagMs > 0 && state.lagMs > config.maxLagMs) return { admit: false, reason: "lag", retryAfter };
  return { admit: true };
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: "inflight" | "lag"; retryAfter: number };

export interface AdmissionController {
  tryEnter(): Admission;
  inflight(): number;
  /** Requests shed since the start, by reason. */
  shed(): { inflight: number; lag: number };
}

/** The stateful part: the in-flight count of one instance. `lagMs` reads the recent event loop delay. */
export function createAdmission(config: OverloadConfig, lagMs: () => number = () => 0, random: () => number = Math.random): AdmissionController {
  let inflight = 0;
  const shed = { inflight: 0, lag: 0 };
  return {
    tryEnter() {
      const d = decide({ inflight, lagMs: config.maxLagMs > 0 ? lagMs() : 0 }, config, random());
      if (!d.admit) {
        shed[d.reason]++;
        return { admitted: false, reason: d.reason, retryAfter: d.retryAfter };
      }
      inflight++;
      let released = false;
      return {
        admitted: true,
        release() {
          if (released) return;
          released = true;
          inflight = Math.max(0, inflight - 1);
        },
      };
    },
    inflight: () => inflight,
    shed: () => ({ ...shed }),
  };
}

/** PULSE_MAX_INFLIGHT's default: see bench/RESULTS.md, "Overload", for how it was chosen. */
export const DEFAULT_MAX_INFLIGHT = 64;

function numberFrom(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

export function overloadConfig(env: Record<string, string | undefined> = process.env): OverloadConfig {
  return {
    maxInflight: numberFrom(env.PULSE_MAX_INFLIGHT, DEFAULT_MAX_INFLIGHT),
    maxLagMs: numberFrom(env.PULSE_MAX_EVENT_LOOP_LAG_MS, 0),
    retryAfterBaseSeconds: 2,
  };
}

/** The recent mean event loop delay (ms), from a histogram that is reset every half second. */
function lagSampler(): () => number {
  let histogram: IntervalHistogram | undefined;
  let recent = 0;
  return () => {
    if (!histogram) {
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const h = histogram;
      setInterval(() => {
        recent = h.count > 0 ? h.mean / 1e6 : 0;
        h.reset();
      }, 500).unref();
    }
    return recent;
  };
}

interface ProcessState {
  controller?: AdmissionController;
  socketGuard?: boolean;
}

/**
 * Shared by every bundle of the server process (Next.js may load the route handlers and
 * instrumentation.ts as separate module instances), so there is one count per instance.
 */
function processState(): ProcessState {
  const g = globalThis as unknown as Record<symbol, ProcessState | undefined>;
  const key = Symbol.for("pulse.overload");
  g[key] ??= {};
  return g[key];
}

/** This instance's admission controller for the product API, configured from the environment at first use. */
export function productAdmissionController(): AdmissionController {
  const state = processState();
  state.controller ??= createAdmission(overloadConfig(), lagSampler());
  return state.controller;
}

/** The product API's paths that are shed (PRODUCT-API.md). */
export const PRODUCT_API_PATHS = ["/api/v1/license/update", "/api/v1/usage/reports"];

const UPDATE_RETRY_AFTER = String(RETRY_AFTER_GENERATION_FAILURE_MS / 1000);

/**
 * The answer to a shed request: on the update endpoint its own 503, GenerationFailed with
 * Retry-After 86400 (PRODUCT-API.md: a product then asks again by its schedule's retry interval);
 * on the reports endpoint, whose contract lists no 503, a 503 problem document (the error shape of
 * every endpoint) with the controller's short Retry-After.
 */
export function shedAnswer(pathname: string, retryAfter: number, at: Date): { status: number; headers: Record<string, string>; body: string } {
  if (pathname === "/api/v1/license/update") {
    return { status: 503, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Retry-After": UPDATE_RETRY_AFTER }, body: JSON.stringify(generationFailedAnswer(at)) };
  }
  return {
    status: 503,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Retry-After": String(retryAfter) },
    body: JSON.stringify({ type: "https://pulse.invalid/problems/503", title: "Service Unavailable", status: 503, detail: `The server is busy; retry after ${retryAfter} seconds.` }),
  };
}

/** The path of a request's target, whether written as a path or as a full URL; "" when it is not a URL. */
export function requestPath(target: string | undefined): string {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}

/**
 * Sheds the product API on the node:http server's "request" event, before Next.js handles the
 * request (see the top of this file). Once per process; returns its uninstall. The time of a shed answer is the system
 * clock (a shed answer touches no database, not even the test clock's offset).
 */
export function guardProductApiAtTheSocket(controller: () => AdmissionController = productAdmissionController): () => void {
  const state = processState();
  if (state.socketGuard) return () => undefined;
  state.socketGuard = true;
  const emit = http.Server.prototype.emit;
  const guarded = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      // The path as Next.js will route it, also for a request written with a full URL as its target.
      const pathname = requestPath(req.url);
      if (req.method === "POST" && PRODUCT_API_PATHS.includes(pathname)) {
        const admission = controller().tryEnter();
        if (!admission.admitted) {
          const answer = shedAnswer(pathname, admission.retryAfter, systemNow());
          res.writeHead(answer.status, answer.headers).end(answer.body);
          return true;
        }
        res.once("close", admission.release);
      }
    }
    return (emit as (this: http.Server, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  http.Server.prototype.emit = guarded;
  // The uninstall (for tests).
  return () => {
    if (http.Server.prototype.emit === guarded) http.Server.prototype.emit = emit;
    state.socketGuard = false;
  };
}

type Handler = (req: NextRequest, route: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * A product route handler behind the admission controller, unless the socket guard counts this
 * process's requests already. A shed request gets the endpoint's own failure answer when it has
 * one (the update endpoint: 503 GenerationFailed with its Retry-After), else a 503 problem
 * document with Retry-After.
 */
export function withAdmission(onFailure: ((error: unknown, at: Date) => Response) | undefined, handler: Handler, controller: () => AdmissionController = productAdmissionController): Handler {
  return async (req, route) => {
    if (processState().socketGuard) return handler(req, route);
    const admission = controller().tryEnter();
    if (!admission.admitted) {
      const detail = `The server is busy; retry after ${admission.retryAfter} seconds.`;
      if (onFailure) return onFailure(new OverloadedError(detail), systemNow());
      return problemResponse(503, detail, { headers: { "Retry-After": String(admission.retryAfter) } });
    }
    try {
      return await handler(req, route);
    } finally {
      admission.release();
    }
  };
}

/** What a shed request's onFailure receives. */
export class OverloadedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OverloadedError";
  }
}
