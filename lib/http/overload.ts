// Load shedding for the product API: an admission controller per app instance. When more product
// API requests are in flight than PULSE_MAX_INFLIGHT (or, optionally, when the event loop lags
// more than PULSE_MAX_EVENT_LOOP_LAG_MS), a new one is answered at once, before its body is read,
// with 503 and Retry-After, instead of joining a queue that ends in timeouts. Portal pages and the
// portal API do not pass through it: they keep answering while the product API sheds.
//
// Written here rather than taken from a library: fastify's @fastify/under-pressure works only as
// a fastify plugin, toobusy-js is unmaintained and measures lag only, and a Next.js route handler
// has no middleware chain to plug either into. What is needed is small: a counter, a bound, a lag
// sample, and the answer.
//
// `decide` is the pure rule; `createAdmission` keeps the count (it never goes below zero and each
// ticket is released once); `withAdmission` wraps a product route handler (lib/http/route.ts).
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { NextRequest } from "next/server";
import { systemNow } from "../clock";
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

let productAdmission: AdmissionController | undefined;

/** This instance's admission controller for the product API, configured from the environment at first use. */
export function productAdmissionController(): AdmissionController {
  productAdmission ??= createAdmission(overloadConfig(), lagSampler());
  return productAdmission;
}

type Handler = (req: NextRequest, route: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * A product route handler behind the admission controller. A shed request gets the endpoint's
 * own failure answer when it has one (the update endpoint: 503 GenerationFailed with its
 * Retry-After, PRODUCT-API.md), else a 503 problem document with Retry-After. Its time is the
 * system clock: a shed answer touches no database (not even the test clock's offset).
 */
export function withAdmission(onFailure: ((error: unknown, at: Date) => Response) | undefined, handler: Handler, controller: () => AdmissionController = productAdmissionController): Handler {
  return async (req, route) => {
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
