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
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Read the time through lib/clock.ts." },
      ],
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
    rules: { "no-restricted-properties": "off", "no-restricted-syntax": "off" },
  },
];

export default config;
