/** SQL for the search outbox and the per-engine cursors. */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";

export interface OutboxBatch {
  /** Highest outbox id in the batch (the cursor moves here when the batch is indexed). */
  lastId: number;
  studyIds: number[];
}

export interface CursorState {
  lastId: number;
  failures: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export function ensureCursor(db: Db, engine: string): void {
  // A new engine starts at the current end of the outbox: it is filled by a full rebuild.
  sql(
    db,
    "INSERT INTO search_cursors (engine, last_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (engine) DO NOTHING",
  ).run(engine, outboxHead(db), new Date().toISOString());
}

/** An engine's cursor without creating it (a read on the search path must not write): null when absent. */
export function cursorPosition(db: Db, engine: string): number | null {
  return (
    (sql(db, "SELECT last_id FROM search_cursors WHERE engine = ?").pluck().get(engine) as number | undefined) ?? null
  );
}

export function cursorState(db: Db, engine: string): CursorState {
  ensureCursor(db, engine);
  return sql(
    db,
    "SELECT last_id AS lastId, failures, next_attempt_at AS nextAttemptAt, last_error AS lastError FROM search_cursors WHERE engine = ?",
  ).get(engine) as CursorState;
}

export function nextOutboxBatch(db: Db, engine: string, limit: number): OutboxBatch | null {
  const { lastId } = cursorState(db, engine);
  const rows = sql(db, "SELECT id, study_id AS studyId FROM search_outbox WHERE id > ? ORDER BY id LIMIT ?").all(
    lastId,
    limit,
  ) as {
    id: number;
    studyId: number;
  }[];
  if (rows.length === 0) return null;
  return { lastId: rows.at(-1)!.id, studyIds: [...new Set(rows.map((r) => r.studyId))] };
}

export function advanceCursor(db: Db, engine: string, lastId: number): void {
  db.transaction(() => {
    sql(
      db,
      "UPDATE search_cursors SET last_id = ?, failures = 0, next_attempt_at = NULL, last_error = NULL, updated_at = ? WHERE engine = ?",
    ).run(lastId, new Date().toISOString(), engine);
    // Rows every engine has passed are done.
    sql(db, "DELETE FROM search_outbox WHERE id <= (SELECT min(last_id) FROM search_cursors)").run();
  }).immediate();
}

/** Moves a cursor to the end (after a full rebuild, which covered everything enqueued before it). */
export function resetCursorTo(db: Db, engine: string, lastId: number): void {
  ensureCursor(db, engine);
  advanceCursor(db, engine, lastId);
}

/**
 * The highest outbox id ever handed out. Read from sqlite_sequence (AUTOINCREMENT), not max(id):
 * once every engine has passed them the rows are pruned, and max(id) would fall back to 0.
 */
export function outboxHead(db: Db): number {
  return sql(
    db,
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'search_outbox'), 0), coalesce((SELECT max(id) FROM search_outbox), 0))",
  )
    .pluck()
    .get() as number;
}

/**
 * Forgets the cursors of engines that are no longer configured (e.g. Meilisearch was switched
 * off): a cursor that never moves would keep every outbox row forever. Returns the ones dropped.
 */
export function dropCursorsExcept(db: Db, engines: string[]): string[] {
  const all = sql(db, "SELECT engine FROM search_cursors").pluck().all() as string[];
  const stale = all.filter((e) => !engines.includes(e));
  db.transaction(() => {
    for (const e of stale) sql(db, "DELETE FROM search_cursors WHERE engine = ?").run(e);
    sql(db, "DELETE FROM search_outbox WHERE id <= (SELECT min(last_id) FROM search_cursors)").run();
  }).immediate();
  return stale;
}

export function recordIndexFailure(db: Db, engine: string, error: string, nextAttemptAt: Date): number {
  sql(
    db,
    "UPDATE search_cursors SET failures = failures + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE engine = ?",
  ).run(error, nextAttemptAt.toISOString(), new Date().toISOString(), engine);
  return cursorState(db, engine).failures;
}

/** How many changes an engine has not indexed yet (for /readyz and metrics). */
export function outboxLag(db: Db, engine: string): number {
  const { lastId } = cursorState(db, engine);
  return sql(db, "SELECT count(*) FROM search_outbox WHERE id > ?").pluck().get(lastId) as number;
}

/** Puts every study in the outbox (reference names in the index changed); the indexers redo them. */
export function enqueueAllStudies(db: Db, now = new Date()): number {
  return sql(db, "INSERT INTO search_outbox (study_id, enqueued_at) SELECT id, ? FROM studies ORDER BY id").run(
    now.toISOString(),
  ).changes;
}

export function allStudyIds(db: Db): number[] {
  return sql(db, "SELECT id FROM studies ORDER BY id").pluck().all() as number[];
}

/** Whether this engine has a cursor yet (a new engine is filled by a full rebuild first). */
export function cursorExists(db: Db, engine: string): boolean {
  return sql(db, "SELECT 1 FROM search_cursors WHERE engine = ?").pluck().get(engine) === 1;
}

/** Forgets recorded failures once the engine answers again (e.g. its setup succeeded). */
export function clearIndexFailures(db: Db, engine: string): void {
  sql(
    db,
    "UPDATE search_cursors SET failures = 0, next_attempt_at = NULL, last_error = NULL, updated_at = ? WHERE engine = ? AND failures > 0",
  ).run(new Date().toISOString(), engine);
}

/* ---- read-only views for /healthz, /readyz and /metrics: they must never write (no ensureCursor) */

export interface EnginePending {
  /** Changes this engine has not indexed yet. */
  lag: number;
  /** When the oldest of them was enqueued (ISO), or null when none wait. */
  oldestEnqueuedAt: string | null;
  state: CursorState;
}

/** The engine's cursor and what waits for it, or null when it has no cursor yet. Only SELECTs. */
export function enginePending(db: Db, engine: string): EnginePending | null {
  const state = sql(
    db,
    "SELECT last_id AS lastId, failures, next_attempt_at AS nextAttemptAt, last_error AS lastError FROM search_cursors WHERE engine = ?",
  ).get(engine) as CursorState | undefined;
  if (!state) return null;
  const row = sql(db, "SELECT count(*) AS lag, min(enqueued_at) AS oldest FROM search_outbox WHERE id > ?").get(
    state.lastId,
  ) as {
    lag: number;
    oldest: string | null;
  };
  return { lag: row.lag, oldestEnqueuedAt: row.oldest, state };
}
