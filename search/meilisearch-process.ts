/**
 * Starts a local Meilisearch (the verified test binary) on 127.0.0.1, a free port and a temporary
 * data directory, for tests, benchmarks and local runs. Never for production.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { preparedMeilisearchBinary } from "./meilisearch-binary";

export interface LocalMeilisearch {
  host: string;
  masterKey: string;
  process: ChildProcess;
  dataDir: string;
  stop: () => Promise<void>;
}

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

export async function startLocalMeilisearch(options: { timeoutMs?: number } = {}): Promise<LocalMeilisearch> {
  const binary = await preparedMeilisearchBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), "ks-meili-"));
  const port = await freePort();
  const masterKey = randomBytes(24).toString("hex");
  const host = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      "--http-addr", `127.0.0.1:${port}`,
      "--db-path", path.join(dataDir, "data.ms"),
      "--dump-dir", path.join(dataDir, "dumps"),
      "--snapshot-dir", path.join(dataDir, "snapshots"),
      "--master-key", masterKey,
      "--env", "development",
      "--no-analytics",
      "--log-level", "WARN",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const stop = async () => {
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Meilisearch exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${host}/health`);
      if (res.ok) return { host, masterKey, process: child, dataDir, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`Meilisearch did not become healthy in time:\n${output}`);
}
