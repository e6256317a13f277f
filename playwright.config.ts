import { defineConfig } from "@playwright/test";
import { randomInt } from "node:crypto";

// Chosen once in the main process; workers inherit the environment, so all agree.
process.env.E2E_PORT ??= String(randomInt(20_000, 40_000));
process.env.E2E_DATABASE_PATH ??= `var/test/e2e-${Date.now()}.db`;
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A runner limit, not a timing check: axe over a whole page takes 5–30 s on a busy 2-core machine.
  timeout: 90_000,
  reporter: "list",
  use: {
    baseURL,
    locale: "nb-NO",
    timezoneId: "Europe/Oslo",
    launchOptions: {
      // Debian's Chromium; never a downloaded browser (docs/decisions/0003-testing.md).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The built app on a fresh database file, seeded with the demo studies at start; the first
    // start loads the shipped postcode list (data/reference/postcodes.tsv.gz) and diagnosis codes
    // itself, so the patient search sorts by distance with no ../shared beside the project.
    // The server runs as `node --import tsx`, like npm start: the tsx CLI would run it as a child
    // and SIGKILL it on SIGTERM, so Playwright's stop would skip the graceful shutdown.
    command: "node --import tsx server.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: process.env.E2E_PORT,
      HOST: "127.0.0.1",
      DATABASE_PATH: process.env.E2E_DATABASE_PATH,
      SEED_DEMO_DATA: "true",
      NODE_ENV: "production",
    },
  },
});
