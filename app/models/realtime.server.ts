/**
 * SQL for the live stream (/api/v1/events), the status scheduler, the Atom feeds and the hospital
 * embeds: the change log (migration 0009) read with what each change's version says, the status
 * events (migration 0010), the inclusion windows of published studies, and an organisation's
 * published sites. Nothing here derives a status: that is app/domain/inclusion-status.ts.
 */
import { SITE_WINDOW_COLUMNS, windowOf, type SiteWindowRow } from "./site-window.server";
import type { InclusionWindow } from "#app/domain/inclusion-status";
import type { Db } from "#app/db.server";
import type { PublicationState, Study } from "#app/domain/study";
import { sql } from "./statements.server";

/* ------------------------------------------------------------------ heads */

export interface StreamHeads {
  /** The change log's highest sequence number (0 when empty). */
  change: number;
  /** The status events' highest sequence number (0 when empty). */
  status: number;
}

export function streamHeads(db: Db): StreamHeads {
  const row = sql(
    db,
    "SELECT (SELECT coalesce(max(seq), 0) FROM study_changes) AS change, (SELECT coalesce(max(seq), 0) FROM study_status_events) AS status",
  ).get() as StreamHeads;
  return row;
}

/* ------------------------------------------------------------------ the change log with its versions */

export interface StreamChangeRow {
  seq: number;
  studyId: number;
  version: number;
  createdAt: string;
  state: PublicationState;
  previousState: PublicationState | null;
  /** From the version's snapshot: the Norwegian title, the lead organisation, the sites' organisations. */
  title: string;
  leadOrganisationId: string;
  organisations: string[];
}

/** Every change after `since` (public or not: the caller decides), oldest first, at most `limit`. */
export function changesAfter(db: Db, since: number, limit: number, upTo = Number.MAX_SAFE_INTEGER): StreamChangeRow[] {
  const rows = sql(
    db,
    `SELECT c.seq, c.study_id AS studyId, c.version, c.created_at AS createdAt, c.publication_state AS state,
            c.previous_state AS previousState, json_extract(v.snapshot, '$.title.nb') AS title,
            json_extract(v.snapshot, '$.leadOrganisationId') AS leadOrganisationId,
            (SELECT json_group_array(DISTINCT json_extract(s.value, '$.organisationId'))
               FROM json_each(v.snapshot, '$.sites') s
              WHERE json_extract(s.value, '$.withdrawn') IS NOT 1
                -- Places that are no registered organisation have no organisation to filter on.
                AND json_extract(s.value, '$.organisationId') IS NOT NULL) AS organisations
     FROM study_changes c JOIN study_versions v ON v.study_id = c.study_id AND v.version = c.version
     WHERE c.seq > ? AND c.seq <= ? ORDER BY c.seq LIMIT ?`,
  ).all(since, upTo, limit) as (Omit<StreamChangeRow, "organisations"> & { organisations: string })[];
  return rows.map((r) => ({ ...r, organisations: JSON.parse(r.organisations) as string[] }));
}

/* ------------------------------------------------------------------ status events */

export interface StatusEventSite {
  siteId: number;
  organisationId: string | null;
  hospitalId: string | null;
  from: string;
  to: string;
}

export interface StatusEventRow {
  seq: number;
  studyId: number;
  at: string;
  status: string;
  previousStatus: string;
  sites: StatusEventSite[];
  createdAt: string;
  /** The change log's head when the event was written: its place among the study changes. */
  afterChange: number;
}

export type NewStatusEvent = Omit<StatusEventRow, "seq" | "afterChange">;

/** Status events after `since` (up to `upTo`, written at a change-log head of at most `maxAfterChange`), oldest first. */
export function statusEventsAfter(
  db: Db,
  since: number,
  limit: number,
  upTo = Number.MAX_SAFE_INTEGER,
  maxAfterChange = Number.MAX_SAFE_INTEGER,
): StatusEventRow[] {
  const rows = sql(
    db,
    `SELECT seq, study_id AS studyId, at, status, previous_status AS previousStatus, sites, created_at AS createdAt,
            after_change AS afterChange
     FROM study_status_events WHERE seq > ? AND seq <= ? AND after_change <= ? ORDER BY seq LIMIT ?`,
  ).all(since, upTo, maxAfterChange, limit) as (Omit<StatusEventRow, "sites"> & { sites: string })[];
  return rows.map((r) => ({ ...r, sites: JSON.parse(r.sites) as StatusEventSite[] }));
}

