#!/usr/bin/env node
/**
 * npm test — every suite, then one line CI reads: "N passed, N failed".
 * Suites: typecheck (tsc), lint (eslint), format (prettier --check), build (remix build, needed by the HTTP and browser tests),
 * unit + integration (Vitest, real SQLite files), e2e (Playwright in Debian's Chromium).
 * The summary gives each suite's skipped tests too (e.g. "vitest: 900 passed, 0 failed, 40 skipped")
 * and, per test file, why (tests that need ../shared/data say so in their titles); the last line
 * stays exactly "N passed, N failed". KLINISKE_SHARED_DATA=/nonexistent runs as a fresh clone would.
 * Usage: node scripts/run-tests.mjs [--skip-e2e]   (--help for this text)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { skipNotes, summaryLines, vitestSuite } from "./lib/test-summary.mjs";

if (process.argv.includes("--help")) {
  console.log(
    "Usage: npm test [-- --skip-e2e]\nRuns typecheck, lint, format check, build, Vitest (unit + integration) and Playwright; ends with 'N passed, N failed'.\n" +
      "Tests that need the real data in ../shared/data are skipped, with the reason, where it is absent;\n" +
      "KLINISKE_SHARED_DATA=<dir> reads it from elsewhere (a path that does not exist = absent).",
  );
  process.exit(0);
}
const skipE2e = process.argv.includes("--skip-e2e");
const resultsDir = path.resolve("var/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const bin = (name) => path.resolve("node_modules/.bin", name);
const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
};

const suites = [];
/** One line per test file with skipped tests and why. */
const notes = [];
const single = (name, ok) => suites.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });

single("typecheck", run("typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit"]));
// The house rules a reviewer would otherwise check by hand: lint (eslint.config.js) and format.
single("lint", run("lint (eslint)", bin("eslint"), ["."]));
single("format", run("format (prettier --check)", bin("prettier"), ["--check", "."]));
const built = run("build (remix build)", bin("remix"), ["build"]);
single("build", built);

const vitestJson = path.join(resultsDir, "vitest.json");
const vitestOk = run("unit + integration (vitest)", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  suites.push(vitestSuite(r, vitestOk));
  // Why tests were skipped, once per file: the reason is in the skipped tests' titles.
  notes.push(...skipNotes(r));
} else {
  single("vitest (no report)", false);
}

if (!skipE2e) {
  const pwJson = path.join(resultsDir, "playwright.json");
  const pwOk =
    built &&
    run("e2e (playwright, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
    });
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, "utf8")).stats ?? {};
    const failed = (s.unexpected ?? 0) + (s.flaky ?? 0);
    suites.push({
      name: "playwright",
      passed: s.expected ?? 0,
      failed: failed + (pwOk || failed > 0 ? 0 : 1),
      skipped: s.skipped ?? 0,
    });
  } else {
    single("playwright (no report)", false);
  }
}

console.log("\n=== summary ===");
for (const line of summaryLines(suites, notes)) console.log(line);
const failed = suites.reduce((n, s) => n + s.failed, 0);
process.exit(failed === 0 ? 0 : 1);
