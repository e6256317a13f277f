/**
 * Tests on real data that the project may not ship. Files whose licence allows it are vendored as
 * small attributed extracts in tests/fixtures/ (see tests/fixtures/SOURCES.md) and always run;
 * files without a stated licence stay in `../shared/data` (or `KLINISKE_SHARED_DATA`; a path that
 * does not exist means absent) and their tests are skipped where it is absent, with the reason
 * in the suite's title so the reporter shows it, e.g.
 *   "… — skipped: needs ../shared/data/norway-helsenorge-studier/… (no licence stated, not vendored)".
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, it } from "vitest";
import { haveSharedData, sharedData, sharedDataDir } from "../../scripts/lib/shared-data";

export { haveSharedData, sharedData, sharedDataDir };

/** Why a file is not in the project; the default is the usual one. */
export const NOT_VENDORED = "no licence stated, not vendored";

/** Reasons already printed by this test file (each file has its own module instance). */
const printed = new Set<string>();

/**
 * The one-line reason a test that needs these shared files is skipped (null when they are here).
 * The reason is also printed once per test file, so the reporter's output says why.
 */
export function skipReason(relPaths: string[], why = NOT_VENDORED): string | null {
  const missing = relPaths.filter((rel) => !haveSharedData(rel));
  if (missing.length === 0) return null;
  const shown = missing.length === 1 ? missing[0]! : `${missing[0]} and ${missing.length - 1} more`;
  const reason = `skipped: needs ../shared/data/${shown} (${why})`;
  if (!printed.has(reason)) {
    printed.add(reason);
    console.log(reason);
  }
  return reason;
}

/** A title that carries the skip reason when the files are absent, unchanged when they are here. */
export function sharedTitle(name: string, relPaths: string[], why = NOT_VENDORED): string {
  const reason = skipReason(relPaths, why);
  return reason ? `${name} — ${reason}` : name;
}

/**
 * `describe` for tests that need shared files: runs them where the files are, otherwise skips
 * the whole suite with the reason in its title. The body is still called to collect the tests,
 * so it must read the files lazily (in beforeAll or in the tests).
 */
export function describeShared(relPaths: string | string[], name: string, body: () => void, why = NOT_VENDORED): void {
  const rels = Array.isArray(relPaths) ? relPaths : [relPaths];
  describe.skipIf(skipReason(rels, why) != null)(sharedTitle(name, rels, why), body);
}

/** `it` for one test that needs shared files (same rules as describeShared). */
export function itShared(
  relPaths: string | string[],
  name: string,
  fn: () => unknown,
  timeout?: number,
  why = NOT_VENDORED,
): void {
  const rels = Array.isArray(relPaths) ? relPaths : [relPaths];
  it.skipIf(skipReason(rels, why) != null)(sharedTitle(name, rels, why), fn, timeout);
}

/** The absolute path of a vendored fixture (tests/fixtures/…). */
export function fixture(relPath: string): string {
  return path.resolve(process.cwd(), "tests/fixtures", relPath);
}

/** A vendored fixture's bytes, gunzipped when its name ends in .gz. */
export function readFixture(relPath: string): Buffer {
  const bytes = readFileSync(fixture(relPath));
  return relPath.endsWith(".gz") ? gunzipSync(bytes) : bytes;
}
