/**
 * Where the real public data beside the project is (`../shared/data`, see SOURCES.md there): CI
 * has it, a user's machine does not. `KLINISKE_SHARED_DATA` names another folder; a path that
 * does not exist means "absent" (CI sets it to /nonexistent to run the suite as a fresh clone
 * would). Used by the tests (tests/helpers/shared-data.ts) and the real-data scripts.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/** The folder the real data is read from (it may not exist). */
export function sharedDataDir(): string {
  const fromEnv = process.env.KLINISKE_SHARED_DATA;
  return fromEnv != null && fromEnv.trim() !== ""
    ? path.resolve(fromEnv)
    : path.resolve(process.cwd(), "../shared/data");
}

/** The absolute path of a file in the shared data folder (whether or not it is there). */
export function sharedData(relPath: string): string {
  return path.join(sharedDataDir(), relPath);
}

/** Whether every named file (or, with none named, the folder) is present. */
export function haveSharedData(...relPaths: string[]): boolean {
  if (!existsSync(sharedDataDir())) return false;
  return relPaths.every((rel) => existsSync(sharedData(rel)));
}
