/**
 * Drains the search outbox into an engine. Loses nothing: the cursor only moves after the engine
 * confirmed the batch; a failure leaves it where it was and retries with back-off.
 */
import type { Db } from "#app/db.server";
import { getStudy } from "#app/models/study.server";
import {
  advanceCursor,
  allStudyIds,
  cursorState,
  ensureCursor,
  nextOutboxBatch,
  outboxHead,
  recordIndexFailure,
  resetCursorTo,
} from "#app/models/search-outbox.server";
import { studyEvents } from "#app/models/study-events.server";
import { isSearchable, studyDocuments } from "./document-mapper";
import { describeError } from "./fallback.server";
import type { SearchDocument, SearchEngine } from "./types";

export function documentsFor(
  db: Db,
  studyIds: number[],
): { index: number[]; remove: number[]; documents: SearchDocument[] } {
  const index: number[] = [];
  const remove: number[] = [];
  const documents: SearchDocument[] = [];
  for (const id of studyIds) {
    const study = getStudy(db, id);
    if (study && isSearchable(study)) {
      index.push(id);
      documents.push(...studyDocuments(study));
    } else remove.push(id);
  }
  return { index, remove, documents };
}

export interface DrainResult {
  indexed: number;
  removed: number;
  error: string | null;
}

/** Indexes everything waiting for this engine, in batches. Stops at the first failure. */
export async function drainOutbox(
  db: Db,
  engine: SearchEngine,
  options: { batchSize?: number; now?: Date } = {},
): Promise<DrainResult> {
  const result: DrainResult = { indexed: 0, removed: 0, error: null };
  ensureCursor(db, engine.name);
  for (;;) {
    const batch = nextOutboxBatch(db, engine.name, options.batchSize ?? 500);
    if (!batch) return result;
    const { index, remove, documents } = documentsFor(db, batch.studyIds);
    try {
      if (remove.length) await engine.removeStudies(remove);
      if (index.length) await engine.indexStudies(index, documents);
    } catch (error) {
      const state = cursorState(db, engine.name);
      const delayMs = Math.min(1000 * 2 ** state.failures, 60_000);
      // With the causes: "Request to … has failed: fetch failed: connect ECONNREFUSED …".
      const message = describeError(error);
      recordIndexFailure(db, engine.name, message, new Date((options.now ?? new Date()).getTime() + delayMs));
      result.error = message;
      return result;
    }
    advanceCursor(db, engine.name, batch.lastId);
    result.indexed += index.length;
    result.removed += remove.length;
  }
}

/** Full rebuild from the database; afterwards the engine's cursor is at the outbox head it saw. */
export async function rebuildIndex(db: Db, engine: SearchEngine, batchSize = 1000): Promise<number> {
  const head = outboxHead(db);
  const ids = allStudyIds(db);
  let count = 0;
  function* batches(): Generator<SearchDocument[]> {
    for (let i = 0; i < ids.length; i += batchSize) {
      const docs = documentsFor(db, ids.slice(i, i + batchSize)).documents;
      count += docs.length;
      yield docs;
    }
  }
  await engine.setup();
  await engine.rebuild(batches());
  // Changes enqueued during the rebuild (id > head) are still drained afterwards.
  resetCursorTo(db, engine.name, head);
  return count;
}

/**
 * Keeps an engine current: wakes on in-process changes at once and polls for changes made by
 * other processes; backs off after failures. Returns stop(): no new runs start, and its promise
 * resolves when the run in flight (if any) has finished, so a final drain at shutdown never races
 * a batch that is still being written.
 */
export function startIndexer(
  db: Db,
  engine: SearchEngine,
  options: { pollMs?: number; log?: (message: string) => void } = {},
): () => Promise<void> {
  const log = options.log ?? console.log;
  let current: Promise<void> = Promise.resolve();
  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    let finished!: () => void;
    current = new Promise<void>((resolve) => (finished = resolve));
    try {
      const state = cursorState(db, engine.name);
      if (!state.nextAttemptAt || Date.parse(state.nextAttemptAt) <= Date.now()) {
        const result = await drainOutbox(db, engine);
        if (result.error) log(`search indexer (${engine.name}): ${result.error}; will retry`);
      }
    } catch (error) {
      log(`search indexer (${engine.name}) error: ${(error as Error).message}`);
    } finally {
      running = false;
      finished();
    }
    if (again) {
      again = false;
      void run();
    }
  };
  const onChange = () => void run();
  studyEvents().on("changed", onChange);
  const tick = () => {
    timer = setTimeout(async () => {
      await run();
      if (!stopped) tick();
    }, options.pollMs ?? 1000);
    timer.unref();
  };
  void run();
  tick();
  return () => {
    stopped = true;
    studyEvents().off("changed", onChange);
    if (timer) clearTimeout(timer);
    return current;
  };
}
