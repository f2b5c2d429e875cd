// The agent's check and report against the portal over HTTP: the real route handlers on this
// file's database (test/http-servers.ts) for what the portal answers, a small fake server for
// the answers it never gives, and a proxy that drops a connection after the portal stored a report.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLicenseKeyWith } from "@/lib/crypto/license-key";
import { getDb } from "@/lib/db";
import { setAutoReported } from "@/lib/server/licenses";
import { droppingProxy, fakeServer, portalServer, type Running } from "@/test/http-servers";
import { bobContext } from "@/test/lifecycle";
import { keyOf } from "@/test/product";
import { decodeClaims } from "./core/claims";
import { EXIT } from "./core/errors";
import { checkCommand, reportCommand } from "./commands";

let portal: Running;
let dir: string;

beforeAll(async () => {
  portal = await portalServer();
  dir = mkdtempSync(path.join(os.tmpdir(), "agent-int-"));
});
afterAll(async () => {
  await portal.close();
});

function capture() {
  const lines: string[] = [];
  return { out: (l: string) => void lines.push(l), text: () => lines.join("\n") };
}

async function keyFile(name: string, licenseId: string): Promise<string> {
  const file = path.join(dir, `${name}.lic`);
  writeFileSync(file, `${await keyOf(licenseId)}\n`);
  return file;
}

describe("agent check against the portal", () => {
  it("NotRequired leaves the key; after a toggle, Success installs a newer key that verifies against the JWKS, keeping the old one as .bak", async () => {
    const file = await keyFile("glbx2", "LIC-GLBX1-00002");
    const original = readFileSync(file, "utf8");
    const first = capture();
    expect(await checkCommand({ server: portal.url, key: file, installationId: "vbr-agent-int-01" }, first.out)).toBe(EXIT.ok);
    expect(first.text()).toContain("NotRequired: Your existing license key is up to date");
    expect(readFileSync(file, "utf8")).toBe(original);
    expect(existsSync(`${file}.bak`)).toBe(false);

    await setAutoReported(await bobContext(new Date()), "LIC-GLBX1-00002", false);
    const second = capture();
    expect(await checkCommand({ server: portal.url, key: file }, second.out)).toBe(EXIT.ok);
    expect(second.text()).toContain("Success: New license key has been received");
    const installed = readFileSync(file, "utf8");
    expect(installed.endsWith("\n")).toBe(true);
    expect(installed.trim()).toBe(await keyOf("LIC-GLBX1-00002"));
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(original);
    const jwks = await (await fetch(`${portal.url}/.well-known/jwks.json`)).json();
    const payload = await verifyLicenseKeyWith(installed.trim(), jwks);
    expect(payload.ver).toBe(decodeClaims(original)!.ver + 1);
    expect(payload.lic.autoReported).toBe(false);
    // The installation id given the first time was kept in the state file and used again.
    const session = await getDb().updateSession.findFirstOrThrow({ where: { result: "Success", installationId: "vbr-agent-int-01" } });
    expect(session.versionIssued).toBe(payload.ver);
  });
});

