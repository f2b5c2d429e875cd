import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers of ARCHITECTURE.md, as import restrictions. Each pattern names a layer by both of the
// ways it can be imported: the "@/" alias and relative paths (a gitignore pattern that names a
// folder also refuses every file in it).
const SERVER = { group: ["**/lib/server"], message: "Components never import lib/server: take the types from lib/schemas and the data from props or lib/http's JSON (ARCHITECTURE.md)." };
const SERVER_MAY_NOT_IMPORT = [
  {
    group: ["**/lib/http", "../http", "../../http"],
    message: "lib/server never imports lib/http: what both need (schemas, parsing, errors, context) lives in lib/schemas, lib/errors.ts or lib/server (ARCHITECTURE.md).",
  },
  {
    group: ["@/app", "../../app", "../../../app", "@/components", "**/components"],
    message: "lib/server never imports app/ or components/ (ARCHITECTURE.md).",
  },
];
const domainOnly = (alsoAllowed = "") => ({
  regex: `^(?!\\./|@/lib/domain/${alsoAllowed})`,
  message: "lib/domain is pure and imports only lib/domain: no Prisma, Next, React, lib/server, lib/http, lib/schemas, lib/db, lib/crypto, lib/auth or lib/errors (ARCHITECTURE.md).",
});

// Security (issue 18, SECURITY.md): markup from strings, SQL from strings, secrets in logs.
const SECRET_WORDS = "password|passwd|secret|token|licen[cs]e_?key|authorization|cookie|session|credential|private_?key|api_?key";
const SECURITY_SYNTAX = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML'], Property[key.name='dangerouslySetInnerHTML']",
    message: "No dangerouslySetInnerHTML: render text through React, which escapes it (SECURITY.md).",
  },
  {
    selector: "MemberExpression[property.name=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]",
    message: "No $queryRawUnsafe/$executeRawUnsafe: use the tagged $queryRaw`...`/$executeRaw`...` or Prisma.sql, which bind every value (SECURITY.md).",
  },
  ...["Identifier[name", "Literal[value", "TemplateElement[value.raw"].map((node) => ({
    selector: `CallExpression[callee.object.name='console'] ${node}=/${SECRET_WORDS}/i]`,
    message: "Do not log secrets: a console call must not mention passwords, tokens, keys, cookies, sessions or credentials (SECURITY.md).",
  })),
];
const RAW_UNSAFE = SECURITY_SYNTAX[1];
const SECURITY_BUT_RAW = SECURITY_SYNTAX.filter((rule) => rule !== RAW_UNSAFE);
const TIME_SYNTAX = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Read the time through lib/clock.ts." },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**", ".next/**", "lib/generated/**", "data/**", ".e2e-data/**",
      "test-results/**", "playwright-report/**", "next-env.d.ts",
    ],
  },
  {
    rules: {
      // Time comes from lib/clock.ts only (ARCHITECTURE.md).
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Read the time through lib/clock.ts." }],
      "no-restricted-syntax": ["error", ...TIME_SYNTAX, ...SECURITY_SYNTAX],
    },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [SERVER] }] },
  },
  {
    files: ["lib/server/**"],
    rules: { "no-restricted-imports": ["error", { patterns: SERVER_MAY_NOT_IMPORT }] },
  },
  {
    files: ["lib/domain/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [domainOnly()] }] },
  },
  {
    // Their tests use vitest too.
    files: ["lib/domain/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [domainOnly("|vitest$")] }] },
  },
  {
    // The product agent talks to the portal over HTTP only; only its in-process simulator uses the services.
    files: ["agent/**"],
    ignores: ["agent/simulate/**", "agent/**/*.int.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{
          group: ["**/lib/server", "**/lib/server/**", "**/lib/db", "**/lib/http", "**/lib/http/**", "@/app/**", "**/app/**", "**/components/**"],
          message: "The product agent talks to the portal over HTTP only: it uses lib/domain, lib/schemas and lib/crypto; only agent/simulate uses lib/server (ARCHITECTURE.md).",
        }],
      }],
    },
  },
  {
    files: ["lib/clock.ts", "agent/core/clock.ts", "lib/sqlite-guard.ts", "scripts/**", "bench/**", "e2e/**", "test/**", "**/*.test.ts"],
    // Their own time, but the security rules hold there too.
    rules: { "no-restricted-properties": "off", "no-restricted-syntax": ["error", ...SECURITY_SYNTAX] },
  },
  {
    // The store's fast paths (README, lib/server/store): statements whose table and column lists
    // vary with the rows written, and PostgreSQL's numbered placeholders shared with pg's own
    // pool. The SQL text is assembled only from names typed in this code, never from input, and
    // every value is a bound parameter; a tagged template could only splice those lists in with
    // Prisma.raw, which is no safer. Nothing else may use the unsafe calls.
    files: ["lib/server/store/rows.ts", "lib/server/store/key-versions.ts", "lib/server/store/update-checks.ts"],
    rules: { "no-restricted-syntax": ["error", ...TIME_SYNTAX, ...SECURITY_BUT_RAW] },
  },
  {
    // Test fixtures: constant SQL with no input (a WAL checkpoint and PRAGMA reads, triggers that
    // simulate a failing insert, in each database's own dialect), which the tagged form would
    // send as prepared statements with no benefit.
    files: [
      "test/global-setup.ts",
      "test/integration/sqlite-connection.int.test.ts",
      "test/integration/license-update.int.test.ts",
      "test/integration/lifecycle-disable-feature.int.test.ts",
      "test/integration/usage-reports.int.test.ts",
    ],
    rules: { "no-restricted-syntax": ["error", ...SECURITY_BUT_RAW] },
  },
];

export default config;
