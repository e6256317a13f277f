/** SQL for ingestion: finding studies to merge with, run records, rejections and conflicts. */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";
import type { StudyIdentifiers } from "#app/domain/study";
import type { MergeConflict } from "#app/domain/study-merge";
import type { Rejection, SkippedRecord } from "#app/ingest/types";

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
  sql(
    db,
    `INSERT INTO sources (id, kind, name, organisation_id, format, created_at) VALUES (?, 'feed', ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET format = excluded.format`,
  ).run(sourceId, name, organisationId, format, new Date().toISOString());
}

/** Studies this source has sent whose site at this organisation is still active. */
/**
 * Studies this source sent that still have an active site of one of `organisationIds` (or, for a
 * place that is no registered organisation, that one of them is responsible for).
 */
export function activeStudiesFromSource(
  db: Db,
  sourceId: string,
  organisationIds: string | readonly string[],
): { studyId: number; externalId: string }[] {
  const owners = JSON.stringify(typeof organisationIds === "string" ? [organisationIds] : organisationIds);
  return sql(
    db,
    `SELECT DISTINCT p.study_id AS studyId, p.external_id AS externalId
       FROM study_provenance p
       JOIN studies st ON st.id = p.study_id
       JOIN study_sites s ON s.study_id = p.study_id AND s.withdrawn = 0
         AND (s.organisation_id IN (SELECT value FROM json_each(?))
              OR (s.organisation_id IS NULL AND st.lead_organisation_id IN (SELECT value FROM json_each(?))))
       WHERE p.source_id = ?`,
  ).all(owners, owners, sourceId) as { studyId: number; externalId: string }[];
}

/** received = created + changed + unchanged + skipped + rejected; held records are among the stored ones. */
export interface IngestRunCounts {
  received: number;
  created: number;
  changed: number;
  unchanged: number;
  withdrawn: number;
  rejected: number;
  skipped: number;
  held: number;
}

/** Skipped records counted per reason, with the first few of them (a run stores at most this many per reason). */
export const MAX_SKIPPED_REFS_PER_REASON = 50;
/** Warnings stored per run (the run keeps the true total). */
export const MAX_WARNINGS_PER_RUN = 500;

export interface SkipSummary {
  reason: string;
  count: number;
  records: { ref: string; externalId: string | null }[];
}

