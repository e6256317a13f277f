/**
 * Migrations 0021 (the source's first posted date) and 0022 (studies rebuilt so a draft may have no
 * type of study), on real SQLite files: a database migrated to 0020 with studies and everything
 * that refers to them, and the demo seed. The rebuild keeps every row and id, every reference,
 * index and trigger; foreign_key_check is clean; only a draft may be without a type.
 */
import { cpSync, readdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "#app/db.server";
import { studyToForm } from "#app/domain/study-form";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { getStudy, saveStudy, toStudyInput } from "#app/models/study.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { loadReferenceData } from "#app/boot.server";
import { tempDir } from "../helpers/db";

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A migrations folder with the migrations up to `last` only, and a database migrated to it. */
function databaseAt(last: number): { db: Db; dir: string } {
  const dir = tempDir();
  dirs.push(dir);
  const migrations = path.join(dir, "migrations");
  cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
  for (const file of readdirSync(migrations)) if (Number(file.slice(0, 4)) > last) rmSync(path.join(migrations, file));
  const db = openDatabase(path.join(dir, "test.db"));
  dbs.push(db);
  migrate(db, migrations);
  upsertReferenceData(db, loadReferenceData());
  return { db, dir };
}

const NOW = "2026-12-07T10:00:00.000Z";
const snapshot = (state: string, type: string) =>
  JSON.stringify({ title: { nb: "x" }, publicationState: state, studyType: type, sites: [] });

/** Studies as the 0020 code wrote them, with rows in every table that refers to studies. */
function fillAt0020(db: Db): void {
  db.exec(`
    INSERT INTO sources (id, kind, name, organisation_id, format, created_at)
      VALUES ('registry:ctgov', 'registry', 'ClinicalTrials.gov', NULL, 'ctgov-json', '${NOW}');
    INSERT INTO studies (id, nct_id, rek_number, study_type, phase, lead_organisation_id, publication_state, is_demo,
        current_version, created_at, updated_at, published_at, official_title, age_groups)
      VALUES (7, 'NCT01949129', '2019/1234', 'treatment', 'phase_3', 'ous', 'published', 0, 2, '${NOW}', '${NOW}', '${NOW}',
        'An official title', '["ADULT"]'),
             (9, NULL, NULL, 'other', NULL, 'st-olavs', 'draft', 0, 1, '${NOW}', '${NOW}', NULL, NULL, '[]'),
             (12, NULL, '654321', 'observational', NULL, 'st-olavs', 'withdrawn', 1, 1, '${NOW}', '${NOW}', '${NOW}', NULL, '[]');
    INSERT INTO study_texts VALUES (7, 'title', 'nb', 'Barnekreftstudie'), (7, 'title', 'en', 'Childhood cancer'),
      (9, 'title', 'nb', 'Bare en tittel'), (12, 'title', 'nb', 'Trukket studie');
    INSERT INTO study_icd10 VALUES (7, 'C91');
    INSERT INTO study_sites (id, study_id, organisation_id, hospital_id, inclusion_start, inclusion_end, confirmed_at,
        confirmed_on, confirmed_by_kind, confirmed_by_name)
      VALUES (31, 7, 'ous', 'ous-rikshospitalet', '2026-01-01', '2027-06-30', '${NOW}', '2026-12-07', 'user', 'Kari');
    INSERT INTO site_confirmations (study_id, site_id, confirmed_at, confirmed_on, actor_kind, actor_name, site_window)
      VALUES (7, 31, '${NOW}', '2026-12-07', 'user', 'Kari', '{}');
    INSERT INTO study_provenance VALUES (7, 'registry:ctgov', 'NCT01949129', '${NOW}', '${NOW}');
    INSERT INTO study_versions (study_id, version, created_at, actor_kind, actor_name, summary, snapshot, diff) VALUES
      (7, 1, '${NOW}', 'source', 'ClinicalTrials.gov', 'Opprettet', '${snapshot("published", "treatment")}', '[]'),
      (7, 2, '${NOW}', 'user', 'Kari', 'Endret', '${snapshot("published", "treatment")}', '[]'),
      (9, 1, '${NOW}', 'user', 'Kari', 'Opprettet', '${snapshot("draft", "other")}', '[]'),
      (12, 1, '${NOW}', 'seed', 'Demo', 'Opprettet', '${snapshot("withdrawn", "observational")}', '[]');
    INSERT INTO study_revisions (study_id, revision, base_version, state, snapshot, actor_name, created_at)
      VALUES (7, 1, 2, 'draft', '${snapshot("published", "treatment")}', 'Kari', '${NOW}');
    INSERT INTO study_holds (study_id, reasons, held_at) VALUES (12, '["test"]', '${NOW}');
    INSERT INTO search_outbox (study_id, enqueued_at) VALUES (7, '${NOW}'), (9, '${NOW}');
  `);
}

/** Everything of studies and the rows that refer to them, for a before/after comparison. */
function contents(db: Db) {
  const all = (sqlText: string) => db.prepare(sqlText).all();
  return {
    studies: all(
      `SELECT id, nct_id, eu_ct_number, eudract_number, isrctn, rek_number, study_type, phase, min_age_years,
        max_age_years, sex, healthy_volunteers, sponsor, lead_organisation_id, pi_name, pi_title, pi_organisation_id,
        target_enrolment, publication_state, is_demo, current_version, created_at, updated_at, published_at,
        lead_as_written, lead_match_organisation_id, official_title, healthy_volunteers_stated, age_groups
       FROM studies ORDER BY id`,
    ),
    texts: all("SELECT * FROM study_texts ORDER BY study_id, field, lang"),
    sites: all("SELECT * FROM study_sites ORDER BY id"),
    versions: all("SELECT * FROM study_versions ORDER BY study_id, version"),
    changes: all("SELECT * FROM study_changes ORDER BY seq"),
    confirmations: all("SELECT * FROM site_confirmations ORDER BY id"),
    revisions: all("SELECT * FROM study_revisions ORDER BY study_id, revision"),
    provenance: all("SELECT * FROM study_provenance ORDER BY study_id"),
    holds: all("SELECT * FROM study_holds ORDER BY study_id"),
    outbox: all("SELECT * FROM search_outbox ORDER BY id"),
  };
}

const schemaOf = (db: Db, table: string) =>
  db
    .prepare("SELECT type, name FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY name")
    .all(table);

describe("migrations 0021 and 0022 on a database at 0020 with studies", () => {
  it("keeps every study, id and reference; foreign keys, indexes and the trigger hold; only drafts may lack a type", () => {
    const { db } = databaseAt(20);
    fillAt0020(db);
    const before = contents(db);
    const indexesBefore = schemaOf(db, "studies");
    expect(indexesBefore.length).toBe(8);

    const applied = migrate(db);
    expect(applied.map((m) => m.version).slice(0, 2)).toEqual([21, 22]); // and any later ones
    expect(contents(db)).toEqual(before);
    expect(schemaOf(db, "studies")).toEqual(indexesBefore);
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1); // back on after the rebuild
    // No first posted date is invented for existing rows: the raw source records are not kept.
    expect(db.prepare("SELECT count(*) FROM studies WHERE first_posted_on IS NOT NULL").pluck().get()).toBe(0);
    // The draft stored as 'other' by the old workaround stays 'other': nothing says it was not chosen.
    expect(db.prepare("SELECT study_type FROM studies WHERE id = 9").pluck().get()).toBe("other");

    // References still point at their studies, and enforcement is on.
    expect(() => db.prepare("INSERT INTO study_texts VALUES (99, 'title', 'nb', 'x')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM studies WHERE id = 9").run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE studies SET nct_id = 'NCT01949129' WHERE id = 9").run()).toThrow(/UNIQUE/);
    // Only a draft (or a withdrawn draft) may be without a type; and 0021's rules hold.
    db.prepare("UPDATE studies SET study_type = NULL WHERE id = 9").run();
    expect(() => db.prepare("UPDATE studies SET publication_state = 'submitted' WHERE id = 9").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE studies SET study_type = NULL WHERE id = 7").run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare("UPDATE studies SET first_posted_on = '2019-02-30', first_posted_basis = 'x' WHERE id = 7").run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE studies SET first_posted_on = '2019-02-28' WHERE id = 7").run()).toThrow(/CHECK/);
    db.prepare(
      "UPDATE studies SET first_posted_on = '2013-09-24', first_posted_basis = 'ctgov:studyFirstPostDateStruct', first_posted_type = 'estimated' WHERE id = 7",
    ).run();
    expect(getStudy(db, 7)!.firstPosted).toEqual({
      date: "2013-09-24",
      basis: "ctgov:studyFirstPostDateStruct",
      type: "estimated",
    });
  });

  it("a draft saved without a type is stored so, and reopens with no type chosen; publishing still needs one", () => {
    const { db } = databaseAt(99);
    const actor = { kind: "user" as const, id: "u1", name: "Kari Forsker" };
    const draft = { title: { nb: "Bare en tittel" }, studyType: null, leadOrganisationId: "st-olavs" };
    const saved = saveStudy(db, draft, { actor });
    expect(saved.ok).toBe(true);
    const id = (saved as { studyId: number }).studyId;
    expect(db.prepare("SELECT study_type FROM studies WHERE id = ?").pluck().get(id)).toBeNull();
    const record = getStudy(db, id)!;
    expect(record.studyType).toBeNull();
    expect(studyToForm(toStudyInput(record)).studyType).toBe("");
    const snapshot = JSON.parse(
      db.prepare("SELECT snapshot FROM study_versions WHERE study_id = ?").pluck().get(id) as string,
    );
    expect(snapshot.studyType).toBeNull();

    for (const publicationState of ["submitted", "published"] as const) {
      const refused = saveStudy(
        db,
        { ...toStudyInput(record), publicationState, summary: { nb: "Et sammendrag." } },
        { actor, studyId: id },
      );
      expect(refused).toEqual({
        ok: false,
        problems: [{ field: "studyType", message: expect.stringMatching(/type studie må velges/) }],
      });
    }
    expect(getStudy(db, id)!.publicationState).toBe("draft");
  });
});

