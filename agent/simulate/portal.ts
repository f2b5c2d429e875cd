// The portal in process, for the simulator: its own services on a throwaway database, reached
// without HTTP. The transport answers as the route handlers would (status and body), so the
// product servers read the answers with the same functions as over HTTP.
import { jwks } from "../../lib/crypto/keys";
import { AppError } from "../../lib/errors";
import { UPDATE_STATUS, type LicenseUpdateRequest, type UsageReportRequest } from "../../lib/schemas/product-api";
import { answerUpdateCheck, generationFailedAnswer, invalidLicenseAnswer } from "../../lib/server/license-update";
import { authenticateLicenseKey } from "../../lib/server/product-auth";
import { ingestUsageReport } from "../../lib/server/usage-reports";
import type { WireAnswer } from "../core/answers";
import { ConnectionFailure, type Transport } from "../core/transport";

const STATUS: Partial<Record<AppError["code"], number>> = { BAD_REQUEST: 400, UNPROCESSABLE: 422, UNAUTHENTICATED: 401, NOT_FOUND: 404, CONFLICT: 409 };

export interface Outage {
  from: Date;
  to: Date;
}

export const inOutage = (outages: readonly Outage[], now: Date) => outages.some((o) => now >= o.from && now < o.to);

export class InProcessTransport implements Transport {
  private keys: unknown = null;
  constructor(
    private readonly outages: readonly Outage[],
    private readonly installationAddress = "127.0.0.1",
  ) {}

  async update(body: LicenseUpdateRequest, now: Date): Promise<WireAnswer> {
    if (inOutage(this.outages, now)) throw new ConnectionFailure("the portal is unreachable (outage)");
    try {
      const holder = await authenticateLicenseKey(body.licenseKey);
      if (!holder) return { status: 401, body: invalidLicenseAnswer(now) };
      const answer = await answerUpdateCheck({ actor: { ...holder, type: "installation", installationId: body.installationId, clientAddress: this.installationAddress }, now }, body);
      return { status: UPDATE_STATUS[answer.result], body: answer };
    } catch {
      return { status: 503, body: generationFailedAnswer(now) };
    }
  }

  async report(body: UsageReportRequest, now: Date): Promise<WireAnswer> {
    if (inOutage(this.outages, now)) throw new ConnectionFailure("the portal is unreachable (outage)");
    const holder = await authenticateLicenseKey(body.licenseKey);
    if (!holder) return { status: 401, body: { title: "Unauthorized", detail: "The license key is not valid." } };
    try {
      const { created, answer } = await ingestUsageReport({ actor: { ...holder, type: "installation", installationId: body.installationId, clientAddress: this.installationAddress }, now }, body);
      return { status: created ? 201 : 200, body: answer };
    } catch (error) {
      if (error instanceof AppError) return { status: STATUS[error.code] ?? 400, body: { title: error.code, detail: error.message } };
      throw error;
    }
  }

  async jwks(): Promise<unknown> {
    this.keys ??= await jwks();
    return this.keys;
  }
}
