/** SQL for ingestion: finding studies to merge with, run records, rejections and conflicts. */
import type { Db } from "../db.server";
import { sql } from "./statements.server";
import type { StudyIdentifiers } from "../domain/study";
import type { MergeConflict } from "../domain/study-merge";
import type { Rejection } from "../ingest/types";

const IDENTIFIER_COLUMNS: [keyof StudyIdentifiers, string][] = [
  ["nct", "nct_id"],
  ["euCt", "eu_ct_number"],
  ["eudract", "eudract_number"],
  ["isrctn", "isrctn"],
];

/**
 * The study these identifiers name: registry identifiers first (unique), then the REK number
 * when exactly one study has it. Returns every distinct match so callers can report ambiguity.
 */
export function findStudyIdsByIdentifiers(db: Db, identifiers: StudyIdentifiers): number[] {
  const found = new Set<number>();
  for (const [key, column] of IDENTIFIER_COLUMNS) {
    const value = identifiers[key];
    if (!value) continue;
    const id = sql(db, `SELECT id FROM studies WHERE ${column} = ?`).pluck().get(value) as number | undefined;
    if (id != null) found.add(id);
  }
  if (found.size === 0 && identifiers.rek) {
    const ids = sql(db, "SELECT id FROM studies WHERE rek_number = ? LIMIT 2").pluck().all(identifiers.rek) as number[];
    if (ids.length === 1) found.add(ids[0]!);
  }
  return [...found];
}

export function ensureFeedSource(db: Db, sourceId: string, organisationId: string, format: string, name: string): void {
  sql(db, 
    `INSERT INTO sources (id, kind, name, organisation_id, format, created_at) VALUES (?, 'feed', ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET format = excluded.format`,
  ).run(sourceId, name, organisationId, format, new Date().toISOString());
}

/** Studies this source has sent whose site at this organisation is still active. */
/**
 * Studies this source sent that still have an active site of one of `organisationIds` (or, for a
 * place that is no registered organisation, that one of them is responsible for).
 */
export function activeStudiesFromSource(db: Db, sourceId: string, organisationIds: string | readonly string[]): { studyId: number; externalId: string }[] {
  const owners = JSON.stringify(typeof organisationIds === "string" ? [organisationIds] : organisationIds);
  return sql(db,
      `SELECT DISTINCT p.study_id AS studyId, p.external_id AS externalId
       FROM study_provenance p
       JOIN studies st ON st.id = p.study_id
       JOIN study_sites s ON s.study_id = p.study_id AND s.withdrawn = 0
         AND (s.organisation_id IN (SELECT value FROM json_each(?))
              OR (s.organisation_id IS NULL AND st.lead_organisation_id IN (SELECT value FROM json_each(?))))
       WHERE p.source_id = ?`,
    )
    .all(owners, owners, sourceId) as { studyId: number; externalId: string }[];
}

export interface IngestRunCounts {
  received: number;
  created: number;
  changed: number;
  unchanged: number;
  withdrawn: number;
  rejected: number;
}

export function startIngestRun(
  db: Db,
  run: { organisationId: string; sourceId: string; format: string; mode: "full" | "partial"; dryRun: boolean; startedAt: string },
): number {
  const result = sql(db, 
      `INSERT INTO ingest_runs (organisation_id, source_id, format, mode, dry_run, started_at, status)
       VALUES (?, ?, ?, ?, ?, ?, 'running')`,
    )
    .run(run.organisationId, run.sourceId, run.format, run.mode, run.dryRun ? 1 : 0, run.startedAt);
  return Number(result.lastInsertRowid);
}

export function finishIngestRun(db: Db, runId: number, counts: IngestRunCounts, rejections: Rejection[], error: string | null): void {
  db.transaction(() => {
    sql(db, 
      `UPDATE ingest_runs SET finished_at = ?, status = ?, received = ?, created = ?, changed = ?, unchanged = ?,
         withdrawn = ?, rejected = ?, error = ? WHERE id = ?`,
    ).run(
      new Date().toISOString(),
      error ? "failed" : "finished",
      counts.received,
      counts.created,
      counts.changed,
      counts.unchanged,
      counts.withdrawn,
      counts.rejected,
      error,
      runId,
    );
    const insert = sql(db, 
      "INSERT INTO ingest_rejections (run_id, position, ref, external_id, field, message) VALUES (?, ?, ?, ?, ?, ?)",
    );
    rejections.forEach((r, i) => insert.run(runId, i, r.ref, r.externalId, r.field, r.message));
  })();
}

