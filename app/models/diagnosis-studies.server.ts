/**
 * Which published studies are about a diagnosis or a treatment (issue 19 item 7: studies on the
 * diagnosis and treatment pages of helsenorge.no and the hospital sites). Keys: ICD-10 codes or
 * prefixes ("C50" also finds C509), SNOMED CT concept ids (the hospital listings' relaterte_diagnoser)
 * and treatment names (the studies' interventions, the listings' relaterte_behandlinger).
 * Whether a study is open is decided by the caller from the sites' dates at the moment of asking.
 */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Published studies carrying any of these ICD-10 codes or a code under them (codes without dots). */
export function publishedStudyIdsByIcd10(db: Db, prefixes: readonly string[]): number[] {
  if (prefixes.length === 0) return [];
  return sql(
    db,
    `SELECT DISTINCT i.study_id FROM study_icd10 i JOIN studies s ON s.id = i.study_id
     WHERE s.publication_state = 'published'
       AND EXISTS (SELECT 1 FROM json_each(?) p WHERE i.code LIKE p.value || '%' ESCAPE '\\')
     ORDER BY i.study_id`,
  )
    .pluck()
    .all(JSON.stringify(prefixes.map((p) => escapeLike(p.toUpperCase())))) as number[];
}

/** Published studies linked to this SNOMED CT concept id. */
export function publishedStudyIdsBySnomed(db: Db, conceptId: string): number[] {
  return sql(
    db,
    `SELECT DISTINCT n.study_id FROM study_snomed n JOIN studies s ON s.id = n.study_id
     WHERE s.publication_state = 'published' AND n.concept_id = ? ORDER BY n.study_id`,
  )
    .pluck()
    .all(conceptId) as number[];
}

/**
 * Published studies with an intervention whose name contains this text, case-insensitively
 * ("metformin" finds "Metformin 500 mg"). SQLite's lower() folds only ASCII: Æ, Ø and Å by hand.
 */
export function publishedStudyIdsByTreatment(db: Db, name: string): number[] {
  const text = name.trim().toLocaleLowerCase("nb");
  if (text === "") return [];
  const folded = "replace(replace(replace(lower(v.name), 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')";
  return sql(
    db,
    `SELECT DISTINCT v.study_id FROM study_interventions v JOIN studies s ON s.id = v.study_id
     WHERE s.publication_state = 'published' AND ${folded} LIKE ? ESCAPE '\\' ORDER BY v.study_id`,
  )
    .pluck()
    .all(`%${escapeLike(text)}%`) as number[];
}

/** The Norwegian name of an ICD-10 code, or null. */
export function icd10Name(db: Db, code: string): string | null {
  return (
    (sql(db, "SELECT name_nb FROM icd10_codes WHERE code = ?").pluck().get(code.toUpperCase()) as string | undefined) ??
    null
  );
}
