/**
 * Starts a local Meilisearch (the verified test binary) on 127.0.0.1, for tests, benchmarks and
 * local runs. Never for production (production runs an official Meilisearch release).
 *
 * By default: a free port, a random master key and a temporary data directory that stop()
 * deletes. For a restart on the same data (tests that stop Meilisearch mid-stream, `npm run
 * meili`), pass dataDir, port and masterKey: a given dataDir is kept on stop unless keepData is
 * false.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { preparedMeilisearchBinary } from "./meilisearch-binary.server";

export interface LocalMeilisearch {
  host: string;
  port: number;
  masterKey: string;
  process: ChildProcess;
  dataDir: string;
  /** What the process printed so far (the last 64 KB). */
  output: () => string;
  /**
   * Stops the process (SIGTERM by default; SIGKILL to simulate a crash) and waits for it to exit;
   * deletes the data directory unless it is kept (see LocalMeilisearchOptions.keepData).
   */
  stop: (options?: { signal?: NodeJS.Signals; keepData?: boolean }) => Promise<void>;
}

export interface LocalMeilisearchOptions {
  /** How long to wait for /health (default 30 s). */
  timeoutMs?: number;
  /** Data directory (created if missing). Default: a new temporary directory. */
  dataDir?: string;
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Master key (at least 16 bytes). Default: a random one. */
  masterKey?: string;
  /** Keep the data directory on stop(). Default: true for a given dataDir, false for a temporary one. */
  keepData?: boolean;
  /** Meilisearch log level (default WARN). */
  logLevel?: "OFF" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
  /**
   * Meilisearch's --max-indexing-memory (default here DEFAULT_MAX_INDEXING_MEMORY). Meilisearch's
   * own default (2/3 of RAM) makes it set up an 842 MB write buffer for every batch on a 24 GiB
   * machine: a one-study change then took 0.1–2.3 s at 100,000 studies, against 22–30 ms with
   * 1 GiB (measured 2026-12-02, docs/benchmarks.md).
   */
  maxIndexingMemory?: string;
  /** Also receives everything the process prints (e.g. process.stderr.write for `npm run meili`). */
  onOutput?: (chunk: string) => void;
}

const OUTPUT_LIMIT = 64 * 1024;

/** See LocalMeilisearchOptions.maxIndexingMemory; production sets MEILI_MAX_INDEXING_MEMORY alike. */
export const DEFAULT_MAX_INDEXING_MEMORY = "1 GiB";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Rejects when something already listens on 127.0.0.1:port (its /health would be mistaken for ours). */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "EADDRINUSE"
            ? `Port ${port} on 127.0.0.1 is already in use (another Meilisearch still running?)`
            : `Cannot use port ${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

export async function startLocalMeilisearch(options: LocalMeilisearchOptions = {}): Promise<LocalMeilisearch> {
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535)) {
    throw new RangeError(`Invalid Meilisearch port ${options.port}: must be a whole number between 1 and 65535`);
  }
  if (options.masterKey !== undefined && Buffer.byteLength(options.masterKey) < 16) {
    throw new RangeError("Invalid Meilisearch master key: must be at least 16 bytes");
  }
  const binary = await preparedMeilisearchBinary();
  if (options.port !== undefined) await assertPortFree(options.port);
  let dataDir: string;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "ks-meili-"));
  }
  const keepData = options.keepData ?? options.dataDir !== undefined;
  const port = options.port ?? (await freePort());
  const masterKey = options.masterKey ?? randomBytes(24).toString("hex");
  const host = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      "--http-addr",
      `127.0.0.1:${port}`,
      "--db-path",
      path.join(dataDir, "data.ms"),
      "--dump-dir",
      path.join(dataDir, "dumps"),
      "--snapshot-dir",
      path.join(dataDir, "snapshots"),
      "--master-key",
      masterKey,
      "--env",
      "development",
      "--no-analytics",
      "--log-level",
      options.logLevel ?? "WARN",
      "--max-indexing-memory",
      options.maxIndexingMemory ?? DEFAULT_MAX_INDEXING_MEMORY,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const collect = (d: Buffer | string) => {
    const s = String(d);
    output = (output + s).slice(-OUTPUT_LIMIT);
    options.onOutput?.(s);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const stop = async (stopOptions: { signal?: NodeJS.Signals; keepData?: boolean } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(stopOptions.signal ?? "SIGTERM");
    }
    await exited;
    if (!(stopOptions.keepData ?? keepData)) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`Meilisearch exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${host}/health`);
      if (res.ok) return { host, port, masterKey, process: child, dataDir, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`Meilisearch did not become healthy in time:\n${output}`);
}