export interface IngestRun extends IngestRunCounts {
  id: number;
  organisationId: string;
  sourceId: string;
  format: string;
  mode: "full" | "partial";
  dryRun: boolean;
  startedAt: string;
  finishedAt: string | null;
  status: "running" | "finished" | "failed";
  error: string | null;
}

export function getIngestRun(db: Db, id: number): (IngestRun & { rejections: Rejection[] }) | null {
  const row = sql(db, 
      `SELECT id, organisation_id AS organisationId, source_id AS sourceId, format, mode, dry_run AS dryRun,
              started_at AS startedAt, finished_at AS finishedAt, status, received, created, changed, unchanged,
              withdrawn, rejected, error
       FROM ingest_runs WHERE id = ?`,
    )
    .get(id) as (Omit<IngestRun, "dryRun"> & { dryRun: number }) | undefined;
  if (!row) return null;
  const rejections = sql(db, "SELECT ref, external_id AS externalId, field, message FROM ingest_rejections WHERE run_id = ? ORDER BY position")
    .all(id) as Rejection[];
  return { ...row, dryRun: row.dryRun === 1, rejections };
}

/** Records a disagreement once (an identical open conflict is not repeated). Returns rows added. */
export function recordConflicts(
  db: Db,
  studyId: number,
  organisationId: string,
  runId: number | null,
  conflicts: MergeConflict[],
  now: string,
): number {
  const insert = sql(db, 
    `INSERT INTO study_conflicts (study_id, organisation_id, run_id, field, current_value, incoming_value, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  let added = 0;
  for (const c of conflicts) {
    added += insert.run(studyId, organisationId, runId, c.field, JSON.stringify(c.current ?? null), JSON.stringify(c.incoming ?? null), now).changes;
  }
  return added;
}

export function listOpenConflicts(db: Db, studyId: number): { organisationId: string; field: string; current: unknown; incoming: unknown }[] {
  const rows = sql(db, 
      `SELECT organisation_id AS organisationId, field, current_value AS current, incoming_value AS incoming
       FROM study_conflicts WHERE study_id = ? AND resolved_at IS NULL ORDER BY id`,
    )
    .all(studyId) as { organisationId: string; field: string; current: string; incoming: string }[];
  return rows.map((r) => ({ ...r, current: JSON.parse(r.current), incoming: JSON.parse(r.incoming) }));
}

export function organisationExists(db: Db, id: string): boolean {
  return sql(db, "SELECT 1 FROM organisations WHERE id = ?").pluck().get(id) === 1;
}

export interface IngestTotals {
  /** Runs by status (running, finished, failed), dry runs excluded. */
  runs: Record<"running" | "finished" | "failed", number>;
  /** Records over all finished and failed runs, by outcome. */
  records: Record<"received" | "created" | "changed" | "unchanged" | "withdrawn" | "rejected", number>;
}

/** Totals over every recorded ingest run (the CLI's and the API's alike), for /metrics. */
export function ingestTotals(db: Db): IngestTotals {
  const runs = { running: 0, finished: 0, failed: 0 };
  for (const row of sql(db, "SELECT status, count(*) AS n FROM ingest_runs WHERE dry_run = 0 GROUP BY status").all() as { status: keyof typeof runs; n: number }[]) {
    runs[row.status] = row.n;
  }
  const r = sql(
    db,
    `SELECT coalesce(sum(received), 0) AS received, coalesce(sum(created), 0) AS created, coalesce(sum(changed), 0) AS changed,
            coalesce(sum(unchanged), 0) AS unchanged, coalesce(sum(withdrawn), 0) AS withdrawn, coalesce(sum(rejected), 0) AS rejected
       FROM ingest_runs WHERE dry_run = 0`,
  ).get() as IngestTotals["records"];
  return { runs, records: r };
}
