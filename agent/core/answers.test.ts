import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { decodeClaims } from "./claims";
import { acceptNewKey, outcomeOf, readReportAnswer, readUpdateAnswer } from "./answers";
import { parseWorkloadArgs, parseWorkloadsFile } from "./workloads";

const at = "2027-01-01T00:00:00.000Z";

describe("readUpdateAnswer", () => {
  it("reads every result with its status, and refuses what is not an answer", () => {
    expect(outcomeOf(readUpdateAnswer({ status: 200, body: { result: "NotRequired", message: "m", checkedAt: at, nextCheckAfter: at } }))).toBe("NotRequired");
    expect(outcomeOf(readUpdateAnswer({ status: 401, body: { result: "InvalidLicense", message: "m", checkedAt: at } }))).toBe("InvalidLicense");
    expect(outcomeOf(readUpdateAnswer({ status: 503, body: { result: "GenerationFailed", message: "m", checkedAt: at } }))).toBe("GenerationFailed");
    expect(readUpdateAnswer({ status: 200, body: "<html>" })).toEqual({ kind: "invalid", reason: "the portal answered HTTP 200 with an HTML page" });
    expect(readUpdateAnswer({ status: 200, body: "garb" }).kind).toBe("invalid");
    expect(readUpdateAnswer({ status: 502, body: { result: "NotRequired", message: "m", checkedAt: at } }).kind).toBe("invalid");
    expect(readUpdateAnswer({ status: 200, body: { result: "Success", message: "m", checkedAt: at } })).toEqual({ kind: "invalid", reason: "Success without a license key" });
  });
});

describe("readReportAnswer", () => {
  it("201 accepted and 200 duplicate are stored; a problem is a refusal with its detail", () => {
    expect(readReportAnswer({ status: 201, body: { status: "accepted", reportId: "r", receivedAt: at, licenseExtendedTo: "2027-02-01" } })).toMatchObject({ kind: "stored", created: true });
    expect(readReportAnswer({ status: 200, body: { status: "duplicate", reportId: "r", receivedAt: at } })).toMatchObject({ kind: "stored", created: false });
    expect(readReportAnswer({ status: 200, body: { status: "accepted", reportId: "r", receivedAt: at } }).kind).toBe("invalid");
    expect(readReportAnswer({ status: 409, body: { title: "Conflict", detail: "already submitted" } })).toEqual({ kind: "refused", status: 409, detail: "already submitted" });
  });
});

describe("acceptNewKey", () => {
  async function signer(kid = "k1") {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" }] };
    const sign = (claims: object) => new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: "EdDSA", kid, typ: "pulse-license+jwt" }).sign(privateKey);
    return { jwks, sign };
  }
  const lic = (id: string) => ({ licenseId: id, organization: { id: "o", name: "O" }, supportId: "03110042", type: "RENTAL", product: { id: "VBR_ENT", name: "VBR", edition: "Enterprise" }, workloads: [], points: 0, autoReported: true, expirationDate: "2027-02-01", supportExpirationDate: "2027-02-01" });
  const claims = (id: string, ver: number, iss = "vcsp-pulse") => ({ iss, sub: id, jti: `j${ver}`, ver, iat: 1, lic: lic(id) });

  it("accepts a newer key of the same license that verifies, and refuses the rest with a reason", async () => {
    const { jwks, sign } = await signer();
    const installed = decodeClaims(await sign(claims("L1", 2)))!;
    expect(await acceptNewKey(installed, await sign(claims("L1", 3)), jwks)).toMatchObject({ ok: true });
    expect(await acceptNewKey(installed, await sign(claims("L2", 3)), jwks)).toEqual({ ok: false, reason: "the new key is for license L2, not L1" });
    expect(await acceptNewKey(installed, await sign(claims("L1", 2)), jwks)).toMatchObject({ ok: false, reason: expect.stringMatching(/not newer/) });
    expect(await acceptNewKey(installed, await sign(claims("L1", 3, "elsewhere")), jwks)).toMatchObject({ ok: false, reason: expect.stringMatching(/issued by elsewhere/) });
    const other = await signer();
    expect(await acceptNewKey(installed, await other.sign(claims("L1", 3)), jwks)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    expect(await acceptNewKey(installed, "not.a.key", jwks)).toMatchObject({ ok: false });
    expect(await acceptNewKey(installed, await sign(claims("L1", 3)), { keys: "no" })).toEqual({ ok: false, reason: "the portal's JWKS is not a key set" });
  });
});

describe("workloads", () => {
  it("parses TYPE=COUNT and the workloads file, and says what is wrong in plain words", () => {
    expect(parseWorkloadArgs(["VBR_VM=120", "VBR_SERVER=0"])).toEqual([{ type: "VBR_VM", count: 120 }, { type: "VBR_SERVER", count: 0 }]);
    expect(() => parseWorkloadArgs(["VBR_VM"])).toThrow(/TYPE=COUNT/);
    expect(() => parseWorkloadArgs(["VBR_VM=1.5"])).toThrow(/whole number/);
    expect(() => parseWorkloadArgs(["VBR_VM=1", "VBR_VM=2"])).toThrow(/twice/);
    expect(() => parseWorkloadArgs([])).toThrow(/at least one/);
    expect(parseWorkloadsFile('{"VBR_VM": 12}')).toEqual([{ type: "VBR_VM", count: 12 }]);
    expect(parseWorkloadsFile('[{"type":"VBR_VM","count":3}]')).toEqual([{ type: "VBR_VM", count: 3 }]);
    expect(() => parseWorkloadsFile("{")).toThrow(/not JSON/);
  });
});
