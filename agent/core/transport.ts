// How a product server reaches the portal: over HTTP (agent check/report/run), or in process
// (agent simulate, against the portal's services). Both hand back the status and the body, and
// the same pure functions (answers.ts) read them.
import type { LicenseUpdateRequest, UsageReportRequest } from "../../lib/schemas/product-api";
import type { WireAnswer } from "./answers";

/** The portal could not be reached, or the connection broke before an answer. */
export class ConnectionFailure extends Error {}

export interface Transport {
  update(body: LicenseUpdateRequest, now: Date): Promise<WireAnswer>;
  report(body: UsageReportRequest, now: Date): Promise<WireAnswer>;
  /** The verification keys (GET /.well-known/jwks.json). */
  jwks(): Promise<unknown>;
}
