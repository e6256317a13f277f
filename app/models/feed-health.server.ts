/**
 * An organisation's feed health for its editors: its pull feeds (URL, last poll, next due), its
 * latest ingest runs with their counts, and the records those runs rejected (which record, which
 * field, why). Only the editor's own organisations (or any, for a national admin): checked here,
 * before anything is read.
 */
import type { Db } from "#app/db.server";
import { authorize, canViewFeedHealth, isAdmin, orgsWithRole, type Principal } from "#app/auth/policy";
import { NotFoundError } from "./study-work.server";
import { listFeedSubscriptions, type FeedSubscription } from "./feed.server";
import {
  latestRegistryImports,
  runSkips,
  type IngestRun,
  type RegistryImportRow,
  type SkipSummary,
} from "./ingest.server";
import { sql } from "./statements.server";

/** An ingest run (ingest.server.ts) with its source's name and kind, for the feed-health table. */
export type RunRow = Omit<IngestRun, "organisationId"> & {
  sourceName: string;
  sourceKind: string;
  skippedReasons: SkipSummary[];
};

export interface WarningRow {
  runId: number;
  startedAt: string;
  ref: string;
  message: string;
}

export interface RejectionRow {
  runId: number;
  startedAt: string;
  ref: string;
  externalId: string | null;
  field: string;
  message: string;
}

export interface FeedHealth {
  organisation: { id: string; name: string };
  feeds: FeedSubscription[];
  runs: RunRow[];
  rejections: RejectionRow[];
  /** More rejections exist than are shown. */
  rejectionsTruncated: boolean;
  warnings: WarningRow[];
  /** More warnings exist (stored or not) than are shown. */
  warningsTruncated: boolean;
  /** The latest registry imports (whole-file accounts); only for a national admin. */
  registryImports: RegistryImportRow[];
}

/** The organisations whose feed health this user may see: their editor organisations, or all for an admin. */
export function feedHealthOrganisations(db: Db, p: Principal): { id: string; name: string }[] {
  const all = sql(db, "SELECT id, name FROM organisations ORDER BY name").all() as { id: string; name: string }[];
  if (isAdmin(p)) return all;
  const mine = new Set(orgsWithRole(p, "editor"));
  return all.filter((o) => mine.has(o.id));
}

export function feedHealthFor(
  db: Db,
  p: Principal,
  organisationId: string,
  limits = { runs: 20, rejections: 200, warnings: 200 },
): FeedHealth {
  authorize(canViewFeedHealth(p, organisationId), "view-feed-health");
  const organisation = sql(db, "SELECT id, name FROM organisations WHERE id = ?").get(organisationId) as
    { id: string; name: string } | undefined;
  if (!organisation) throw new NotFoundError(`Organisasjonen ${organisationId} finnes ikke.`);
  const runs = (
    sql(
      db,
      `SELECT r.id, r.source_id AS sourceId, coalesce(s.name, r.source_id) AS sourceName, coalesce(s.kind, '') AS sourceKind,
              r.format, r.mode, r.dry_run AS dryRun, r.started_at AS startedAt, r.finished_at AS finishedAt, r.status,
              r.received, r.created, r.changed, r.unchanged, r.withdrawn, r.rejected, r.skipped, r.held, r.warnings,
              r.registry_import_id AS registryImportId, r.error
       FROM ingest_runs r LEFT JOIN sources s ON s.id = r.source_id
       WHERE r.organisation_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    ).all(organisationId, limits.runs) as (Omit<RunRow, "dryRun" | "skippedReasons"> & { dryRun: number })[]
  ).map((r) => ({ ...r, dryRun: r.dryRun === 1, skippedReasons: [] as SkipSummary[] }));
  const skips = runSkips(
    db,
    runs.map((r) => r.id),
  );
  for (const r of runs) r.skippedReasons = skips.get(r.id) ?? [];
  const ids = JSON.stringify(runs.map((r) => r.id));
  const rejections = sql(
    db,
    `SELECT j.run_id AS runId, r.started_at AS startedAt, j.ref, j.external_id AS externalId, j.field, j.message
     FROM ingest_rejections j JOIN ingest_runs r ON r.id = j.run_id
     WHERE j.run_id IN (SELECT value FROM json_each(?)) ORDER BY r.started_at DESC, j.run_id DESC, j.position LIMIT ?`,
  ).all(ids, limits.rejections + 1) as RejectionRow[];
  const warnings = sql(
    db,
    `SELECT w.run_id AS runId, r.started_at AS startedAt, w.ref, w.message
     FROM ingest_run_warnings w JOIN ingest_runs r ON r.id = w.run_id
     WHERE w.run_id IN (SELECT value FROM json_each(?)) ORDER BY r.started_at DESC, w.run_id DESC, w.position LIMIT ?`,
  ).all(ids, limits.warnings + 1) as WarningRow[];
  const warningTotal = runs.reduce((n, r) => n + r.warnings, 0);
  return {
    organisation,
    feeds: listFeedSubscriptions(db).filter((f) => f.organisationId === organisationId),
    runs,
    rejections: rejections.slice(0, limits.rejections),
    rejectionsTruncated: rejections.length > limits.rejections,
    warnings: warnings.slice(0, limits.warnings),
    warningsTruncated: warnings.length > limits.warnings || warningTotal > Math.min(warnings.length, limits.warnings),
    registryImports: isAdmin(p) ? latestRegistryImports(db, 5) : [],
  };
}
