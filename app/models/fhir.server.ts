/**
 * The queries behind the FHIR ResearchStudy endpoint (app/fhir/search.server.ts): which studies
 * FHIR exposes, lookups by registry/local identifier and by site organisation, and the inclusion
 * windows status is derived from. Full records are read with getStudies (study.server.ts).
 *
 * FHIR exposes published studies only (the same set the search index holds); a study withdrawn
 * after it was published answers 410 Gone on read.
 */
import { SITE_WINDOW_COLUMNS, windowOf, type SiteWindowRow } from "./site-window.server";
import type { Db } from "#app/db.server";
import type { InclusionWindow } from "#app/domain/inclusion-status";
import { sql } from "./statements.server";

export interface FhirStudyRow {
  id: number;
  /** ISO instant of the last stored change. */
  updatedAt: string;
}

/** Every published study, in id order. */
export function listPublishedStudyRows(db: Db): FhirStudyRow[] {
  return sql(
    db,
    "SELECT id, updated_at AS updatedAt FROM studies WHERE publication_state = 'published' ORDER BY id",
  ).all() as FhirStudyRow[];
}

export type RegistryKind = "nct" | "euCt" | "eudract" | "isrctn" | "rek";

const REGISTRY_COLUMN: Record<RegistryKind, string> = {
  nct: "nct_id",
  euCt: "eu_ct_number",
  eudract: "eudract_number",
  isrctn: "isrctn",
  rek: "rek_number",
};

/**
 * One identifier alternative of a FHIR `identifier` search:
 * - registry + value: that registry's number equals the value;
 * - registry without value: the study has a number in that registry (`system|`);
 * - local: an organisation's own id (`organisationId` null = any organisation's);
 * - any: the value equals any registry number or any local id (a value without a system).
 */
export type IdentifierMatch =
  | { kind: "registry"; registry: RegistryKind; value: string | null }
  | { kind: "local"; organisationId: string | null; value: string | null }
  | { kind: "any"; value: string };

/** Ids of studies (any publication state) matching at least one of the alternatives. */
export function studyIdsByIdentifier(db: Db, alternatives: readonly IdentifierMatch[]): Set<number> {
  const found = new Set<number>();
  const add = (ids: unknown[]) => {
    for (const id of ids) found.add(id as number);
  };
  for (const alt of alternatives) {
    if (alt.kind === "registry") {
      const column = REGISTRY_COLUMN[alt.registry];
      add(
        alt.value === null
          ? sql(db, `SELECT id FROM studies WHERE ${column} IS NOT NULL`).pluck().all()
          : sql(db, `SELECT id FROM studies WHERE ${column} = ?`).pluck().all(alt.value),
      );
    } else if (alt.kind === "local") {
      const where = [
        alt.organisationId === null ? null : "organisation_id = @org",
        alt.value === null ? null : "local_id = @value",
      ].filter(Boolean);
      add(
        sql(db, `SELECT DISTINCT study_id FROM study_local_ids${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`)
          .pluck()
          .all({
            ...(alt.organisationId === null ? {} : { org: alt.organisationId }),
            ...(alt.value === null ? {} : { value: alt.value }),
          }),
      );
    } else {
      const upper = alt.value.toUpperCase();
      add(
        sql(
          db,
          `SELECT id FROM studies WHERE nct_id = @upper OR eu_ct_number = @upper OR eudract_number = @upper OR isrctn = @upper
             OR rek_number = @upper
           UNION SELECT study_id FROM study_local_ids WHERE local_id = @value`,
        )
          .pluck()
          .all({ upper, value: alt.value }),
      );
    }
  }
  return found;
}

/** Ids of studies with an active (not withdrawn) site at any of these organisations. */
export function studyIdsWithActiveSiteAt(db: Db, organisationIds: readonly string[]): Set<number> {
  return new Set(
    sql(
      db,
      `SELECT DISTINCT study_id FROM study_sites
       WHERE withdrawn = 0 AND organisation_id IN (SELECT value FROM json_each(?))`,
    )
      .pluck()
      .all(JSON.stringify(organisationIds)) as number[],
  );
}

/** The inclusion windows of the active sites of these studies (studies without any: absent). */
export function activeSiteWindows(db: Db, studyIds: readonly number[]): Map<number, InclusionWindow[]> {
  const rows = sql(
    db,
    `SELECT ss.study_id AS studyId, ${SITE_WINDOW_COLUMNS}
     FROM study_sites ss WHERE ss.withdrawn = 0 AND ss.study_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(studyIds)) as ({ studyId: number } & SiteWindowRow)[];
  const byStudy = new Map<number, InclusionWindow[]>();
  for (const r of rows) {
    const list = byStudy.get(r.studyId) ?? [];
    list.push(windowOf(r));
    byStudy.set(r.studyId, list);
  }
  return byStudy;
}

/** Which of these organisation ids exist. */
export function existingOrganisationIds(db: Db, ids: readonly string[]): Set<string> {
  return new Set(
    sql(db, "SELECT id FROM organisations WHERE id IN (SELECT value FROM json_each(?))")
      .pluck()
      .all(JSON.stringify(ids)) as string[],
  );
}
