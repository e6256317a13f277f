/**
 * Pending revisions of published studies (ADR 0014): a change to a published study's shared
 * fields waits here until an editor of the lead organisation approves exactly that revision; the
 * public keeps reading the published study meanwhile. Each save is a new revision (the open one
 * before it becomes "replaced"), so nothing a researcher wrote is lost. Only SQL lives here; who
 * may do what is decided in study-work.server.ts.
 */
import type { Db } from "#app/db.server";
import type { Study } from "#app/domain/study";
import { sql } from "./statements.server";

export type RevisionState = "draft" | "submitted" | "approved" | "replaced";

export interface StudyRevision {
  studyId: number;
  revision: number;
  baseVersion: number;
  state: RevisionState;
  snapshot: Study;
  actorName: string;
  createdAt: string;
  decidedAt: string | null;
  publishedVersion: number | null;
}

interface RevisionRow {
  study_id: number;
  revision: number;
  base_version: number;
  state: RevisionState;
  snapshot: string;
  actor_name: string;
  created_at: string;
  decided_at: string | null;
  published_version: number | null;
}

const fromRow = (r: RevisionRow): StudyRevision => ({
  studyId: r.study_id,
  revision: r.revision,
  baseVersion: r.base_version,
  state: r.state,
  snapshot: JSON.parse(r.snapshot) as Study,
  actorName: r.actor_name,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  publishedVersion: r.published_version,
});

/** The revision waiting for approval or still being written (at most one per study). */
export function openRevision(db: Db, studyId: number): StudyRevision | null {
  const row = sql(db, "SELECT * FROM study_revisions WHERE study_id = ? AND state IN ('draft', 'submitted')").get(
    studyId,
  ) as RevisionRow | undefined;
  return row ? fromRow(row) : null;
}

/** Saves a new revision; the open one before it (if any) becomes "replaced". Returns its number. */
export function insertRevision(
  db: Db,
  r: {
    studyId: number;
    baseVersion: number;
    state: "draft" | "submitted";
    snapshot: Study;
    actor: { id?: string | null; name: string };
    now: Date;
  },
): number {
  return db
    .transaction(() => {
      const at = r.now.toISOString();
      sql(
        db,
        "UPDATE study_revisions SET state = 'replaced', decided_at = ? WHERE study_id = ? AND state IN ('draft', 'submitted')",
      ).run(at, r.studyId);
      const next =
        ((sql(db, "SELECT max(revision) FROM study_revisions WHERE study_id = ?").pluck().get(r.studyId) as
          number | null) ?? 0) + 1;
      sql(
        db,
        `INSERT INTO study_revisions (study_id, revision, base_version, state, snapshot, actor_id, actor_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(r.studyId, next, r.baseVersion, r.state, JSON.stringify(r.snapshot), r.actor.id ?? null, r.actor.name, at);
      return next;
    })
    .immediate();
}

/** Moves an open revision on: submitted, back to draft, replaced (withdrawn by its author) or approved (with the version it published). */
export function setRevisionState(
  db: Db,
  studyId: number,
  revision: number,
  state: RevisionState,
  now: Date,
  publishedVersion: number | null = null,
): void {
  const decided = state === "approved" || state === "replaced" ? now.toISOString() : null;
  sql(
    db,
    "UPDATE study_revisions SET state = ?, decided_at = ?, published_version = ? WHERE study_id = ? AND revision = ?",
  ).run(state, decided, publishedVersion, studyId, revision);
}

/** Studies with a revision waiting for an editor, led by one of these organisations (null: all). */
export function studiesWithSubmittedRevision(db: Db, leadOrganisations: string[] | null): number[] {
  return sql(
    db,
    `SELECT r.study_id FROM study_revisions r JOIN studies s ON s.id = r.study_id
     WHERE r.state = 'submitted' AND (? IS NULL OR s.lead_organisation_id IN (SELECT value FROM json_each(?)))
     ORDER BY r.created_at, r.study_id`,
  )
    .pluck()
    .all(leadOrganisations ? 1 : null, JSON.stringify(leadOrganisations ?? [])) as number[];
}

/** The study's current (live) version number. */
export function liveVersion(db: Db, studyId: number): number {
  return (sql(db, "SELECT current_version FROM studies WHERE id = ?").pluck().get(studyId) as number | undefined) ?? 0;
}

/** Sites proposed for one of these organisations that wait for their answer: the studies they are in. */
export function studiesWithSitesPendingFor(db: Db, organisations: string[] | null): number[] {
  return sql(
    db,
    `SELECT DISTINCT study_id FROM study_sites WHERE pending_consent = 1
       AND (? IS NULL OR organisation_id IN (SELECT value FROM json_each(?))) ORDER BY study_id`,
  )
    .pluck()
    .all(organisations ? 1 : null, JSON.stringify(organisations ?? [])) as number[];
}
