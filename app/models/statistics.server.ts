/**
 * The facts national statistics are computed from (SQL only; the counting is pure, in
 * app/domain/statistics.ts). Only published studies, the same set the open API shows, so the
 * statistics publish nothing the API does not. Status is not read from here — it is not stored:
 * the domain derives it from these dates for the instant the page is made.
 */
import { SITE_WINDOW_COLUMNS, windowOf, type SiteWindowRow } from "./site-window.server";
import type { Db } from "#app/db.server";
import type { StatisticsFacts } from "#app/domain/statistics";
import { sql } from "./statements.server";

export function statisticsFacts(db: Db): StatisticsFacts {
  const studies = sql(
    db,
    `SELECT s.id, s.phase, s.is_demo AS isDemo, s.published_at AS publishedAt,
            s.first_posted_on AS firstPostedOn,
            coalesce((SELECT json_group_array(c.category_id) FROM study_categories c WHERE c.study_id = s.id), '[]') AS categories
     FROM studies s WHERE s.publication_state = 'published' ORDER BY s.id`,
  ).all() as {
    id: number;
    phase: string | null;
    isDemo: number;
    publishedAt: string | null;
    firstPostedOn: string | null;
    categories: string;
  }[];
  // Withdrawn sites are gone from their hospital: they count nowhere (as in studyStatus).
  const sites = sql(
    db,
    `SELECT ss.study_id AS studyId, ss.organisation_id AS organisationId, o.region_id AS regionId, ${SITE_WINDOW_COLUMNS}
     FROM study_sites ss
     JOIN studies s ON s.id = ss.study_id AND s.publication_state = 'published'
     LEFT JOIN organisations o ON o.id = ss.organisation_id
     WHERE ss.withdrawn = 0
     ORDER BY ss.study_id, ss.id`,
  ).all() as ({ studyId: number; organisationId: string | null; regionId: string | null } & SiteWindowRow)[];
  return {
    studies: studies.map((s) => ({
      id: s.id,
      phase: s.phase,
      isDemo: s.isDemo === 1,
      publishedAt: s.publishedAt,
      firstPostedOn: s.firstPostedOn,
      categories: (JSON.parse(s.categories) as string[]).sort(),
    })),
    sites: sites.map((s) => ({
      studyId: s.studyId,
      organisationId: s.organisationId,
      regionId: s.regionId,
      ...windowOf(s),
    })),
    regions: sql(db, "SELECT id, name FROM regions ORDER BY name").all() as { id: string; name: string }[],
    organisations: sql(db, "SELECT id, name, region_id AS regionId FROM organisations ORDER BY name").all() as {
      id: string;
      name: string;
      regionId: string;
    }[],
    categories: sql(db, "SELECT id, name_nb AS name FROM hrcs_categories ORDER BY name_nb").all() as {
      id: string;
      name: string;
    }[],
  };
}
