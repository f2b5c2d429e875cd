// License keys as compact JWS (RFC 7515) signed with EdDSA over Ed25519 (RFC 8037), exactly as
// PRODUCT-API.md says: header { alg, kid, typ: "pulse-license+jwt" }, claims iss, sub, jti, ver,
// iat and lic, and deliberately no exp (an expired key must still verify).
import { KeyObject, sign as cryptoSign, verify as cryptoVerify, type webcrypto } from "node:crypto";
import { Worker } from "node:worker_threads";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type CryptoKey, type JWK } from "jose";
import { keyRing } from "./keys";

export const LICENSE_KEY_TYP = "pulse-license+jwt";

export function issuer(): string {
  return process.env.PULSE_ISSUER || "vcsp-pulse";
}

export interface LicenseClaims {
  licenseId: string;
  organization: { id: string; name: string };
  supportId: string | null;
  type: "RENTAL" | "NFR" | "EVALUATION";
  product: { id: string; name: string; edition: string | null };
  workloads: { type: string; count: number }[];
  points: number;
  autoReported: boolean;
  expirationDate: string;
  supportExpirationDate: string;
}

export interface LicenseKeyPayload {
  iss: string;
  sub: string;
  jti: string;
  ver: number;
  iat: number;
  lic: LicenseClaims;
}

export interface SignInput {
  jti: string;
  version: number;
  issuedAt: Date;
  lic: LicenseClaims;
}

export interface SignedKey {
  jws: string;
  kid: string;
}

/** The compact serialization's header and payload of a key, base64url-encoded, before signing. */
function signingInputs(kid: string, inputs: readonly SignInput[]): { header: string; payloads: string[] } {
  return {
    header: b64url(JSON.stringify({ alg: "EdDSA", kid, typ: LICENSE_KEY_TYP })),
    payloads: inputs.map((input) =>
      b64url(
        JSON.stringify({
          iss: issuer(),
          sub: input.lic.licenseId,
          jti: input.jti,
          ver: input.version,
          iat: Math.floor(input.issuedAt.getTime() / 1000),
          lic: input.lic,
        } satisfies LicenseKeyPayload),
      ),
    ),
  };
}

export async function signLicenseKey(input: SignInput): Promise<SignedKey> {
  const ring = await keyRing();
  const { header, payloads } = signingInputs(ring.signing.kid, [input]);
  // The compact serialization is assembled here and signed with node:crypto's Ed25519, which
  // is about four times faster than jose's WebCrypto path (Submit Usage signs 2,000 keys at
  // once). The portal verifies its keys with node:crypto too (verifyLicenseKey); the tests
  // check that jose verifies what this writes, as products and the JWKS path do.
  const signingInput = `${header}.${payloads[0]}`;
  const signature = cryptoSign(null, Buffer.from(signingInput), keyObject(ring.signing.key));
  return { jws: `${signingInput}.${signature.toString("base64url")}`, kid: ring.signing.kid };
}

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** node:crypto's KeyObject of a WebCrypto key (private or public), converted once per key. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();
function keyObject(key: CryptoKey): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = KeyObject.from(key as unknown as webcrypto.CryptoKey);
    keyObjects.set(key, k);
  }
  return k;
}

/**
 * Signs many keys at once (Submit Usage: thousands). From BULK_IN_WORKER keys on, the signing
 * runs in a worker thread, so the caller's thread keeps working (writing the report's lines)
 * while the other core signs; if the worker cannot be used, the keys are signed here.
 */
export async function signLicenseKeys(inputs: SignInput[]): Promise<SignedKey[]> {
  if (inputs.length < BULK_IN_WORKER) return Promise.all(inputs.map(signLicenseKey));
  const ring = await keyRing();
  const { header, payloads } = signingInputs(ring.signing.kid, inputs);
  try {
    const jws = await signer(ring.signing.key).sign(header, payloads);
    return jws.map((j) => ({ jws: j, kid: ring.signing.kid }));
  } catch {
    return Promise.all(inputs.map(signLicenseKey));
  }
}

const BULK_IN_WORKER = 200;

