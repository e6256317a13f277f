/**
 * SQL for the open read API (/api/v1): the change log (migration 0009), public versions, the
 * state of the whole data set for caching, reference lookups for query validation and a
 * consistent read-only snapshot for bulk exports. Study records themselves come from
 * study.server.ts (getStudy / getStudies).
 */
import { PERISHABLE_DECLARED, statusPolicy } from "#app/domain/inclusion-status";
import Database from "better-sqlite3";
import type { Db } from "#app/db.server";
import type { PublicationState, Study } from "#app/domain/study";
import type { Actor } from "./study.server";
import { SQLITE_FTS_GENERATION_KEY } from "./meta-keys";
import { sql } from "./statements.server";

/* ------------------------------------------------------------------ change log */

export interface ChangeRow {
  seq: number;
  studyId: number;
  version: number;
  createdAt: string;
  state: PublicationState;
  previousState: PublicationState | null;
}

/** Only changes the public can see: the study is published now, or was published just before. */
const PUBLIC_CHANGE = "(publication_state = 'published' OR previous_state = 'published')";

/** The highest sequence number given so far (0 for an empty log). */
export function changeLogHead(db: Db): number {
  return (sql(db, "SELECT coalesce(max(seq), 0) FROM study_changes").pluck().get() as number) ?? 0;
}

/**
 * One string that changes whenever a cached open-API answer could (app/http/answer-cache.server.ts):
 * the change log head, the search outbox head (sqlite_sequence: it never falls when rows are
 * pruned), every engine's outbox cursor, and the embedded index's generation (a rebuild). One
 * statement, a few index lookups: cheap enough to read on every cached request.
 */
export function answerStateToken(db: Db): string {
  return sql(
    db,
    `SELECT (SELECT coalesce(max(seq), 0) FROM study_changes)
       || '.' || coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'search_outbox'), 0)
       || '.' || coalesce((SELECT group_concat(c, ',') FROM (SELECT engine || '=' || last_id AS c FROM search_cursors ORDER BY engine)), '')
       || '.' || coalesce((SELECT value FROM app_meta WHERE key = ?), '-')`,
  )
    .pluck()
    .get(SQLITE_FTS_GENERATION_KEY) as string;
}

/** Public changes after `since`, oldest first, at most `limit`, read in one snapshot with the head. */
export function publicChangesAfter(db: Db, since: number, limit: number): { rows: ChangeRow[]; head: number } {
  return db.transaction(() => {
    const head = changeLogHead(db);
    const rows = sql(
      db,
      `SELECT seq, study_id AS studyId, version, created_at AS createdAt, publication_state AS state,
              previous_state AS previousState
       FROM study_changes WHERE seq > ? AND ${PUBLIC_CHANGE} ORDER BY seq LIMIT ?`,
    ).all(since, limit) as ChangeRow[];
    return { rows, head };
  })();
}

/* ------------------------------------------------------------------ versions */

export interface VersionRow {
  version: number;
  createdAt: string;
  actorKind: Actor["kind"];
  actorName: string;
  sourceId: string | null;
  sourceKind: string | null;
  state: PublicationState;
  previousState: PublicationState | null;
  snapshot: Study;
}

/** Every version of a study with its snapshot, oldest first (the caller decides what is public). */
export function studyVersionRows(db: Db, studyId: number): VersionRow[] {
  const rows = sql(
    db,
    `SELECT v.version, v.created_at AS createdAt, v.actor_kind AS actorKind, v.actor_name AS actorName,
            v.source_id AS sourceId, src.kind AS sourceKind, c.publication_state AS state,
            c.previous_state AS previousState, v.snapshot
     FROM study_versions v
     JOIN study_changes c ON c.study_id = v.study_id AND c.version = v.version
     LEFT JOIN sources src ON src.id = v.source_id
     WHERE v.study_id = ? ORDER BY v.version`,
  ).all(studyId) as (Omit<VersionRow, "snapshot"> & { snapshot: string })[];
  return rows.map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as Study }));
}

/** The study's publication state, or null when there is no such study. */
export function studyPublicationState(db: Db, studyId: number): PublicationState | null {
  return (
    (sql(db, "SELECT publication_state FROM studies WHERE id = ?").pluck().get(studyId) as
      PublicationState | undefined) ?? null
  );
}

