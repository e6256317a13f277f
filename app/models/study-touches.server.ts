/**
 * Stamps of studies for the caches of finished pages (migration 0025, ADR 0031): a stamp changes
 * whenever anything public about the study changes, and never returns to an earlier value.
 *
 * A study's stamp is its newest row in study_touches ("s<seq>"), or, when it has none kept, the
 * oldest row kept ("f<seq>"; the log is pruned in steps, so that changes once per 10,000 changes).
 */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";

/**
 * The stamps of these studies as one string, in the order given. Read it BEFORE reading the
 * studies themselves: a change committed in between then makes the page look older than it is
 * (made again once), never newer.
 */
export function studyStamps(db: Db, studyIds: readonly number[]): string {
  if (studyIds.length === 0) return "";
  return sql(
    db,
    `SELECT group_concat(stamp, ',') FROM (
       SELECT coalesce((SELECT 's' || max(t.seq) FROM study_touches t WHERE t.study_id = j.value),
                       'f' || (SELECT coalesce(min(seq), 0) FROM study_touches)) AS stamp
       FROM json_each(?) j ORDER BY j.key)`,
  )
    .pluck()
    .get(JSON.stringify(studyIds)) as string;
}
