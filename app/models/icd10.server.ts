/** ICD-10 codes with Norwegian names: the full official list (loaded by npm run icd10:load) and lookup. */
import type { Db } from "#app/db.server";
import type { Icd10Entry } from "#app/ingest/icd10-list";
import { sql } from "./statements.server";

/** Adds or renames codes in one transaction; never deletes (studies may still use a retired code). */
export function upsertIcd10Codes(db: Db, entries: Icd10Entry[]): { added: number; renamed: number } {
  const existing = sql(db, "SELECT name_nb FROM icd10_codes WHERE code = ?").pluck();
  const upsert = sql(
    db,
    "INSERT INTO icd10_codes (code, name_nb) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET name_nb = excluded.name_nb",
  );
  let added = 0;
  let renamed = 0;
  db.transaction(() => {
    for (const e of entries) {
      const before = existing.get(e.code) as string | undefined;
      if (before === e.nameNb) continue;
      upsert.run(e.code, e.nameNb);
      if (before === undefined) added++;
      else renamed++;
    }
  }).immediate();
  return { added, renamed };
}

export function countIcd10Codes(db: Db): number {
  return sql(db, "SELECT count(*) FROM icd10_codes").pluck().get() as number;
}

/**
 * Codes for an autocomplete: by code prefix ("c50", "C50.9") or by words of the Norwegian name
 * ("bryst"), shortest codes first. `term` is plain text; LIKE wildcards in it are escaped.
 */
export function suggestIcd10(db: Db, term: string, limit = 10): Icd10Entry[] {
  const t = term.trim();
  if (t.length === 0) return [];
  const n = Math.min(50, Math.max(1, Math.floor(limit)));
  const code = t.toUpperCase().replace(/\./g, "");
  const like = t.toLocaleLowerCase("nb").replace(/[\\%_]/g, (c) => `\\${c}`);
  // SQLite's lower() folds only ASCII: Æ, Ø and Å are folded by hand.
  const name = "replace(replace(replace(lower(name_nb), 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')";
  return sql(
    db,
    `SELECT code, name_nb AS nameNb FROM icd10_codes
     WHERE code LIKE ? ESCAPE '\\' OR ${name} LIKE ? ESCAPE '\\' OR ${name} LIKE ? ESCAPE '\\'
     ORDER BY (code LIKE ? ESCAPE '\\') DESC, (${name} LIKE ? ESCAPE '\\') DESC, length(code), code
     LIMIT ?`,
  ).all(
    `${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    `${like}%`,
    `% ${like}%`,
    `${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    `${like}%`,
    n,
  ) as Icd10Entry[];
}

/** Replaces the ICPC-2 list in one transaction (only the clinician search reads it; nothing refers to it). */
export function replaceIcpc2Codes(db: Db, entries: Icd10Entry[]): number {
  const insert = sql(db, "INSERT INTO icpc2_codes (code, name_nb) VALUES (?, ?)");
  db.transaction(() => {
    sql(db, "DELETE FROM icpc2_codes").run();
    for (const e of entries) insert.run(e.code, e.nameNb);
  }).immediate();
  return entries.length;
}

export function lookupIcpc2(db: Db, code: string): Icd10Entry | null {
  return (
    (sql(db, "SELECT code, name_nb AS nameNb FROM icpc2_codes WHERE code = ?").get(code.trim().toUpperCase()) as
      Icd10Entry | undefined) ?? null
  );
}

export function countIcpc2Codes(db: Db): number {
  return sql(db, "SELECT count(*) FROM icpc2_codes").pluck().get() as number;
}

/** Whether any published study is coded with this ICD-10 code or one under it ("E11" covers "E119"). */
export function icd10CodeInUse(db: Db, code: string): boolean {
  return (
    sql(
      db,
      `SELECT EXISTS (SELECT 1 FROM study_icd10 si JOIN studies s ON s.id = si.study_id AND s.publication_state = 'published'
        WHERE si.code = ? OR si.code LIKE ? ESCAPE '\\')`,
    )
      .pluck()
      .get(code, `${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) === 1
  );
}

/** The Norwegian names of the given codes that are in the list (a code not in it has no entry). */
export function icd10NamesFor(db: Db, codes: readonly string[]): Record<string, string> {
  if (codes.length === 0) return {};
  const rows = sql(db, "SELECT code, name_nb FROM icd10_codes WHERE code IN (SELECT value FROM json_each(?))").all(
    JSON.stringify(codes),
  ) as { code: string; name_nb: string }[];
  return Object.fromEntries(rows.map((r) => [r.code, r.name_nb]));
}