/** Writes status events; one already written for the same study and instant is skipped. Returns how many were new. */
export function insertStatusEvents(db: Db, events: readonly NewStatusEvent[]): number {
  if (events.length === 0) return 0;
  const insert = sql(
    db,
    `INSERT OR IGNORE INTO study_status_events (study_id, at, status, previous_status, sites, created_at, after_change)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // IMMEDIATE: the write lock is held while the change log's head is read, so no change can commit
  // between that read and these rows (see after_change in migration 0010).
  return db
    .transaction(() => {
      const head = sql(db, "SELECT coalesce(max(seq), 0) FROM study_changes").pluck().get() as number;
      let added = 0;
      for (const e of events)
        added += insert.run(
          e.studyId,
          e.at,
          e.status,
          e.previousStatus,
          JSON.stringify(e.sites),
          e.createdAt,
          head,
        ).changes;
      return added;
    })
    .immediate();
}

/* ------------------------------------------------------------------ windows of published studies */

export interface WindowRow extends InclusionWindow {
  studyId: number;
  siteId: number;
  organisationId: string | null;
  hospitalId: string | null;
  /** The study's last saved change (what its latest change event showed). */
  updatedAt: string;
}

/** The active sites of published studies (all of them, or of `studyIds`), in study order. */
export function publishedWindows(db: Db, studyIds?: readonly number[]): WindowRow[] {
  const base = `SELECT ss.study_id AS studyId, ss.id AS siteId, ss.organisation_id AS organisationId, ss.hospital_id AS hospitalId,
                       ${SITE_WINDOW_COLUMNS}, s.updated_at AS updatedAt
                FROM studies s JOIN study_sites ss ON ss.study_id = s.id
                WHERE s.publication_state = 'published' AND ss.withdrawn = 0`;
  const rows = (
    studyIds
      ? sql(db, `${base} AND s.id IN (SELECT value FROM json_each(?)) ORDER BY ss.study_id, ss.id`).all(
          JSON.stringify(studyIds),
        )
      : sql(db, `${base} ORDER BY ss.study_id, ss.id`).all()
  ) as ({
    studyId: number;
    siteId: number;
    organisationId: string | null;
    hospitalId: string | null;
    updatedAt: string;
  } & SiteWindowRow)[];
  return rows.map((r) => ({
    studyId: r.studyId,
    siteId: r.siteId,
    organisationId: r.organisationId,
    hospitalId: r.hospitalId,
    updatedAt: r.updatedAt,
    ...windowOf(r),
  }));
}

/* ------------------------------------------------------------------ feeds */

export interface FeedFilter {
  organisationId?: string;
  categoryId?: string;
  /** ICD-10 code ranges by their first three characters, inclusive ("C00"–"D48"). */
  icd10Ranges?: readonly (readonly [string, string])[];
}

export interface FeedChangeRow {
  seq: number;
  studyId: number;
  version: number;
  createdAt: string;
  state: PublicationState;
  previousState: PublicationState | null;
  /** The version's own summary of what changed ("Opprettet", "Endret tittel" …). */
  summary: string;
  snapshot: Study;
}

const PUBLIC_CHANGE = "(c.publication_state = 'published' OR c.previous_state = 'published')";

/** The newest public changes matching the filter (by what each version said), newest first. */
export function publicFeedChanges(db: Db, filter: FeedFilter, limit: number): FeedChangeRow[] {
  const where: string[] = [PUBLIC_CHANGE];
  const args: unknown[] = [];
  if (filter.organisationId) {
    where.push(
      `(json_extract(v.snapshot, '$.leadOrganisationId') = ? OR EXISTS (SELECT 1 FROM json_each(v.snapshot, '$.sites') s
         WHERE json_extract(s.value, '$.organisationId') = ? AND json_extract(s.value, '$.withdrawn') IS NOT 1))`,
    );
    args.push(filter.organisationId, filter.organisationId);
  }
  if (filter.categoryId) {
    where.push("EXISTS (SELECT 1 FROM json_each(v.snapshot, '$.categories') k WHERE k.value = ?)");
    args.push(filter.categoryId);
  }
  if (filter.icd10Ranges?.length) {
    const ranges = filter.icd10Ranges.map(() => "substr(i.value, 1, 3) BETWEEN ? AND ?").join(" OR ");
    where.push(`EXISTS (SELECT 1 FROM json_each(v.snapshot, '$.icd10') i WHERE ${ranges})`);
    for (const [from, to] of filter.icd10Ranges) args.push(from, to);
  }
  const rows = sql(
    db,
    `SELECT c.seq, c.study_id AS studyId, c.version, c.created_at AS createdAt, c.publication_state AS state,
            c.previous_state AS previousState, v.summary, v.snapshot
     FROM study_changes c JOIN study_versions v ON v.study_id = c.study_id AND v.version = c.version
     WHERE ${where.join(" AND ")} ORDER BY c.seq DESC LIMIT ?`,
  ).all(...args, limit) as (Omit<FeedChangeRow, "snapshot"> & { snapshot: string })[];
  return rows.map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as Study }));
}

/* ------------------------------------------------------------------ embeds */

/** Published studies with an active site of the organisation whose window has not ended before `today`. */
export function organisationStudyIds(db: Db, organisationId: string, today: string): number[] {
  return sql(
    db,
    `SELECT DISTINCT s.id FROM studies s JOIN study_sites ss ON ss.study_id = s.id
     WHERE s.publication_state = 'published' AND ss.organisation_id = ? AND ss.withdrawn = 0
       AND (ss.inclusion_end IS NULL OR ss.inclusion_end >= ?)
     ORDER BY s.id`,
  )
    .pluck()
    .all(organisationId, today) as number[];
}
