/**
 * The fixed corpus of the judged query set (issue 19): the project's demo seed (data/seed) and the
 * 10 real ClinicalTrials.gov records vendored in tests/fixtures (MIT sources, tests/fixtures/SOURCES.md),
 * written through the study model into a real SQLite database at a fixed "now". Never the whole
 * ../shared/data set: the judgements (tests/search/judgements.json) are over exactly these studies,
 * whatever is beside the project.
 *
 * Studies are keyed as in the judgements: the demo key ("DEMO-001", the seed's provenance id) or
 * the record's NCT number for the real ones. No vitest here: scripts/eval-search.ts imports it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "#app/db.server";
import { buildMapContext } from "#app/ingest/formats.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { getStudy } from "#app/models/study.server";
import { DEMO_SOURCE_ID, seedDemoStudies } from "#app/seed/demo-seed.server";
import { studyDocuments } from "#app/search/document-mapper";
import type { SearchDocument } from "#app/search/types";
import { saveStudyOrThrow } from "../helpers/studies";

/** The instant the corpus is built and searched at (the contract suite's "today"). */
export const EVAL_NOW = new Date("2026-11-22T11:00:00Z");

const here = path.dirname(fileURLToPath(import.meta.url));
export const VENDORED_CTGOV = path.resolve(here, "../fixtures/ctgov-v2/norway-mit-sources.json");
export const JUDGEMENTS_FILE = path.resolve(here, "judgements.json");

export interface EvalCorpus {
  documents: SearchDocument[];
  /** study id in this database → key ("DEMO-001" / "NCT05816382") */
  keyOf: Map<number, string>;
  idOf: Map<string, number>;
  titleOf: Map<string, string>;
}

/** Seeds `db` (migrated, with reference data) with the corpus and returns its search documents. */
export function buildEvalCorpus(db: Db): EvalCorpus {
  const seeded = seedDemoStudies(db, { now: EVAL_NOW });
  if (seeded.failed.length) throw new Error(`Demo seed failed: ${JSON.stringify(seeded.failed)}`);
  const mapped = parseCtgovJson(readFileSync(VENDORED_CTGOV), buildMapContext(db, "ous"), {
    norwayOnly: false,
    now: EVAL_NOW,
  });
  const actor = { kind: "system" as const, name: "søkekvalitet" };
  const keyOf = new Map<number, string>();
  for (const record of mapped.records) {
    const s = record.study;
    const title = { ...s.title, nb: s.title?.nb ?? s.title?.en ?? record.externalId };
    const summary = { ...s.summary, nb: s.summary?.nb ?? s.summary?.en ?? title.nb };
    const r = saveStudyOrThrow(
      db,
      { ...s, title, summary, publicationState: "published" },
      { actor },
      `Vendored record ${record.externalId}`,
    );
    keyOf.set(r.studyId, String(s.identifiers?.nct ?? record.externalId));
  }
  const demo = db
    .prepare("SELECT study_id, external_id FROM study_provenance WHERE source_id = ?")
    .raw()
    .all(DEMO_SOURCE_ID) as [number, string][];
  for (const [id, key] of demo) keyOf.set(id, key);
  const ids = db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
  const documents: SearchDocument[] = [];
  const titleOf = new Map<string, string>();
  for (const id of ids) {
    const study = getStudy(db, id);
    if (!study || study.publicationState !== "published") continue;
    const key = keyOf.get(id);
    if (!key) throw new Error(`Study ${id} has no key in the eval corpus`);
    titleOf.set(key, study.title.nb ?? study.title.en ?? "");
    documents.push(...studyDocuments(study));
  }
  return { documents, keyOf, idOf: new Map([...keyOf].map(([id, key]) => [key, id])), titleOf };
}
