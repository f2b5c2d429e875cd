import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

// The cluster tests (two instances behind nginx on one PostgreSQL) need both: .ci/run has them.
// Elsewhere the file is left out of the production project, with this line saying why.
const clusterTest = "test/production/cluster.prod.test.ts";
const clusterReady = !!process.env.DATABASE_URL_PG && existsSync(process.env.PULSE_NGINX || "/usr/sbin/nginx");
if (!clusterReady && process.argv.some((a) => a.includes("production") || a.includes("cluster"))) {
  console.log(`${clusterTest}: not included (needs DATABASE_URL_PG and nginx at /usr/sbin/nginx; .ci/run provides both)`);
}

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; services are plain Node code here.
  "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "agent/**/*.test.ts", "components/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.ts", "**/*.prod.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-integration.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
      {
        // Against the production build served by `next start` (test/production/server.ts): run
        // by `npm test` after the end-to-end tests, which leave the build current.
        resolve: { alias },
        test: {
          name: "production",
          include: ["test/production/**/*.prod.test.ts"],
          exclude: ["node_modules/**", ".next/**", ...(clusterReady ? [] : [clusterTest])],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 300_000,
          pool: "forks",
          maxWorkers: 2,
          passWithNoTests: true,
        },
      },
    ],
  },
});
