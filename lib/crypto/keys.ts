// The portal's Ed25519 signing keys. Production gives them by configuration:
//   PULSE_SIGNING_KEYS       JSON array of private OKP JWKs (with kid); the last one signs,
//                            every one verifies (rotation: append the new key, keep the old).
//   PULSE_VERIFICATION_KEYS  optional JSON array of public JWKs of retired keys (verify only).
// Without configuration, the embedded default creates one key on first start and keeps it in
// the data folder (signing-keys.json, mode 600); it is never printed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { dataDir } from "../config";

export interface VerificationKey {
  kid: string;
  publicJwk: JWK;
  key: CryptoKey;
}

export interface KeyRing {
  signing: { kid: string; key: CryptoKey };
  verification: VerificationKey[];
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid };
}

function parseKeys(name: string, text: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const jwk of list as JWK[]) {
    if (jwk?.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x || !jwk.kid) {
      throw new Error(`${name}: every key must be an Ed25519 OKP JWK with a kid`);
    }
  }
  return list as JWK[];
}

export async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  return jwk;
}

/** The private JWKs: from configuration, or from (and created in) the data folder. */
async function privateJwks(): Promise<JWK[]> {
  const configured = process.env.PULSE_SIGNING_KEYS;
  if (configured) return parseKeys("PULSE_SIGNING_KEYS", configured);
  const file = path.join(dataDir(), "signing-keys.json");
  if (!existsSync(file)) {
    const jwk = await newPrivateJwk();
    try {
      writeFileSync(file, JSON.stringify([jwk], null, 2) + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      // Another process created it first: use theirs.
    }
  }
  return parseKeys(file, readFileSync(file, "utf8"));
}

async function load(): Promise<KeyRing> {
  const privates = await privateJwks();
  if (privates.length === 0) throw new Error("PULSE_SIGNING_KEYS lists no key");
  for (const jwk of privates) if (!jwk.d) throw new Error(`signing key ${jwk.kid} has no private part (d)`);
  const retired = process.env.PULSE_VERIFICATION_KEYS ? parseKeys("PULSE_VERIFICATION_KEYS", process.env.PULSE_VERIFICATION_KEYS) : [];
  const verification: VerificationKey[] = [];
  for (const jwk of [...privates.map(publicPart), ...retired.map(publicPart)]) {
    verification.push({ kid: jwk.kid!, publicJwk: jwk, key: (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey });
  }
  const newest = privates[privates.length - 1];
  return { signing: { kid: newest.kid!, key: (await importJWK({ ...newest, alg: "EdDSA" }, "EdDSA")) as CryptoKey }, verification };
}

const cache = globalThis as unknown as { pulseKeyRing?: { source: string; ring: Promise<KeyRing> } };

/** The key ring of this process, loaded once per configuration and data folder. */
export function keyRing(): Promise<KeyRing> {
  const source = `${process.env.PULSE_SIGNING_KEYS ?? ""}|${process.env.PULSE_VERIFICATION_KEYS ?? ""}|${dataDir()}`;
  if (!cache.pulseKeyRing || cache.pulseKeyRing.source !== source) {
    const ring = load();
    ring.catch(() => {
      if (cache.pulseKeyRing?.ring === ring) cache.pulseKeyRing = undefined;
    });
    cache.pulseKeyRing = { source, ring };
  }
  return cache.pulseKeyRing.ring;
}

/** The JWKS document of GET /.well-known/jwks.json (newest signing key last). */
export async function jwks() {
  const ring = await keyRing();
  return {
    keys: ring.verification.map((v) => ({ kty: "OKP", crv: "Ed25519", x: v.publicJwk.x, kid: v.kid, alg: "EdDSA", use: "sig" })),
  };
}
