// Pure reading of the portal's answers, as a product reads them: an answer that does not parse
// with the wire schema, or whose HTTP status does not match its result, is an invalid answer; a
// new key is installed only when it verifies against the portal's JWKS and is a newer key of the
// same license from the same issuer.
import { InvalidLicenseKey, verifyLicenseKeyWith } from "../../lib/crypto/license-key";
import type { CheckOutcome } from "../../lib/domain/schedule";
import { jwksDocument, licenseUpdateAnswer, UPDATE_STATUS, usageReportAnswer, type LicenseUpdateAnswer, type UsageReportAnswer } from "../../lib/schemas/product-api";
import { decodeClaims, type KeyClaims } from "./claims";

/** What came back over the wire: a status and a body (parsed JSON, or the raw text when it was not JSON). */
export interface WireAnswer {
  status: number;
  body: unknown;
}

export type ReadUpdate = { kind: "answer"; answer: LicenseUpdateAnswer } | { kind: "invalid"; reason: string };

/** Reads an update-check answer; anything not exactly as PRODUCT-API.md says is an invalid answer. */
export function readUpdateAnswer(wire: WireAnswer): ReadUpdate {
  const parsed = licenseUpdateAnswer.safeParse(wire.body);
  if (!parsed.success) {
    const what = typeof wire.body === "string" ? (/^\s*</.test(wire.body) ? "an HTML page" : "text that is not JSON") : "JSON that is not an update answer";
    return { kind: "invalid", reason: `the portal answered HTTP ${wire.status} with ${what}` };
  }
  const answer = parsed.data;
  if (UPDATE_STATUS[answer.result] !== wire.status) return { kind: "invalid", reason: `HTTP ${wire.status} does not go with the result ${answer.result}` };
  if (answer.result === "Success" && !answer.licenseKey) return { kind: "invalid", reason: "Success without a license key" };
  return { kind: "answer", answer };
}

export type ReadReport =
  | { kind: "stored"; answer: UsageReportAnswer; created: boolean }
  | { kind: "refused"; status: number; detail: string }
  | { kind: "invalid"; reason: string };

/** Reads a usage report answer: 201 accepted or 200 duplicate are stored; a problem document is a refusal. */
export function readReportAnswer(wire: WireAnswer): ReadReport {
  if (wire.status === 200 || wire.status === 201) {
    const parsed = usageReportAnswer.safeParse(wire.body);
    if (!parsed.success) return { kind: "invalid", reason: `HTTP ${wire.status} without a report answer` };
    if ((wire.status === 201) !== (parsed.data.status === "accepted")) return { kind: "invalid", reason: `HTTP ${wire.status} with status ${parsed.data.status}` };
    return { kind: "stored", answer: parsed.data, created: wire.status === 201 };
  }
  const body = wire.body as { title?: unknown; detail?: unknown } | undefined;
  const detail = body && typeof body === "object" && typeof body.detail === "string" ? body.detail : `HTTP ${wire.status}`;
  return { kind: "refused", status: wire.status, detail };
}

/** The schedule's outcome of a read answer. */
export function outcomeOf(read: ReadUpdate): CheckOutcome {
  return read.kind === "invalid" ? "InvalidAnswer" : read.answer.result;
}

/**
 * Whether `jws` may replace the installed key: it verifies against `jwks` (the portal's
 * /.well-known/jwks.json), is a key of the same license from the same issuer, and is newer.
 * Returns its claims, or why it is refused.
 */
export async function acceptNewKey(installed: KeyClaims, jws: string, jwks: unknown): Promise<{ ok: true; claims: KeyClaims } | { ok: false; reason: string }> {
  const set = jwksDocument.safeParse(jwks);
  if (!set.success) return { ok: false, reason: "the portal's JWKS is not a key set" };
  try {
    await verifyLicenseKeyWith(jws, set.data);
  } catch (error) {
    if (error instanceof InvalidLicenseKey) return { ok: false, reason: `the new key does not verify against the portal's JWKS (${error.message})` };
    throw error;
  }
  const claims = decodeClaims(jws);
  if (!claims) return { ok: false, reason: "the new key has no license claims" };
  if (claims.sub !== installed.sub) return { ok: false, reason: `the new key is for license ${claims.sub}, not ${installed.sub}` };
  if (claims.iss !== installed.iss) return { ok: false, reason: `the new key was issued by ${claims.iss}, not ${installed.iss}` };
  if (claims.ver <= installed.ver) return { ok: false, reason: `the new key (version ${claims.ver}) is not newer than the installed one (version ${installed.ver})` };
  return { ok: true, claims };
}
