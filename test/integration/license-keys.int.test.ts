// Signing and verification of license keys, and the JWKS document.
import fc from "fast-check";
import { CompactSign, decodeProtectedHeader, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { InvalidLicenseKey, signLicenseKey, signLicenseKeys, verifyLicenseKey, verifyLicenseKeyWith, type LicenseClaims } from "@/lib/crypto/license-key";
import { newPrivateJwk } from "@/lib/crypto/keys";
import { call, request } from "../helpers";

const lic: LicenseClaims = {
  licenseId: "LIC-TEST0-00001",
  organization: { id: "org1", name: "Test Org" },
  supportId: "02553275",
  type: "RENTAL",
  product: { id: "VBR_ENT", name: "Veeam Backup & Replication", edition: "Enterprise" },
  workloads: [{ type: "VBR_VM", count: 10 }],
  points: 50,
  autoReported: true,
  expirationDate: "2027-02-08",
  supportExpirationDate: "2027-02-08",
};

const b64 = (s: string) => Buffer.from(s).toString("base64url");

describe("license keys", () => {
  it("round-trips: a signed key verifies, with the header and claims of PRODUCT-API.md and no exp", async () => {
    const { jws, kid } = await signLicenseKey({ jti: "jti-1", version: 3, issuedAt: new Date("2026-11-25T10:00:00Z"), lic });
    expect(decodeProtectedHeader(jws)).toEqual({ alg: "EdDSA", kid, typ: "pulse-license+jwt" });
    const payload = await verifyLicenseKey(jws);
    expect(payload).toEqual({ iss: "vcsp-pulse", sub: lic.licenseId, jti: "jti-1", ver: 3, iat: Date.parse("2026-11-25T10:00:00Z") / 1000, lic });
    expect(payload).not.toHaveProperty("exp");
    expect(jws.split(".")).toHaveLength(3);
  });

  it("signs many keys at once on a worker thread: each verifies with jose, in order, with its own claims, as one signed alone would", async () => {
    const at = new Date("2026-11-25T10:00:00Z");
    const inputs = Array.from({ length: 250 }, (_, i) => ({ jti: `bulk-${i}`, version: i + 1, issuedAt: at, lic: { ...lic, licenseId: `LIC-BULK0-${String(i).padStart(5, "0")}` } }));
    const keys = await signLicenseKeys(inputs);
    expect(keys).toHaveLength(250);
    for (const [i, k] of keys.entries()) {
      const payload = await verifyLicenseKey(k.jws);
      expect(payload).toEqual({ iss: "vcsp-pulse", sub: inputs[i].lic.licenseId, jti: `bulk-${i}`, ver: i + 1, iat: at.getTime() / 1000, lic: inputs[i].lic });
    }
    // Ed25519 is deterministic: the worker's key is the one signLicenseKey uses.
    expect(keys[7].jws).toBe((await signLicenseKey(inputs[7])).jws);
  });

  it("verifies against the published JWKS, as a product would", async () => {
    const { jws } = await signLicenseKey({ jti: "jti-2", version: 1, issuedAt: new Date(), lic });
    const res = await call(jwksRoute, await request("GET", "/.well-known/jwks.json"));
    expect(res.status).toBe(200);
    const keys = res.json.keys as Record<string, string>[];
    expect(keys[0]).toEqual({ kty: "OKP", crv: "Ed25519", x: expect.any(String), kid: expect.any(String), alg: "EdDSA", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
    expect((await verifyLicenseKeyWith(jws, { keys: keys as never })).lic).toEqual(lic);
  });

  it("refuses a tampered payload", async () => {
    const { jws } = await signLicenseKey({ jti: "jti-3", version: 1, issuedAt: new Date(), lic });
    const [h, , s] = jws.split(".");
    const forged = `${h}.${b64(JSON.stringify({ iss: "vcsp-pulse", sub: lic.licenseId, jti: "jti-3", ver: 1, iat: 1, lic: { ...lic, points: 99999 } }))}.${s}`;
    await expect(verifyLicenseKey(forged)).rejects.toBeInstanceOf(InvalidLicenseKey);
  });

  it("refuses a key signed by another key under our key id", async () => {
    const ours = await signLicenseKey({ jti: "jti-4", version: 1, issuedAt: new Date(), lic });
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const payload = { iss: "vcsp-pulse", sub: lic.licenseId, jti: "jti-4", ver: 1, iat: 1, lic };
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "EdDSA", kid: ours.kid, typ: "pulse-license+jwt" })
      .sign(privateKey);
    await expect(verifyLicenseKey(forged)).rejects.toThrow(/does not verify/);
  });

  it("refuses an unknown key id, a wrong typ, and garbage", async () => {
    const other = await newPrivateJwk();
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const payload = new TextEncoder().encode(JSON.stringify({ iss: "vcsp-pulse", sub: lic.licenseId, jti: "x", ver: 1, iat: 1, lic }));
    const unknownKid = await new CompactSign(payload).setProtectedHeader({ alg: "EdDSA", kid: other.kid!, typ: "pulse-license+jwt" }).sign(privateKey);
    await expect(verifyLicenseKey(unknownKid)).rejects.toThrow(/unknown key id/);
    const { jws } = await signLicenseKey({ jti: "jti-5", version: 1, issuedAt: new Date(), lic });
    const [, p, s] = jws.split(".");
    const wrongTyp = `${b64(JSON.stringify({ alg: "EdDSA", kid: "k", typ: "JWT" }))}.${p}.${s}`;
    await expect(verifyLicenseKey(wrongTyp)).rejects.toBeInstanceOf(InvalidLicenseKey);
    await expect(verifyLicenseKey("not a key")).rejects.toBeInstanceOf(InvalidLicenseKey);
  });

  it("rotates: keys signed by an older configured key still verify while the newest signs", async () => {
    const older = await newPrivateJwk();
    const newer = await newPrivateJwk();
    process.env.PULSE_SIGNING_KEYS = JSON.stringify([older]);
    try {
      const old = await signLicenseKey({ jti: "jti-6", version: 1, issuedAt: new Date(), lic });
      expect(decodeProtectedHeader(old.jws).kid).toBe(older.kid);
      process.env.PULSE_SIGNING_KEYS = JSON.stringify([older, newer]);
      const fresh = await signLicenseKey({ jti: "jti-7", version: 2, issuedAt: new Date(), lic });
      expect(decodeProtectedHeader(fresh.jws).kid).toBe(newer.kid);
      expect((await verifyLicenseKey(old.jws)).jti).toBe("jti-6");
      expect((await verifyLicenseKey(fresh.jws)).jti).toBe("jti-7");
      const res = await call(jwksRoute, await request("GET", "/.well-known/jwks.json"));
      expect((res.json.keys as { kid: string }[]).map((k) => k.kid)).toEqual([older.kid, newer.kid]);
      // Once the old key is gone from the configuration, its keys stop verifying.
      process.env.PULSE_SIGNING_KEYS = JSON.stringify([newer]);
      await expect(verifyLicenseKey(old.jws)).rejects.toThrow(/unknown key id/);
    } finally {
      delete process.env.PULSE_SIGNING_KEYS;
    }
  });
});

describe("verifyLicenseKey (node:crypto) against jose", () => {
  it("accepts and refuses exactly what jose's verification with the same keys does, for 1,000 altered keys", async () => {
    const { jws } = await signLicenseKey({ jti: "jti-prop", version: 2, issuedAt: new Date("2026-11-25T10:00:00Z"), lic });
    const jwks = (await call(jwksRoute, await request("GET", "/.well-known/jwks.json"))).json as { keys: JWK[] };
    const outcome = async (verify: () => Promise<unknown>) => {
      try {
        return { ok: true, payload: await verify() };
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidLicenseKey); // never another error
        return { ok: false };
      }
    };
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    const altered = fc.oneof(
      // one character replaced, anywhere (header, claims, signature, separators)
      fc.record({ at: fc.nat(jws.length - 1), ch: fc.constantFrom(...alphabet) }).map(({ at, ch }) => jws.slice(0, at) + ch + jws.slice(at + 1)),
      // cut short or lengthened
      fc.nat(jws.length).map((n) => jws.slice(0, n)),
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 8 }).map((tail) => jws + tail),
      // one segment replaced by another key's or by garbage
      fc.record({ part: fc.integer({ min: 0, max: 2 }), text: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 }) }).map(({ part, text }) => {
        const parts = jws.split(".");
        parts[part] = text;
        return parts.join(".");
      }),
      // a header with other fields, signed or not
      fc.constantFrom(
        `${b64(JSON.stringify({ alg: "EdDSA", kid: decodeProtectedHeader(jws).kid, typ: "pulse-license+jwt", crit: ["b64"], b64: false }))}.${jws.split(".").slice(1).join(".")}`,
        `${b64(JSON.stringify({ alg: "none", typ: "pulse-license+jwt", kid: "x" }))}.${jws.split(".")[1]}.`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(altered, async (candidate) => {
        const ours = await outcome(() => verifyLicenseKey(candidate));
        const theirs = await outcome(() => verifyLicenseKeyWith(candidate.trim(), jwks));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 1000 },
    );
    // and the unaltered key verifies on both
    expect((await outcome(() => verifyLicenseKey(jws))).ok).toBe(true);
  });
});