/* ------------------------------------------------------------------ the data set as a whole */

/**
 * The latest calendar date on or before `today` on which any site's status changed by itself: an
 * inclusion start, the day after an inclusion end, or the day a declared status grew too old
 * (ADR 0012). Everything the API derives can only have changed at the start of such a day
 * (Europe/Oslo).
 */
export function latestInclusionTransition(db: Db, today: string): string | null {
  const start = sql(db, "SELECT max(inclusion_start) FROM study_sites WHERE inclusion_start <= ?")
    .pluck()
    .get(today) as string | null;
  const end = sql(db, "SELECT date(max(inclusion_end), '+1 day') FROM study_sites WHERE inclusion_end < ?")
    .pluck()
    .get(today) as string | null;
  const staleAfter = `+${statusPolicy().declaredMaxAgeDays + 1} days`;
  const stale = sql(
    db,
    `SELECT max(date(declared_on, ?)) FROM study_sites
     WHERE inclusion_start IS NULL AND declared_status IN (SELECT value FROM json_each(?))
       AND date(declared_on, ?) <= ?`,
  )
    .pluck()
    .get(staleAfter, JSON.stringify(PERISHABLE_DECLARED), staleAfter, today) as string | null;
  return (
    [start, end, stale]
      .filter((d): d is string => d != null)
      .sort()
      .at(-1) ?? null
  );
}

/** Ids of published studies after `afterId`, in id order (for exports). */
export function publishedStudyIdsAfter(db: Db, afterId: number, limit: number): number[] {
  return sql(db, "SELECT id FROM studies WHERE publication_state = 'published' AND id > ? ORDER BY id LIMIT ?")
    .pluck()
    .all(afterId, limit) as number[];
}

/* ------------------------------------------------------------------ reference lookups */

const REFERENCE_TABLES = {
  region: "regions",
  organisation: "organisations",
  hospital: "hospitals",
  category: "hrcs_categories",
} as const;
export type ReferenceKind = keyof typeof REFERENCE_TABLES;

/** The ids among `ids` that the reference list of `kind` does not have. */
export function unknownReferenceIds(db: Db, kind: ReferenceKind, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const known = new Set(
    sql(db, `SELECT id FROM ${REFERENCE_TABLES[kind]} WHERE id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(JSON.stringify(ids)) as string[],
  );
  return ids.filter((id) => !known.has(id));
}

/* ------------------------------------------------------------------ consistent snapshots */

export interface ReadSnapshot {
  db: Db;
  /** Ends the read transaction and closes the connection; safe to call more than once. */
  close: () => void;
}

/**
 * A read-only connection in one read transaction: everything read through it comes from the same
 * committed state of the database, however long a streamed export takes and whatever is written
 * meanwhile (WAL readers never block the writer). The shared connection cannot do this: a
 * transaction on it would take in other requests' writes. A database in memory has no second
 * connection; it is read directly (not isolated).
 */
export function openReadSnapshot(main: Db): ReadSnapshot {
  if (main.memory || main.name === ":memory:" || main.name === "") return { db: main, close: () => {} };
  const db = new Database(main.name, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  db.exec("BEGIN");
  // The snapshot is taken at the first read, not at BEGIN.
  db.prepare("SELECT count(*) FROM study_changes").pluck().get();
  let open = true;
  return {
    db,
    close: () => {
      if (!open) return;
      open = false;
      try {
        db.exec("COMMIT");
      } finally {
        db.close();
      }
    },
  };
}

/** Whether any version of the study was ever published (its history is public from then on). */
export function wasEverPublished(db: Db, studyId: number): boolean {
  return (
    sql(db, "SELECT 1 FROM study_changes WHERE study_id = ? AND publication_state = 'published' LIMIT 1")
      .pluck()
      .get(studyId) === 1
  );
}

/**
 * Changes the search engine has not indexed yet; null when it has no cursor. Read-only (unlike
 * search-outbox's outboxLag, which creates a missing cursor, i.e. writes): it runs on API reads.
 */
export function searchIndexLag(db: Db, engine: string): number | null {
  const row = sql(
    db,
    `SELECT (SELECT count(*) FROM search_outbox o WHERE o.id > c.last_id) AS lag FROM search_cursors c WHERE c.engine = ?`,
  ).get(engine) as { lag: number } | undefined;
  return row ? row.lag : null;
}
