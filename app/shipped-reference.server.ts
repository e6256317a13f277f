/**
 * The reference data that ships with the project and is loaded without a manual command: at first
 * start, on `db:migrate`, and by a running portal when the shipped file or package changes
 * (server.ts checks every minute). What a database holds is recorded in app_meta:
 *   reference.lists.sha256        data/reference/*.json (regions, organisations + hospitals, HRCS, ICD-10 headings)
 *   reference.postcodes.sha256    data/reference/postcodes.tsv.gz (Erik Bolstad, CC BY 3.0; see SOURCES.md)
 *   reference.diagnosekoder.version  the npm package @navikt/diagnosekoder (ICD-10 and ICPC-2, MIT)
 * A change to what the search index holds (hospital places, ICD-10 names) puts every study in the
 * search outbox, so the indexers redo them; no manual reindex.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Db } from "./db.server";
import { parseShippedPostcodes } from "./domain/postcode-list";
import { parseIcd10List, parseIcpc2List } from "./ingest/icd10-list";
import { replaceIcpc2Codes, upsertIcd10Codes } from "./models/icd10.server";
import { getMeta, setMeta } from "./models/meta.server";
import { replaceWithShippedPostcodes } from "./models/postcode.server";
import { upsertReferenceData } from "./models/reference.server";
import { enqueueAllStudies } from "./models/search-outbox.server";
import type { ReferenceData } from "./domain/reference";

export const REFERENCE_FILES = ["regions.json", "organisations.json", "hrcs-categories.json", "icd10.json"] as const;
export const SHIPPED_POSTCODES_FILE = "postcodes.tsv.gz";
export const META_LISTS = "reference.lists.sha256";
export const META_POSTCODES = "reference.postcodes.sha256";
export const META_DIAGNOSEKODER = "reference.diagnosekoder.version";

export interface ReferenceSources {
  /** data/reference */
  dir: string;
  /** the installed @navikt/diagnosekoder package folder */
  diagnosekoderDir: string;
}

export function defaultDiagnosekoderDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@navikt/diagnosekoder/package.json"));
}

export interface ReferenceRefresh {
  lists: boolean;
  postcodes: { loaded: number; sha256: string } | null;
  codes: { version: string; icd10Added: number; icd10Renamed: number; icpc2: number; problems: string[] } | null;
  /** Studies put in the search outbox because what their documents hold changed. */
  reindexed: number;
}

const sha256 = (...parts: Buffer[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

/**
 * Loads whatever shipped reference data differs from what the database holds; cheap when nothing
 * changed (hashes of a few files). `loadLists` reads and checks data/reference/*.json.
 * Throws with the file, line and field when the shipped postcode file is broken; the database
 * keeps its old list then (each load is one transaction).
 */
export function refreshShippedReferenceData(
  db: Db,
  loadLists: () => ReferenceData,
  sources: ReferenceSources,
  options: {
    /** Upsert the lists even when unchanged (at start: an older database may lack a row). */ upsertLists?: boolean;
    now?: Date;
  } = {},
): ReferenceRefresh {
  const report: ReferenceRefresh = { lists: false, postcodes: null, codes: null, reindexed: 0 };
  let reindex = false;

  const listsHash = sha256(...REFERENCE_FILES.map((f) => readFileSync(path.join(sources.dir, f))));
  const listsChanged = getMeta(db, META_LISTS) !== listsHash;
  if (listsChanged || options.upsertLists) {
    const lists = loadLists();
    db.transaction(() => {
      upsertReferenceData(db, lists);
      setMeta(db, META_LISTS, listsHash);
    }).immediate();
  }
  // Hospitals' places and ICD-10 names are in the search documents.
  if (listsChanged) {
    report.lists = true;
    reindex = true;
  }

  const postcodeFile = path.join(sources.dir, SHIPPED_POSTCODES_FILE);
  const postcodeBytes = readFileSync(postcodeFile);
  const postcodeHash = sha256(postcodeBytes);
  if (getMeta(db, META_POSTCODES) !== postcodeHash) {
    const parsed = parseShippedPostcodes(gunzipSync(postcodeBytes).toString("utf8"));
    if (parsed.problems.length || parsed.rows.length === 0) {
      const first = parsed.problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`);
      throw new Error(
        `${postcodeFile} is invalid (the old postcode list is kept):\n  ${first.join("\n  ") || "no postcodes"}`,
      );
    }
    db.transaction(() => {
      replaceWithShippedPostcodes(db, parsed.rows);
      setMeta(db, META_POSTCODES, postcodeHash);
    }).immediate();
    report.postcodes = { loaded: parsed.rows.length, sha256: postcodeHash };
  }

  const pkg = JSON.parse(readFileSync(path.join(sources.diagnosekoderDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const version = `${pkg.name}@${pkg.version}`;
  if (getMeta(db, META_DIAGNOSEKODER) !== version) {
    const icd10 = parseIcd10List(readFileSync(path.join(sources.diagnosekoderDir, "lib/ICD10.json"), "utf8"));
    const icpc2 = parseIcpc2List(readFileSync(path.join(sources.diagnosekoderDir, "lib/ICPC2.json"), "utf8"));
    if (icd10.entries.length === 0 || icpc2.entries.length === 0) {
      throw new Error(
        `${version}: no ICD-10 or ICPC-2 codes could be read (${[...icd10.problems, ...icpc2.problems]
          .slice(0, 3)
          .map((p) => `${p.ref}, ${p.field}: ${p.message}`)
          .join("; ")})`,
      );
    }
    let result = { added: 0, renamed: 0 };
    db.transaction(() => {
      result = upsertIcd10Codes(db, icd10.entries);
      replaceIcpc2Codes(db, icpc2.entries);
      setMeta(db, META_DIAGNOSEKODER, version);
    }).immediate();
    report.codes = {
      version,
      icd10Added: result.added,
      icd10Renamed: result.renamed,
      icpc2: icpc2.entries.length,
      problems: [
        ...icd10.problems.map((p) => `ICD10.json ${p.ref}, ${p.field}: ${p.message}`),
        ...icpc2.problems.map((p) => `ICPC2.json ${p.ref}, ${p.field}: ${p.message}`),
      ],
    };
    if (result.added + result.renamed > 0) reindex = true;
  }

  if (reindex) report.reindexed = enqueueAllStudies(db, options.now ?? new Date());
  return report;
}
