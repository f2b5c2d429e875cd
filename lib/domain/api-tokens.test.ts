import { describe, expect, it } from "vitest";
import { apiTokenExpiry, apiTokenStatus, bearerOf, scopeAllows, tokenSecretOf } from "./api-tokens";

const secret = "A".repeat(43);

describe("API token rules", () => {
  it("accepts only pulse_pat_ and 43 base64url characters", () => {
    expect(tokenSecretOf(`pulse_pat_${secret}`)).toBe(secret);
    expect(tokenSecretOf(`pulse_pat_${secret}x`)).toBeNull();
    expect(tokenSecretOf(`pulse_pat_${"A".repeat(42)}=`)).toBeNull();
    expect(tokenSecretOf(`pulse_pak_${secret}`)).toBeNull();
    expect(tokenSecretOf("")).toBeNull();
  });

  it("reads the Bearer credential; anything else in Authorization is malformed", () => {
    expect(bearerOf(null)).toBeNull();
    expect(bearerOf("Bearer abc")).toBe("abc");
    expect(bearerOf("bearer  abc")).toBe("abc");
    expect(bearerOf("Basic dXNlcjpwYXNz")).toBe("malformed");
    expect(bearerOf("Bearer")).toBe("malformed");
    expect(bearerOf("Bearer a b")).toBe("malformed");
  });

  it("read: GET only; admin: GET and PATCH; nobody POST, PUT or DELETE", () => {
    expect(scopeAllows("read", "GET")).toBe(true);
    expect(scopeAllows("read", "PATCH")).toBe(false);
    expect(scopeAllows("admin", "patch")).toBe(true);
    for (const m of ["POST", "PUT", "DELETE"]) {
      expect(scopeAllows("read", m)).toBe(false);
      expect(scopeAllows("admin", m)).toBe(false);
    }
  });

  it("is expired from its expiry on, revoked whatever its expiry", () => {
    const now = new Date("2026-12-03T12:00:00Z");
    const expiresAt = apiTokenExpiry(now, 30);
    expect(expiresAt.toISOString()).toBe("2027-01-02T12:00:00.000Z");
    expect(apiTokenStatus({ expiresAt, revokedAt: null }, now)).toBe("active");
    expect(apiTokenStatus({ expiresAt, revokedAt: null }, expiresAt)).toBe("expired");
    expect(apiTokenStatus({ expiresAt, revokedAt: now }, now)).toBe("revoked");
  });
});