describe("migration 0022's rebuild on the demo seed", () => {
  it("rebuilding studies under the seeded data keeps everything and leaves foreign_key_check clean", () => {
    const { db, dir } = databaseAt(99);
    const report = seedDemoStudies(db, { now: new Date(NOW) });
    expect(report.failed).toEqual([]);
    const count = db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    expect(count).toBeGreaterThan(50);
    const before = contents(db);
    const indexes = schemaOf(db, "studies");
    // The same rebuild once more, as a later migration, over the seeded data.
    const migrations = path.join(dir, "migrations");
    writeFileSync(
      path.join(migrations, "9001_rebuild_again.sql"),
      readFileSync(path.join(migrations, "0022_draft_without_study_type.sql"), "utf8"),
    );
    expect(migrate(db, migrations).map((m) => m.version)).toEqual([9001]);
    expect(contents(db)).toEqual(before);
    expect(schemaOf(db, "studies")).toEqual(indexes);
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  });

  it("rolls the rebuild back whole when it would leave a reference pointing at nothing", () => {
    const { db, dir } = databaseAt(99);
    seedDemoStudies(db, { now: new Date(NOW) });
    const before = contents(db);
    const migrations = path.join(dir, "migrations");
    // A broken rebuild that loses the highest study but keeps its texts.
    const sql = readFileSync(path.join(migrations, "0022_draft_without_study_type.sql"), "utf8").replace(
      "FROM studies ORDER BY id;",
      "FROM studies WHERE id < (SELECT max(id) FROM studies) ORDER BY id;",
    );
    writeFileSync(path.join(migrations, "9002_broken_rebuild.sql"), sql);
    expect(() => migrate(db, migrations)).toThrow(/9002_broken_rebuild leaves \d+ row\(s\) pointing at nothing/);
    expect(contents(db)).toEqual(before);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });
});
