/**
 * npm run size — bytes per public page of the production build, against a budget (issue 24).
 *
 * Builds nothing: it measures the build that is there (`build/` and `public/build/`, from
 * `npm run build`). Starts the built server on a fresh temporary database seeded with the demo
 * studies, fetches each public page type over HTTP, and counts the gzip bytes (zlib's default
 * level, as the portal's compression middleware sends them) of its HTML and of every stylesheet,
 * script and module preload it references, with the scripts' static imports
 * (scripts/lib/page-weight.ts). Prints a table; exits 1 when a page is over its budget.
 * The same measurement is checked in `npm test` (tests/integration/page-weight.test.ts).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatTable, KB, measurePages, PAGES } from "./lib/page-weight";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run size [-- --json]

Measures the existing production build (run \`npm run build\` first; nothing is built here).
Starts the built server on a temporary database with the demo studies, fetches each public page
type and sums the gzip bytes of its HTML, CSS and every script it references (with their static
imports). Budgets: ${PAGES.map((p) => `${p.kind} ${p.budget / KB} KB`).join(", ")}.

  --json   print the measurements as JSON instead of the table
Exit status 1 when a page is over its budget or cannot be measured.`;

const { values } = parseScriptArgs(HELP, { options: { json: { type: "boolean", default: false } } });

if (!existsSync("build/index.js") || !existsSync("public/build")) {
  console.error("No production build (build/index.js and public/build/): run `npm run build` first.");
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "ks-size-"));
const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
  env: {
    ...process.env,
    DATABASE_PATH: path.join(dir, "size.db"),
    HOST: "127.0.0.1",
    PORT: "0",
    NODE_ENV: "production",
    SEED_DEMO_DATA: "true",
    SEARCH_ENGINE: "sqlite",
    API_RATE_LIMIT_PER_MINUTE: "0",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
child.stdout.on("data", (d) => (output += d));
child.stderr.on("data", (d) => (output += d));

const stop = async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
};

try {
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${output}`)), 120_000);
    child.once("exit", () => clearTimeout(timer));
    const check = () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
  });
  const weights = await measurePages(url);
  if (values.json) console.log(JSON.stringify(weights, null, 2));
  else {
    console.log(formatTable(weights));
    console.log(
      "\ngzip bytes (zlib default level) of HTML + CSS + every script the page references; 1 KB = 1024 bytes.",
    );
  }
  const bad = weights.filter((w) => w.over || w.status !== 200);
  for (const w of bad)
    console.error(
      w.status !== 200
        ? `${w.label}: HTTP ${w.status}`
        : `${w.label}: ${(w.total / KB).toFixed(1)} KB is over its budget of ${w.budget / KB} KB`,
    );
  await stop();
  process.exit(bad.length ? 1 : 0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop();
  process.exit(1);
}