/** Skipped records → one entry per reason (largest first), each listing at most `limit` records. Pure. */
export function summariseSkipped(skipped: SkippedRecord[], limit = MAX_SKIPPED_REFS_PER_REASON): SkipSummary[] {
  const byReason = new Map<string, SkipSummary>();
  for (const s of skipped) {
    const entry = byReason.get(s.reason) ?? { reason: s.reason, count: 0, records: [] };
    entry.count++;
    if (entry.records.length < limit) entry.records.push({ ref: s.ref, externalId: s.externalId });
    byReason.set(s.reason, entry);
  }
  return [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export interface RunNotes {
  skipped: SkipSummary[];
  warnings: { ref: string; message: string }[];
  registryImportId?: number | null;
}

export function startIngestRun(
  db: Db,
  run: {
    organisationId: string;
    sourceId: string;
    format: string;
    mode: "full" | "partial";
    dryRun: boolean;
    startedAt: string;
  },
): number {
  const result = sql(
    db,
    `INSERT INTO ingest_runs (organisation_id, source_id, format, mode, dry_run, started_at, status)
       VALUES (?, ?, ?, ?, ?, ?, 'running')`,
  ).run(run.organisationId, run.sourceId, run.format, run.mode, run.dryRun ? 1 : 0, run.startedAt);
  return Number(result.lastInsertRowid);
}

export function finishIngestRun(
  db: Db,
  runId: number,
  counts: IngestRunCounts,
  rejections: Rejection[],
  error: string | null,
  notes: RunNotes = { skipped: [], warnings: [] },
): void {
  db.transaction(() => {
    sql(
      db,
      `UPDATE ingest_runs SET finished_at = ?, status = ?, received = ?, created = ?, changed = ?, unchanged = ?,
         withdrawn = ?, rejected = ?, skipped = ?, held = ?, warnings = ?, registry_import_id = ?, error = ? WHERE id = ?`,
    ).run(
      new Date().toISOString(),
      error ? "failed" : "finished",
      counts.received,
      counts.created,
      counts.changed,
      counts.unchanged,
      counts.withdrawn,
      counts.rejected,
      counts.skipped,
      counts.held,
      notes.warnings.length,
      notes.registryImportId ?? null,
      error,
      runId,
    );
    const insert = sql(
      db,
      "INSERT INTO ingest_rejections (run_id, position, ref, external_id, field, message) VALUES (?, ?, ?, ?, ?, ?)",
    );
    rejections.forEach((r, i) => insert.run(runId, i, r.ref, r.externalId, r.field, r.message));
    const skip = sql(db, "INSERT INTO ingest_run_skips (run_id, reason, count, records) VALUES (?, ?, ?, ?)");
    for (const s of notes.skipped)
      skip.run(runId, s.reason, s.count, JSON.stringify(s.records.slice(0, MAX_SKIPPED_REFS_PER_REASON)));
    const warn = sql(db, "INSERT INTO ingest_run_warnings (run_id, position, ref, message) VALUES (?, ?, ?, ?)");
    notes.warnings.slice(0, MAX_WARNINGS_PER_RUN).forEach((w, i) => warn.run(runId, i, w.ref, w.message));
  }).immediate();
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
  /** Warnings the run gave (only the first MAX_WARNINGS_PER_RUN are stored). */
  warnings: number;
  /** Set when the run is one organisation's part of a registry import. */
  registryImportId: number | null;
  error: string | null;
}

export function getIngestRun(
  db: Db,
  id: number,
):
  | (IngestRun & {
      rejections: Rejection[];
      skippedReasons: SkipSummary[];
      warningList: { ref: string; message: string }[];
    })
  | null {
  const row = sql(
    db,
    `SELECT id, organisation_id AS organisationId, source_id AS sourceId, format, mode, dry_run AS dryRun,
              started_at AS startedAt, finished_at AS finishedAt, status, received, created, changed, unchanged,
              withdrawn, rejected, skipped, held, warnings, registry_import_id AS registryImportId, error
       FROM ingest_runs WHERE id = ?`,
  ).get(id) as (Omit<IngestRun, "dryRun"> & { dryRun: number }) | undefined;
  if (!row) return null;
  const rejections = sql(
    db,
    "SELECT ref, external_id AS externalId, field, message FROM ingest_rejections WHERE run_id = ? ORDER BY position",
  ).all(id) as Rejection[];
  const warningList = sql(db, "SELECT ref, message FROM ingest_run_warnings WHERE run_id = ? ORDER BY position").all(
    id,
  ) as { ref: string; message: string }[];
  return {
    ...row,
    dryRun: row.dryRun === 1,
    rejections,
    skippedReasons: runSkips(db, [id]).get(id) ?? [],
    warningList,
  };
}

/** Skipped reasons of these runs, per run (largest first). */
export function runSkips(db: Db, runIds: number[]): Map<number, SkipSummary[]> {
  const rows = sql(
    db,
    `SELECT run_id AS runId, reason, count, records FROM ingest_run_skips
     WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, count DESC, reason`,
  ).all(JSON.stringify(runIds)) as { runId: number; reason: string; count: number; records: string }[];
  const out = new Map<number, SkipSummary[]>();
  for (const r of rows)
    out.set(r.runId, [
      ...(out.get(r.runId) ?? []),
      { reason: r.reason, count: r.count, records: JSON.parse(r.records) },
    ]);
  return out;
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
  const insert = sql(
    db,
    `INSERT INTO study_conflicts (study_id, organisation_id, run_id, field, current_value, incoming_value, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  let added = 0;
  for (const c of conflicts) {
    added += insert.run(
      studyId,
      organisationId,
      runId,
      c.field,
      JSON.stringify(c.current ?? null),
      JSON.stringify(c.incoming ?? null),
      now,
    ).changes;
  }
  return added;
}

export function listOpenConflicts(
  db: Db,
  studyId: number,
): { organisationId: string; field: string; current: unknown; incoming: unknown }[] {
  const rows = sql(
    db,
    `SELECT organisation_id AS organisationId, field, current_value AS current, incoming_value AS incoming
       FROM study_conflicts WHERE study_id = ? AND resolved_at IS NULL ORDER BY id`,
  ).all(studyId) as { organisationId: string; field: string; current: string; incoming: string }[];
  return rows.map((r) => ({ ...r, current: JSON.parse(r.current), incoming: JSON.parse(r.incoming) }));
}

export function organisationExists(db: Db, id: string): boolean {
  return sql(db, "SELECT 1 FROM organisations WHERE id = ?").pluck().get(id) === 1;
}

export interface IngestTotals {
  /** Runs by status (running, finished, failed), dry runs excluded. */
  runs: Record<"running" | "finished" | "failed", number>;
  /** Records over all finished and failed runs, by outcome. */
  records: Record<
    "received" | "created" | "changed" | "unchanged" | "withdrawn" | "rejected" | "skipped" | "held",
    number
  >;
}

/** Totals over every recorded ingest run (the CLI's and the API's alike), for /metrics. */
export function ingestTotals(db: Db): IngestTotals {
  const runs = { running: 0, finished: 0, failed: 0 };
  for (const row of sql(
    db,
    "SELECT status, count(*) AS n FROM ingest_runs WHERE dry_run = 0 GROUP BY status",
  ).all() as { status: keyof typeof runs; n: number }[]) {
    runs[row.status] = row.n;
  }
  const r = sql(
    db,
    `SELECT coalesce(sum(received), 0) AS received, coalesce(sum(created), 0) AS created, coalesce(sum(changed), 0) AS changed,
            coalesce(sum(unchanged), 0) AS unchanged, coalesce(sum(withdrawn), 0) AS withdrawn, coalesce(sum(rejected), 0) AS rejected,
            coalesce(sum(skipped), 0) AS skipped, coalesce(sum(held), 0) AS held
       FROM ingest_runs WHERE dry_run = 0`,
  ).get() as IngestTotals["records"];
  return { runs, records: r };
}

/* ------------------------------------------------------------------------------------------ */
/* Registry imports (no sending organisation: the whole file's account)                        */
/* ------------------------------------------------------------------------------------------ */

export interface RegistryImportCounts {
  received: number;
  stored: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  held: number;
}

export interface RegistryImportRow extends RegistryImportCounts {
  id: number;
  sourceId: string;
  format: string;
  startedAt: string;
  finishedAt: string | null;
  status: "running" | "finished" | "failed";
  skippedReasons: SkipSummary[];
  rejections: Rejection[];
  error: string | null;
}

/** Rejections a registry import keeps with its account. */
export const MAX_REGISTRY_REJECTIONS = 200;

export function ensureRegistrySource(db: Db, sourceId: string, format: string, name: string): void {
  sql(
    db,
    `INSERT INTO sources (id, kind, name, organisation_id, format, created_at) VALUES (?, 'registry', ?, NULL, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  ).run(sourceId, name, format, new Date().toISOString());
}

export function startRegistryImport(db: Db, run: { sourceId: string; format: string; startedAt: string }): number {
  return Number(
    sql(db, "INSERT INTO registry_imports (source_id, format, started_at, status) VALUES (?, ?, ?, 'running')").run(
      run.sourceId,
      run.format,
      run.startedAt,
    ).lastInsertRowid,
  );
}

export function finishRegistryImport(
  db: Db,
  id: number,
  counts: RegistryImportCounts,
  notes: { skipped: SkipSummary[]; rejections: Rejection[] },
  error: string | null,
): void {
  sql(
    db,
    `UPDATE registry_imports SET finished_at = ?, status = ?, received = ?, stored = ?, unchanged = ?, skipped = ?, rejected = ?, held = ?,
       skipped_reasons = ?, rejections = ?, error = ? WHERE id = ?`,
  ).run(
    new Date().toISOString(),
    error ? "failed" : "finished",
    counts.received,
    counts.stored,
    counts.unchanged,
    counts.skipped,
    counts.rejected,
    counts.held,
    JSON.stringify(notes.skipped.map((s) => ({ ...s, records: s.records.slice(0, MAX_SKIPPED_REFS_PER_REASON) }))),
    JSON.stringify(notes.rejections.slice(0, MAX_REGISTRY_REJECTIONS)),
    error,
    id,
  );
}

export function latestRegistryImports(db: Db, limit = 5): RegistryImportRow[] {
  const rows = sql(
    db,
    `SELECT id, source_id AS sourceId, format, started_at AS startedAt, finished_at AS finishedAt, status, received, stored, unchanged,
            skipped, rejected, held, skipped_reasons AS skippedReasons, rejections, error
     FROM registry_imports ORDER BY started_at DESC, id DESC LIMIT ?`,
  ).all(limit) as (Omit<RegistryImportRow, "skippedReasons" | "rejections"> & {
    skippedReasons: string;
    rejections: string;
  })[];
  return rows.map((r) => ({
    ...r,
    skippedReasons: JSON.parse(r.skippedReasons) as SkipSummary[],
    rejections: JSON.parse(r.rejections) as Rejection[],
  }));
}

/* ------------------------------------------------------------------------------------------ */
/* Studies held for an editor (test/example records, unreachable links)                         */
/* ------------------------------------------------------------------------------------------ */

export interface StudyHold {
  studyId: number;
  reasons: string[];
  runId: number | null;
  heldAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
}

export function getStudyHold(db: Db, studyId: number): StudyHold | null {
  const row = sql(
    db,
    `SELECT study_id AS studyId, reasons, run_id AS runId, held_at AS heldAt, released_at AS releasedAt, released_by AS releasedBy
     FROM study_holds WHERE study_id = ?`,
  ).get(studyId) as (Omit<StudyHold, "reasons"> & { reasons: string }) | undefined;
  return row ? { ...row, reasons: JSON.parse(row.reasons) as string[] } : null;
}

/**
 * Records why a study is held. A hold an editor released stays released while the reasons are
 * the same ones (or fewer); a new reason holds the study again.
 */
export function recordStudyHold(db: Db, studyId: number, reasons: string[], runId: number | null, now: string): void {
  sql(
    db,
    `INSERT INTO study_holds (study_id, reasons, run_id, held_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (study_id) DO UPDATE SET
       released_at = CASE WHEN EXISTS (SELECT 1 FROM json_each(excluded.reasons) n
                                        WHERE n.value NOT IN (SELECT value FROM json_each(study_holds.reasons)))
                          THEN NULL ELSE study_holds.released_at END,
       released_by = CASE WHEN EXISTS (SELECT 1 FROM json_each(excluded.reasons) n
                                        WHERE n.value NOT IN (SELECT value FROM json_each(study_holds.reasons)))
                          THEN NULL ELSE study_holds.released_by END,
       held_at = CASE WHEN study_holds.reasons = excluded.reasons THEN study_holds.held_at ELSE excluded.held_at END,
       reasons = excluded.reasons,
       run_id = coalesce(excluded.run_id, study_holds.run_id)`,
  ).run(studyId, JSON.stringify(reasons), runId, now);
}

/** Nothing is wrong with the study any more: its hold (released or not) is removed. */
export function clearStudyHold(db: Db, studyId: number): void {
  sql(db, "DELETE FROM study_holds WHERE study_id = ?").run(studyId);
}

export function releaseStudyHold(db: Db, studyId: number, releasedBy: string, now: string): void {
  sql(db, "UPDATE study_holds SET released_at = ?, released_by = ? WHERE study_id = ? AND released_at IS NULL").run(
    now,
    releasedBy,
    studyId,
  );
}

/** Held (not released) studies led by, or with a site at, these organisations; all when `organisationIds` is null. */
export function listOpenHolds(
  db: Db,
  organisationIds: string[] | null,
): (StudyHold & { title: string; publicationState: string })[] {
  const rows = sql(
    db,
    `SELECT h.study_id AS studyId, h.reasons, h.run_id AS runId, h.held_at AS heldAt, h.released_at AS releasedAt, h.released_by AS releasedBy,
            coalesce((SELECT t.text FROM study_texts t WHERE t.study_id = h.study_id AND t.field = 'title' AND t.lang = 'nb'), '') AS title,
            s.publication_state AS publicationState
     FROM study_holds h JOIN studies s ON s.id = h.study_id
     WHERE h.released_at IS NULL
       AND (? IS NULL OR s.lead_organisation_id IN (SELECT value FROM json_each(?))
            OR EXISTS (SELECT 1 FROM study_sites x WHERE x.study_id = h.study_id AND x.organisation_id IN (SELECT value FROM json_each(?))))
     ORDER BY h.held_at DESC, h.study_id DESC LIMIT 200`,
  ).all(
    ...(organisationIds ? [1, JSON.stringify(organisationIds), JSON.stringify(organisationIds)] : [null, "[]", "[]"]),
  ) as (Omit<StudyHold, "reasons"> & {
    reasons: string;
    title: string;
    publicationState: string;
  })[];
  return rows.map((r) => ({ ...r, reasons: JSON.parse(r.reasons) as string[] }));
}
