// POST /api/v1/license/update: every row of the answer table, the records it keeps, and refusals.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { POST as updateRoute } from "@/app/api/v1/license/update/route";
import { POST as revokeRoute } from "@/app/api/portal/licenses/[licenseId]/revoke/route";
import { signLicenseKey, verifyLicenseKey } from "@/lib/crypto/license-key";
import { newPrivateJwk } from "@/lib/crypto/keys";
import { dbKind, getDb } from "@/lib/db";
import { answerUpdateCheck } from "@/lib/server/license-update";

import { call, DEMO, request } from "../helpers";
import { keyHolder, keyOf, postUpdate, productContext, productRowCounts } from "../product";

const INSTALL = "vbr-test-install-01";
const body = (licenseKey: string, extra: Record<string, unknown> = {}) => ({ licenseKey, installationId: INSTALL, productVersion: "13.0.1.1071", ...extra });

afterEach(() => {
  delete process.env.PULSE_SIGNING_KEYS;
  delete process.env.PULSE_RATE_LIMIT_PER_LICENSE;
});

describe("answers", () => {
  it("NotRequired for the newest key, with checkedAt and nextCheckAfter, and records the session and installation", async () => {
    const before = await productRowCounts();
    const res = await postUpdate(body(await keyOf("LIC-GLBX1-00002")));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      result: "NotRequired",
      message: "Your existing license key is up to date",
      checkedAt: expect.any(String),
      nextCheckAfter: expect.any(String),
    });
    const checkedAt = Date.parse(res.json.checkedAt as string);
    expect(Date.parse(res.json.nextCheckAfter as string) - checkedAt).toBe(7 * 86_400_000); // weekly, far from expiration
    const after = await productRowCounts();
    expect(after.updateSessions).toBe(before.updateSessions + 1);
    expect(after.installations).toBe(before.installations + 1);
    const license = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00002" } });
    expect(license.lastCheckResult).toBe("NotRequired");
    const session = await getDb().updateSession.findFirstOrThrow({ where: { licenseId: license.id }, orderBy: { createdAt: "desc" } });
    expect(session).toMatchObject({ installationId: INSTALL, productVersion: "13.0.1.1071", result: "NotRequired", versionIssued: null, versionPresented: license.currentVersion });

    // A later check from the same installation updates it: last seen and product version move, first seen stays.
    const first = await getDb().installation.findFirstOrThrow({ where: { licenseId: license.id, installationId: INSTALL } });
    await new Promise((r) => setTimeout(r, 5));
    await postUpdate(body(await keyOf("LIC-GLBX1-00002"), { productVersion: "13.0.2.100" }));
    const again = await getDb().installation.findFirstOrThrow({ where: { licenseId: license.id, installationId: INSTALL } });
    expect(again.firstSeenAt).toEqual(first.firstSeenAt);
    expect(again.lastSeenAt.getTime()).toBeGreaterThan(first.lastSeenAt.getTime());
    expect(again.productVersion).toBe("13.0.2.100");
    expect((await productRowCounts()).installations).toBe(after.installations);
  });

  it("Success with the newest key version when an older one is presented", async () => {
    const license = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" } });
    expect(license.currentVersion).toBeGreaterThan(1);
    const res = await postUpdate(body(await keyOf("LIC-GLBX1-00001", 1)));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ result: "Success", message: "New license key has been received", checkedAt: expect.any(String), nextCheckAfter: expect.any(String) });
    expect(res.json.licenseKey).toBe(await keyOf("LIC-GLBX1-00001"));
    const payload = await verifyLicenseKey(res.json.licenseKey as string);
    expect(payload.ver).toBe(license.currentVersion);
    const session = await getDb().updateSession.findFirstOrThrow({ where: { licenseId: license.id }, orderBy: { createdAt: "desc" } });
    expect(session).toMatchObject({ result: "Success", versionPresented: 1, versionIssued: license.currentVersion });
  });

  it("UnsupportedLicenseType for a license without a real contract number (NFR)", async () => {
    const res = await postUpdate(body(await keyOf("LIC-ACME1-NFR01")));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ result: "UnsupportedLicenseType", message: "License key type is not supported at the moment", nextCheckAfter: expect.any(String) });
    expect(res.json).not.toHaveProperty("licenseKey");
  });

  it("ContractTerminated for a license under a terminated contract", async () => {
    const res = await postUpdate(body(await keyOf("LIC-GLBX1-VOL01")));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      nextCheckAfter: expect.any(String),
      result: "ContractTerminated",
      message:
        "Your contract has expired, so the license key cannot be updated automatically. Please contact your sales representative to renew your contract.",
    });
  });

  it("InvalidLicense (401, no nextCheckAfter) for garbage, a tampered key, another signer, an unknown version, and changes nothing", async () => {
    const before = await productRowCounts();
    const good = await keyOf("LIC-GLBX1-00002");
    const [h, p, s] = good.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, lic: { ...claims.lic, points: 1 } })).toString("base64url")}.${s}`;
    process.env.PULSE_SIGNING_KEYS = JSON.stringify([await newPrivateJwk()]);
    const otherSigner = (await signLicenseKey({ jti: claims.jti, version: claims.ver, issuedAt: new Date(), lic: claims.lic })).jws;
    delete process.env.PULSE_SIGNING_KEYS;
    const unknownVersion = (await signLicenseKey({ jti: randomUUID(), version: 99, issuedAt: new Date(), lic: claims.lic })).jws;
    // A real version of an Acme license, relabelled as a Globex license: the jti is not that license's.
    const acme = await verifyLicenseKey(await keyOf("LIC-ACME1-00001"));
    const crossTenant = (await signLicenseKey({ jti: acme.jti, version: acme.ver, issuedAt: new Date(), lic: claims.lic })).jws;
    for (const key of ["not-a-key", tampered, otherSigner, unknownVersion, crossTenant]) {
      const res = await postUpdate(body(key));
      expect(res.status, key.slice(0, 20)).toBe(401);
      expect(res.json).toEqual({ result: "InvalidLicense", message: "License key is invalid", checkedAt: expect.any(String) });
    }
    expect(await productRowCounts()).toEqual(before);
  });

  it("InvalidLicense for every version of a revoked license", async () => {
    const v1 = await keyOf("LIC-ACME1-00002", 1);
    expect((await postUpdate(body(v1))).status).toBe(200);
    await call(revokeRoute, await request("POST", "/api/portal/licenses/LIC-ACME1-00002/revoke", { as: DEMO.alice }), { licenseId: "LIC-ACME1-00002" });
    const res = await postUpdate(body(v1));
    expect(res.status).toBe(401);
    expect(res.json.result).toBe("InvalidLicense");
  });

  it("GenerationFailed (503, Retry-After 86400) when the signing keys cannot be used, never a 500", async () => {
    const key = await keyOf("LIC-GLBX1-00002");
    process.env.PULSE_SIGNING_KEYS = "this is not a key set";
    const res = await postUpdate(body(key));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("86400");
    expect(res.json).toMatchObject({ result: "GenerationFailed", message: "General license key generation error has occurred", nextCheckAfter: expect.any(String) });
    expect(res.text).not.toMatch(/at .*\.ts/);
  });

  it("GenerationFailed when the database fails while recording, and nothing is half-written", async () => {
    const db = getDb();
    const key = await keyOf("LIC-GLBX1-00003");
    const before = await productRowCounts();
    if (dbKind() === "sqlite") {
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_installations BEFORE INSERT ON "Installation" BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_installations BEFORE INSERT ON "Installation" FOR EACH ROW EXECUTE FUNCTION fail_insert()`);
    }
    try {
      const res = await postUpdate(body(key, { installationId: "vbr-brand-new-install" }));
      expect(res.status).toBe(503);
      expect(res.json.result).toBe("GenerationFailed");
      expect(await productRowCounts()).toEqual(before); // the session insert before it was rolled back
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER fail_installations${dbKind() === "sqlite" ? "" : ` ON "Installation"`}`);
    }
  });
});

describe("checks recorded together (group commit)", () => {
  it("40 concurrent checks: every one answered after it is stored, one session and audit event each, the latest time per installation", async () => {
    const keys = await Promise.all(["LIC-GLBX1-00001", "LIC-GLBX1-00002", "LIC-GLBX1-00003"].map((l) => keyOf(l)));
    const before = await productRowCounts();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postUpdate(body(keys[i % 3], { installationId: `vbr-batch-${i % 10}`, productVersion: `13.0.${i}` }))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const after = await productRowCounts();
    expect(after.updateSessions).toBe(before.updateSessions + 40);
    expect(after.auditEvents).toBe(before.auditEvents + 40);
    const installs = await getDb().installation.findMany({ where: { installationId: { startsWith: "vbr-batch-" } } });
    expect(installs).toHaveLength(new Set(Array.from({ length: 40 }, (_, i) => `${i % 3}-${i % 10}`)).size);
    for (const inst of installs) {
      const sessions = await getDb().updateSession.findMany({ where: { licenseId: inst.licenseId, installationId: inst.installationId } });
      expect(inst.lastSeenAt.getTime()).toBe(Math.max(...sessions.map((x) => x.createdAt.getTime())));
    }
    const license = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" } });
    const newest = await getDb().updateSession.findFirstOrThrow({ where: { licenseId: license.id }, orderBy: { createdAt: "desc" } });
    expect(license.lastCheckAt?.getTime()).toBe(newest.createdAt.getTime());
  });

  it("a check that cannot be stored fails alone: the others of its batch are stored and answered", async () => {
    const db = getDb();
    const key = await keyOf("LIC-GLBX1-00001");
    if (dbKind() === "sqlite") {
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_one BEFORE INSERT ON "UpdateSession" WHEN NEW."installationId" = 'vbr-poison' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION fail_one() RETURNS trigger AS $$ BEGIN IF NEW."installationId" = 'vbr-poison' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_one BEFORE INSERT ON "UpdateSession" FOR EACH ROW EXECUTE FUNCTION fail_one()`);
    }
    try {
      const before = await productRowCounts();
      const ids = Array.from({ length: 12 }, (_, i) => (i === 5 ? "vbr-poison" : `vbr-healthy-${i}`));
      const answers = await Promise.all(ids.map((installationId) => postUpdate(body(key, { installationId }))));
      expect(answers.map((a) => a.status)).toEqual(ids.map((id) => (id === "vbr-poison" ? 503 : 200)));
      const after = await productRowCounts();
      expect(after.updateSessions).toBe(before.updateSessions + 11);
      expect(await db.installation.count({ where: { installationId: "vbr-poison" } })).toBe(0);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER fail_one${dbKind() === "sqlite" ? "" : ` ON "UpdateSession"`}`);
    }
  });
});

describe("odd text from a product server", () => {
  it("an installation id with a lone UTF-16 surrogate is recorded (as U+FFFD) and does not fail its batch", async () => {
    const key = await keyOf("LIC-GLBX1-00001");
    const ids = ["vbr-\ud800-lone-0001", "vbr-plain-batch-0001", "vbr-plain-batch-0002"];
    const answers = await Promise.all(ids.map((installationId) => postUpdate(body(key, { installationId }))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await getDb().installation.count({ where: { installationId: "vbr-\ufffd-lone-0001" } })).toBe(1);
  });
});

describe("a license revoked after its key was verified", () => {
  it("is answered InvalidLicense and its check is recorded nowhere, while a check in the same batch is stored", async () => {
    const db = getDb();
    const [revokedKey, liveKey] = await Promise.all([keyOf("LIC-GLBX1-00002"), keyOf("LIC-GLBX1-00003")]);
    // Both keys pass authentication first, then the license is revoked before the checks are written.
    const [revokedCaller, liveCaller] = await Promise.all([keyHolder(revokedKey), keyHolder(liveKey)]);
    expect(revokedCaller && liveCaller).toBeTruthy();
    await db.license.update({ where: { licenseId: "LIC-GLBX1-00002" }, data: { revokedAt: new Date() } });
    const before = await productRowCounts();
    const revokedBefore = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00002" }, select: { lastCheckAt: true } });
    const now = new Date();
    const [a, b] = await Promise.all([
      answerUpdateCheck(productContext(revokedCaller!, now, "vbr-revoked-race"), { licenseKey: revokedKey, installationId: "vbr-revoked-race", productVersion: "13.0.1.1071" }),
      answerUpdateCheck(productContext(liveCaller!, now, "vbr-live-race"), { licenseKey: liveKey, installationId: "vbr-live-race", productVersion: "13.0.1.1071" }),
    ]);
    expect(a.result).toBe("InvalidLicense");
    expect(b.result).toBe("NotRequired");
    const after = await productRowCounts();
    expect(after.updateSessions).toBe(before.updateSessions + 1);
    expect(after.auditEvents).toBe(before.auditEvents + 1);
    expect(await db.installation.count({ where: { installationId: "vbr-revoked-race" } })).toBe(0);
    expect(await db.installation.count({ where: { installationId: "vbr-live-race" } })).toBe(1);
    expect(await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00002" }, select: { lastCheckAt: true } })).toEqual(revokedBefore);
  });
});

describe("a check whose caller names another organization than the license's", () => {
  it("is answered InvalidLicense and written nowhere, not under either organization", async () => {
    // Authentication never yields such a caller; the write is scoped to the organization anyway.
    const db = getDb();
    const key = await keyOf("LIC-GLBX1-00001");
    const caller = await keyHolder(key);
    const other = await db.organization.findFirstOrThrow({ where: { id: { not: caller!.organizationId } }, select: { id: true } });
    const before = await productRowCounts();
    const licenseBefore = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" }, select: { lastCheckAt: true, lastCheckResult: true } });
    const answer = await answerUpdateCheck(productContext({ ...caller!, organizationId: other.id }, new Date(), "vbr-other-org"), { licenseKey: key, installationId: "vbr-other-org", productVersion: "13.0.1.1071" });
    expect(answer.result).toBe("InvalidLicense");
    expect(await productRowCounts()).toEqual(before);
    expect(await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" }, select: { lastCheckAt: true, lastCheckResult: true } })).toEqual(licenseBefore);
  });
});

describe("checks recorded out of their time order", () => {
  it("never move the installation or the license's last check back to an older check", async () => {
    const db = getDb();
    const key = await keyOf("LIC-GLBX1-00003");
    const caller = (await keyHolder(key))!;
    const newer = new Date();
    const older = new Date(newer.getTime() - 60_000);
    await answerUpdateCheck(productContext(caller, newer, "vbr-out-of-order"), { licenseKey: key, installationId: "vbr-out-of-order", productVersion: "13.0.9.9" });
    await answerUpdateCheck(productContext(caller, older, "vbr-out-of-order"), { licenseKey: key, installationId: "vbr-out-of-order", productVersion: "12.3.0.1" });
    const inst = await db.installation.findFirstOrThrow({ where: { installationId: "vbr-out-of-order" } });
    expect(inst).toMatchObject({ productVersion: "13.0.9.9", lastSeenAt: newer });
    const license = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00003" }, select: { lastCheckAt: true } });
    expect(license.lastCheckAt).toEqual(newer);
    expect(await db.updateSession.count({ where: { installationId: "vbr-out-of-order" } })).toBe(2); // both sessions are kept
  });
});

describe("schedule", () => {
  it("asks for a daily check within 7 days of expiration", async () => {
    const license = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00003" } });
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await getDb().license.update({ where: { id: license.id }, data: { expirationDate: soon } });
    const res = await postUpdate(body(await keyOf("LIC-GLBX1-00003"), { installationId: "vbr-daily-check-01" }));
    expect(res.json.result).toBe("NotRequired");
    expect(Date.parse(res.json.nextCheckAfter as string) - Date.parse(res.json.checkedAt as string)).toBe(86_400_000);
  });

  it("never hands out a key when a rule before Success applies (terminated contract, older key)", async () => {
    const res = await postUpdate(body(await keyOf("LIC-GLBX1-VOL01", 1)));
    expect(res.json.result).toBe("ContractTerminated");
    expect(res.json).not.toHaveProperty("licenseKey");
  });
});

describe("malformed requests", () => {
  it("answers not-JSON and missing fields with a 400 problem document, not a result", async () => {
    const notJson = await call(updateRoute, await request("POST", "/api/v1/license/update", { rawBody: "{", headers: { "content-type": "application/json" } }));
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("content-type")).toBe("application/problem+json");
    const missing = await postUpdate({ licenseKey: "x" });
    expect(missing.status).toBe(400);
    expect((missing.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["installationId", "productVersion"]);
    const short = await postUpdate(body("x", { installationId: "short" }));
    expect(short.status).toBe(400);
    expect(short.json.errors).toEqual([expect.objectContaining({ path: "installationId" })]);
  });

  it("answers a NUL character in installationId or productVersion with 400 naming the field, and records nothing", async () => {
    const before = await productRowCounts();
    const key = await keyOf("LIC-GLBX1-00002");
    for (const [override, path] of [[{ installationId: "vbr-\u0000-install" }, "installationId"], [{ productVersion: "13.0\u0000" }, "productVersion"]] as const) {
      const res = await postUpdate({ ...body(key), ...override });
      expect(res.status, path).toBe(400);
      expect(res.json.errors, path).toEqual([expect.objectContaining({ path, message: `${path} must not contain the NUL character (U+0000)` })]);
    }
    expect(await productRowCounts()).toEqual(before);
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const res = await postUpdate(body("x".repeat(70_000)));
    expect(res.status).toBe(413);
  });

  it("limits requests per license with 429 and Retry-After", async () => {
    process.env.PULSE_RATE_LIMIT_PER_LICENSE = "2";
    // Fixed one-minute windows: keep the four calls inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
    const key = await keyOf("LIC-ACME1-00001"); // no other test of this file checks this license
    const statuses = [];
    let retryAfter = null;
    for (let i = 0; i < 4; i++) {
      const res = await postUpdate(body(key), { "x-forwarded-for": "203.0.113.50" });
      statuses.push(res.status);
      retryAfter ??= res.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe("the key lookup during another request's open transaction", () => {
  it("answers at once from what is committed: an uncommitted revocation is not seen, a committed one is", async () => {
    // On SQLite the lookup runs on a connection of its own (lib/db.ts sqliteReader): through
    // Prisma's one connection it would have to wait for the transaction (here: refused, since it
    // runs inside it), and the transaction's own writes would be visible to it.
    const db = getDb();
    const key = await keyOf("LIC-ACME1-00001");
    expect(await keyHolder(key)).not.toBeNull();
    let during: Awaited<ReturnType<typeof keyHolder>> | undefined;
    try {
      await db.$transaction(async (tx) => {
        await tx.license.update({ where: { licenseId: "LIC-ACME1-00001" }, data: { revokedAt: new Date() } });
        during = await keyHolder(key);
      });
      expect(during).toMatchObject({ licenseId: "LIC-ACME1-00001" });
      expect(await keyHolder(key)).toBeNull();
    } finally {
      await db.license.update({ where: { licenseId: "LIC-ACME1-00001" }, data: { revokedAt: null } });
    }
  });
});
