import { defineConfig, devices } from "@playwright/test";

// End-to-end tests against the production build in Debian's Chromium (never `playwright install`).
const PORT = Number(process.env.E2E_PORT || 3100);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /(clock|support-story|agent|notifications|sign-out)\.spec\.ts/ },
    // The product agent's run moves the clock two months ahead and back: after the specs that need
    // today's time, before the support story and the clock specs (its months are still unsubmitted then).
    { name: "agent", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /agent\.spec\.ts/, dependencies: ["chromium"] },
    // The support story gives Acme automatic license reporting, which the other specs assume it
    // lacks: run it after them.
    { name: "support-story", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /support-story\.spec\.ts/, dependencies: ["agent"] },
    // Moving the server's clock would change "today" under the other tests: run it after them.
    { name: "clock", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /clock\.spec\.ts/, dependencies: ["support-story"] },
    // Notifications move the clock too, to months the clock spec does not use: after it.
    { name: "notifications", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /notifications\.spec\.ts/, dependencies: ["clock"] },
    // Signing out ends every session of the user (its session version): last, so that no other
    // spec's signed-in pages of that user are ended under it.
    { name: "sign-out", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /sign-out\.spec\.ts/, dependencies: ["notifications"] },
  ],
  webServer: {
    // A fresh data folder every run: migrations, demo data and the build happen as in `npm start`.
    command: "rm -rf .e2e-data && npx tsx --conditions=react-server scripts/start.ts",
    url: `${BASE_URL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: BASE_URL,
      PULSE_DATA_DIR: ".e2e-data",
      PULSE_TEST_CLOCK: "1",
      // The specs share a few demo users, run in parallel and move the test clock (back) to the
      // same instants, so their writes pile up in one user's minute: not a person's rate. The
      // per-user write limit is tested in test/integration/rate-limit.int.test.ts.
      PULSE_RATE_LIMIT_WRITES_PER_USER: "100000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
