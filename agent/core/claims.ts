// What a product reads from its key before it trusts anything: the claims, decoded without
// verification (the signature is checked against the portal's JWKS when a key is installed).
import type { LicenseClaims } from "../../lib/crypto/license-key";

export interface KeyClaims {
  iss: string;
  sub: string;
  jti: string;
  ver: number;
  lic: LicenseClaims;
}

/** The claims of a compact JWS, or null when it is not one with license claims. */
export function decodeClaims(jws: string): KeyClaims | null {
  const parts = jws.trim().split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
  try {
    const c = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as KeyClaims;
    const l = c?.lic;
    if (
      typeof c.sub !== "string" || typeof c.jti !== "string" || !Number.isInteger(c.ver) || !l || typeof l !== "object" ||
      l.licenseId !== c.sub || typeof l.expirationDate !== "string" || typeof l.supportExpirationDate !== "string" || !Array.isArray(l.workloads)
    ) {
      return null;
    }
    return c;
  } catch {
    return null;
  }
}