describe("an answer that cannot be trusted leaves the installed key untouched", () => {
  async function foreignKey(claimsFrom: string): Promise<string> {
    const claims = decodeClaims(claimsFrom)!;
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const kid = JSON.parse(Buffer.from(claimsFrom.split(".")[0], "base64url").toString()).kid;
    return new CompactSign(new TextEncoder().encode(JSON.stringify({ ...claims, ver: claims.ver + 5 })))
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "pulse-license+jwt" })
      .sign(privateKey);
  }

  const cases: [string, (installed: string) => Promise<{ status: number; type: string; body: string }>][] = [
    ["garbage", async () => ({ status: 200, type: "application/json", body: "{\"result\":\"Suc" })],
    ["an HTML page", async () => ({ status: 200, type: "text/html", body: "<!doctype html><html><body>Gateway</body></html>" })],
    ["a key signed by another key", async (installed) => ({ status: 200, type: "application/json", body: JSON.stringify({ result: "Success", message: "New license key has been received", checkedAt: new Date().toISOString(), licenseKey: await foreignKey(installed) }) })],
    ["a key for another license", async () => ({ status: 200, type: "application/json", body: JSON.stringify({ result: "Success", message: "New license key has been received", checkedAt: new Date().toISOString(), licenseKey: await keyOf("LIC-GLBX1-00003") }) })],
  ];

  for (const [name, answer] of cases) {
    it(`${name}: an invalid answer (exit ${EXIT.invalidAnswer}), FILE unchanged, no .bak`, async () => {
      const file = await keyFile(`fake-${name.replace(/\W+/g, "-")}`, "LIC-GLBX1-00001");
      const original = readFileSync(file, "utf8");
      const reply = await answer(original.trim());
      // The fake answers the update itself and passes the JWKS through from the real portal.
      const fake = await fakeServer(async (req, _body, res) => {
        if (req.url === "/.well-known/jwks.json") {
          const jwks = await fetch(`${portal.url}/.well-known/jwks.json`);
          res.writeHead(200, { "content-type": "application/json" }).end(await jwks.text());
          return;
        }
        res.writeHead(reply.status, { "content-type": reply.type }).end(reply.body);
      });
      try {
        const o = capture();
        expect(await checkCommand({ server: fake.url, key: file }, o.out)).toBe(EXIT.invalidAnswer);
        expect(o.text()).toContain("InvalidAnswer");
        expect(readFileSync(file, "utf8")).toBe(original);
        expect(existsSync(`${file}.bak`)).toBe(false);
      } finally {
        await fake.close();
      }
    });
  }

  it("a key signed by a key the fake itself publishes still cannot pass as another license's", async () => {
    // (The fake's own JWKS would verify its own signature; the license and version checks still hold.)
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const file = await keyFile("fake-own-jwks", "LIC-GLBX1-00001");
    const original = readFileSync(file, "utf8");
    const other = decodeClaims(await keyOf("LIC-GLBX1-00003"))!;
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...other, ver: 99 }))).setProtectedHeader({ alg: "EdDSA", kid: "rogue", typ: "pulse-license+jwt" }).sign(privateKey);
    const jwk = { ...(await exportJWK(publicKey)), kid: "rogue", alg: "EdDSA", use: "sig" };
    const fake = await fakeServer((req, _b, res) => {
      const body = req.url === "/.well-known/jwks.json" ? { keys: [jwk] } : { result: "Success", message: "New license key has been received", checkedAt: new Date().toISOString(), licenseKey: jws };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    try {
      const o = capture();
      expect(await checkCommand({ server: fake.url, key: file }, o.out)).toBe(EXIT.invalidAnswer);
      expect(o.text()).toContain("is for license LIC-GLBX1-00003");
      expect(readFileSync(file, "utf8")).toBe(original);
    } finally {
      await fake.close();
    }
  });

  it("the CLI process exits with the result's code and a plain message (InvalidLicense, exit 3)", async () => {
    const fake = await fakeServer((_req, _b, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ result: "InvalidLicense", message: "License key is invalid", checkedAt: new Date().toISOString() }));
    });
    try {
      const file = await keyFile("cli", "LIC-GLBX1-00001");
      const { code, stdout, stderr } = await runCli(["check", "--server", fake.url, "--key", file]);
      expect(code).toBe(EXIT.invalidLicense);
      expect(stdout).toContain("InvalidLicense: License key is invalid");
      expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    } finally {
      await fake.close();
    }
  });
});

describe("agent report", () => {
  it("retried after a dropped connection, the report is stored once and the retry is answered duplicate", async () => {
    const proxy = await droppingProxy(portal.url, "/api/v1/usage/reports", 1);
    try {
      const file = await keyFile("report", "LIC-GLBX1-00003");
      const o = capture();
      const period = new Date().toISOString().slice(0, 7);
      const code = await reportCommand(
        { server: proxy.url, key: file, period, kind: "weekly", workload: ["VB365_User=42"], retries: 3, installationId: "vb365-agent-int" },
        o.out,
        async () => {},
      );
      expect(code).toBe(EXIT.ok);
      expect(proxy.dropped()).toBe(1);
      expect(o.text()).toMatch(/not delivered .*retrying with the same report id/);
      expect(o.text()).toMatch(/^duplicate: report rep-/m);
      const reportId = /report (rep-[\w-]+)/.exec(o.text())![1];
      expect(await getDb().usageReport.count({ where: { reportId } })).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("prints licenseExtendedTo when the portal extends the license by the product's monthly report", async () => {
    // Demo: Globex's just-ended month is open and due; LIC-GLBX1-00001's product has not sent its monthly report.
    const file = await keyFile("monthly", "LIC-GLBX1-00001");
    const before = decodeClaims(readFileSync(file, "utf8"))!.lic.expirationDate;
    const d = new Date();
    const ended = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const o = capture();
    const code = await reportCommand({ server: portal.url, key: file, period: ended, kind: "monthly", workload: ["VBR_VM=100"], retries: 0 }, o.out, async () => {});
    expect(code).toBe(EXIT.ok);
    expect(o.text()).toMatch(/^accepted: /m);
    const extended = /licenseExtendedTo: (\d{4}-\d\d-\d\d)/.exec(o.text());
    expect(extended?.[1]).toBeDefined();
    expect(extended![1] > before).toBe(true);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "agent/cli.ts", ...args], {
      cwd: path.resolve(__dirname, ".."), env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
