import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    files: ["lib/clock.ts", "lib/sqlite-guard.ts", "scripts/**", "bench/**", "e2e/**", "test/**", "**/*.test.ts"],
    rules: { "no-restricted-properties": "off", "no-restricted-syntax": "off" },
  },
  {
    // Components take their types from lib/schemas, never from the services (ARCHITECTURE.md).
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "(^@/|^(\\.\\./)+)lib/server(/|$)", message: "Components import types from lib/schemas, never from lib/server." }] },
      ],
    },
  },
];

export default config;
