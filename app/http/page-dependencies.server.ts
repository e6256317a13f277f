/**
 * What a finished public page was made from, so the page cache can keep it across a change to
 * the data that did not touch it (ADR 0031). Without this, every commit anywhere (an ingest
 * writes one every few hundred milliseconds) made every cached page stale at once.
 *
 * A view builder that knows everything its page shows declares it while it builds:
 *   - the studies it shows (their stamps are read at once, before the studies themselves), and
 *   - each search answer it shows, with a way to ask the engine again.
 * A page whose view declared nothing, or declared that it also shows something else
 * (`pageDependsOnEverything`), is kept only under the whole-data validity token, as before.
 *
 * The record lives in an AsyncLocalStorage opened by the page-cache middleware for one request;
 * outside it (scripts, tests, the API) the calls do nothing.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type { Db } from "#app/db.server";
import { studyStamps } from "#app/models/study-touches.server";
import { singleton } from "#app/singleton.server";

export interface SearchDependency {
  /** Digest of the answer the page shows. */
  digest: string;
  /** Asks the engine the same question again (now) and returns the digest of its answer. */
  again: () => Promise<string>;
}

export interface PageDependencies {
  /** The Oslo day the page was made on: statuses are whole-day functions of now. */
  day: string;
  studyIds: number[];
  /** studyStamps(studyIds) read before the studies were. */
  stamps: string;
  searches: SearchDependency[];
}

interface Recorder {
  day: string;
  studyIds: number[];
  stamps: string[];
  searches: SearchDependency[];
  declared: boolean;
  everything: boolean;
}

// One per process: server.ts opens the record with its copy of this module, the views in the
// Remix build declare into it with theirs.
const scope = singleton("page-dependencies", () => new AsyncLocalStorage<Recorder>());

/** A fresh record for one request: `run` the rest of the request in it, then `take` what was declared. */
export function pageDependencyRecord(day: string): { run: <T>(fn: () => T) => T; take: () => PageDependencies | null } {
  const recorder: Recorder = { day, studyIds: [], stamps: [], searches: [], declared: false, everything: false };
  return {
    run: (fn) => scope.run(recorder, fn),
    take: () =>
      recorder.declared && !recorder.everything
        ? {
            day: recorder.day,
            studyIds: recorder.studyIds,
            stamps: recorder.stamps.join(","),
            searches: recorder.searches,
          }
        : null,
  };
}

/** The page shows these studies: call BEFORE reading them (their stamps are read now). */
export function pageShowsStudies(db: Db, studyIds: readonly number[]): void {
  const recorder = scope.getStore();
  if (!recorder) return;
  recorder.declared = true;
  if (studyIds.length === 0) return;
  recorder.studyIds.push(...studyIds);
  recorder.stamps.push(studyStamps(db, studyIds));
}

/** The page shows this search answer; `again` asks the same question anew. */
export function pageShowsSearch<A>(answer: A, again: () => Promise<A>): void {
  const recorder = scope.getStore();
  if (!recorder) return;
  recorder.declared = true;
  recorder.searches.push({ digest: answerDigest(answer), again: async () => answerDigest(await again()) });
}

/** Part of the page depends on something not declared: keep it under the whole-data token only. */
export function pageDependsOnEverything(): void {
  const recorder = scope.getStore();
  if (recorder) recorder.everything = true;
}

function answerDigest(answer: unknown): string {
  return createHash("sha256").update(JSON.stringify(answer)).digest("base64");
}

/**
 * Whether a page made from `deps` would be made the same now: same day, none of its studies
 * changed, every search answers the same. Reads the stamps first, then asks the engines.
 */
export async function stillShowsTheSame(db: Db, deps: PageDependencies, today: string): Promise<boolean> {
  if (deps.day !== today) return false;
  if (studyStamps(db, deps.studyIds) !== deps.stamps) return false;
  for (const search of deps.searches) {
    if ((await search.again()) !== search.digest) return false;
  }
  return true;
}