// The worker's source, run with `eval` so that no bundler has to find a separate file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createPrivateKey, sign } = require("node:crypto");
const key = createPrivateKey({ key: workerData.jwk, format: "jwk" });
parentPort.on("message", ({ id, header, payloads }) => {
  try {
    const out = payloads.map((p) => {
      const input = header + "." + p;
      return input + "." + sign(null, Buffer.from(input), key).toString("base64url");
    });
    parentPort.postMessage({ id, out });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

/** One worker per signing key, kept for the life of the process (unref'd: it never holds the process open). */
class WorkerSigner {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: string[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly key: CryptoKey) {
    const jwk = keyObject(key).export({ format: "jwk" });
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { jwk } });
    this.worker.unref();
    this.worker.on("message", (m: { id: number; out?: string[]; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.out) p?.resolve(m.out);
      else p?.reject(new Error(m.error ?? "signing failed"));
    });
    this.worker.on("error", (e) => this.failAll(e));
    this.worker.on("exit", () => this.failAll(new Error("the signing worker exited")));
  }

  /** A dead worker fails what it had and is replaced on the next call. */
  private failAll(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    signers.delete(this.key);
  }

  sign(header: string, payloads: string[]): Promise<string[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, header, payloads });
    });
  }
}

const signers = new Map<CryptoKey, WorkerSigner>();
function signer(key: CryptoKey): WorkerSigner {
  let s = signers.get(key);
  if (!s) {
    s = new WorkerSigner(key);
    signers.set(key, s);
  }
  return s;
}

export class InvalidLicenseKey extends Error {}

function checkPayload(p: unknown): LicenseKeyPayload {
  const o = p as LicenseKeyPayload;
  if (
    !o || typeof o !== "object" || typeof o.sub !== "string" || typeof o.jti !== "string" || !Number.isInteger(o.ver) ||
    typeof o.iat !== "number" || typeof o.lic !== "object" || o.lic === null || o.lic.licenseId !== o.sub
  ) {
    throw new InvalidLicenseKey("the key's claims are not a license");
  }
  return o;
}

/** The protected header of a license key, or InvalidLicenseKey. */
function licenseKeyHeader(jws: string): { kid: string } {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw new InvalidLicenseKey("not a compact JWS");
  }
  if (header.alg !== "EdDSA" || header.typ !== LICENSE_KEY_TYP || typeof header.kid !== "string") {
    throw new InvalidLicenseKey("unexpected JWS header");
  }
  // Our keys never carry them; jose refuses what it does not understand, and so does this.
  if ("crit" in header || "b64" in header) throw new InvalidLicenseKey("unexpected JWS header");
  return { kid: header.kid };
}

/** Verifies a key against a set of public JWKs (a JWKS as a product or client fetches it), with jose. */
export async function verifyLicenseKeyWith(jws: string, jwks: { keys: JWK[] }): Promise<LicenseKeyPayload> {
  licenseKeyHeader(jws);
  try {
    const result = await compactVerify(jws, createLocalJWKSet(jwks as never), { algorithms: ["EdDSA"] });
    return checkPayload(JSON.parse(new TextDecoder().decode(result.payload)));
  } catch (error) {
    if (error instanceof InvalidLicenseKey) throw error;
    throw new InvalidLicenseKey("the signature does not verify");
  }
}

const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/**
 * Verifies a key against the portal's own keys. Throws InvalidLicenseKey when it does not.
 * This runs on every product API call, so the signature is checked with node:crypto's
 * synchronous Ed25519 verify over the exact signed text (header.payload): jose 6 verifies only
 * through WebCrypto, whose asynchronous job and key conversions cost several times as much on
 * this path. The header goes through the same checks as with jose (licenseKeyHeader), and a
 * property test holds this function to jose's answer for the same keys.
 */
export async function verifyLicenseKey(jws: string): Promise<LicenseKeyPayload> {
  const ring = await keyRing();
  const compact = jws.trim();
  const { kid } = licenseKeyHeader(compact);
  const parts = COMPACT_JWS.exec(compact);
  if (!parts) throw new InvalidLicenseKey("not a compact JWS");
  const key = ring.verification.find((v) => v.kid === kid)?.key;
  if (!key) throw new InvalidLicenseKey("unknown key id");
  let valid = false;
  try {
    valid = cryptoVerify(null, Buffer.from(`${parts[1]}.${parts[2]}`), keyObject(key), Buffer.from(parts[3], "base64url"));
  } catch {
    valid = false;
  }
  if (!valid) throw new InvalidLicenseKey("the signature does not verify");
  let payload: LicenseKeyPayload;
  try {
    payload = checkPayload(JSON.parse(Buffer.from(parts[2], "base64url").toString("utf8")));
  } catch (error) {
    if (error instanceof InvalidLicenseKey) throw error;
    throw new InvalidLicenseKey("the claims are not JSON");
  }
  if (payload.iss !== issuer()) throw new InvalidLicenseKey("issued by another portal");
  return payload;
}
