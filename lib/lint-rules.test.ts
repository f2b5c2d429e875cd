// The security lint rules of eslint.config.mjs (SECURITY.md) fire where they should, through
// ESLint's own API on small snippets, and leave harmless code alone.
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  // Loading the configuration (Next's presets, the TypeScript parser) takes seconds, once.
  await eslint.lintText("export {};\n", { filePath: path.join(root, "lib/warm-up.ts") });
}, 60_000);

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("security lint rules", () => {
  it("refuse dangerouslySetInnerHTML, as a JSX attribute and as a props object", async () => {
    expect(await messages(`export const A = ({ html }: { html: string }) => <div dangerouslySetInnerHTML={{ __html: html }} />;\n`, "components/x.tsx")).toEqual([
      expect.stringMatching(/dangerouslySetInnerHTML/),
    ]);
    expect(await messages(`import { createElement } from "react";\nexport const a = (h: string) => createElement("div", { dangerouslySetInnerHTML: { __html: h } });\n`, "components/y.tsx")).toEqual([
      expect.stringMatching(/dangerouslySetInnerHTML/),
    ]);
  });

  it("refuse $queryRawUnsafe and $executeRawUnsafe, in services and in tests", async () => {
    const code = `declare const db: any;\nexport async function f(id: string) {\n  await db.$queryRawUnsafe("SELECT * FROM x WHERE id = " + id);\n  await db.$executeRawUnsafe(\`DELETE FROM x WHERE id = '\${id}'\`);\n}\n`;
    expect(await messages(code, "lib/server/x.ts")).toEqual([expect.stringMatching(/\$queryRawUnsafe/), expect.stringMatching(/\$queryRawUnsafe/)]);
    expect(await messages(code, "test/integration/x.int.test.ts")).toHaveLength(2);
  });

  it("refuse console calls that mention a secret, by name, in a string or in a template", async () => {
    const snippets = [
      `declare const user: { passwordHash: string };\nconsole.log(user.passwordHash);\n`,
      `declare const licenseKey: string;\nconsole.error("failed", licenseKey);\n`,
      `declare const req: Request;\nconsole.info(req.headers.get("authorization"));\n`,
      `declare const v: string;\nconsole.warn(\`session token: \${v}\`);\n`,
      `declare const h: Headers;\nconsole.debug("Cookie", h);\n`,
      `declare const s: { secret: string };\nconsole.log({ secret: s.secret });\n`,
    ];
    for (const code of snippets) {
      const found = await messages(code, "lib/server/x.ts");
      expect(found.length, code).toBeGreaterThan(0);
      for (const m of found) expect(m).toMatch(/Do not log secrets/);
    }
    // Scripts and tests too.
    expect(await messages(snippets[0], "scripts/x.ts")).toHaveLength(1);
    expect(await messages(snippets[1], "test/x.ts")).toHaveLength(1);
  });

  it("leave harmless code alone", async () => {
    const code = [
      `declare const db: any;`,
      `export async function f(id: string, error: unknown) {`,
      `  console.error("Sign-in failed:", error instanceof Error ? error.message : error);`,
      `  console.log(\`Portal: \${id}\`);`,
      `  return db.$queryRaw\`SELECT * FROM x WHERE id = \${id}\`;`,
      `}`,
      ``,
    ].join("\n");
    expect(await messages(code, "lib/server/x.ts")).toEqual([]);
    expect(await messages(`export const A = ({ text }: { text: string }) => <div title={text}>{text}</div>;\n`, "components/z.tsx")).toEqual([]);
  });
});
