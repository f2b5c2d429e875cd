import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default [
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
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Use lib/clock.ts (now) instead." }],
    },
  },
  {
    files: ["lib/clock.ts", "scripts/**", "bench/**", "e2e/**", "**/*.test.ts", "lib/sqlite-guard.ts"],
    rules: { "no-restricted-properties": "off" },
  },
];
