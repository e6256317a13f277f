/**
 * Migration 0025 and app/models/study-touches.server.ts (ADR 0031): a study's stamp moves with
 * every change that puts it in the search outbox, and only then; it never returns to a value it
 * had, also when the log is pruned.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { studyStamps } from "#app/models/study-touches.server";
import { getStudiesStamped } from "#app/models/study-records-cached.server";
import { getStudies, saveStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";
import { publishedStudyInput, savePublishedStudy } from "../helpers/studies";

let t: TestDb;
beforeEach(() => {
  t = freshDb();
});
afterEach(() => t.cleanup());

const stampOf = (id: number) => studyStamps(t.db, [id]);

/** Saves the study as savePublishedStudy made it, with a new title. */
const retitle = (studyId: number, title: string) =>
  saveStudy(t.db, publishedStudyInput(title), { actor: { kind: "system", name: "test" }, studyId });

describe("study stamps", () => {
  it("move for the study that changed and for no other", () => {
    const a = savePublishedStudy(t.db, "Studie A om astma");
    const b = savePublishedStudy(t.db, "Studie B om astma");
    const before = { a: stampOf(a), b: stampOf(b) };
    expect(before.a).toMatch(/^s\d+$/);
    expect(before.b).not.toBe(before.a);

    const changed = retitle(b, "Studie B om astma, ny tittel");
    expect(changed.ok && changed.changed).toBe(true);
    expect(stampOf(a)).toBe(before.a);
    expect(stampOf(b)).not.toBe(before.b);
  });

  it("do not move when a save changes nothing", () => {
    const input = publishedStudyInput("Uendret studie");
    const first = saveStudy(t.db, input, { actor: { kind: "system", name: "test" } });
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const before = stampOf(first.studyId);
    const again = saveStudy(t.db, input, { actor: { kind: "system", name: "test" }, studyId: first.studyId });
    expect(again.ok && again.changed).toBe(false);
    expect(stampOf(first.studyId)).toBe(before);
  });

  it("are given in the order asked, the same as asking for each alone", () => {
    const ids = [savePublishedStudy(t.db, "En"), savePublishedStudy(t.db, "To"), savePublishedStudy(t.db, "Tre")];
    const order = [ids[2]!, ids[0]!, ids[1]!, 999_999];
    expect(studyStamps(t.db, order)).toBe(order.map(stampOf).join(","));
    expect(studyStamps(t.db, [])).toBe("");
  });

  it("never return to an earlier value when the log is pruned, for studies with and without kept rows", () => {
    const touched = savePublishedStudy(t.db, "Endres ofte");
    const quiet = savePublishedStudy(t.db, "Endres aldri");
    const seen = { touched: new Set([stampOf(touched)]), quiet: new Set([stampOf(quiet)]) };
    const outbox = t.db.prepare("INSERT INTO search_outbox (study_id, enqueued_at) VALUES (?, '2026-12-07T00:00:00Z')");
    const rows = () => t.db.prepare("SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM study_touches").get();
    // 45,000 more changes to the first study: the log is pruned at 10,000-row steps.
    for (let step = 0; step < 9; step++) {
      t.db.transaction(() => {
        for (let i = 0; i < 5_000; i++) outbox.run(touched);
      })();
      const now = { touched: stampOf(touched), quiet: stampOf(quiet) };
      // The busy study's stamp is new after every step; the quiet one's is new or as at the last look.
      expect(seen.touched.has(now.touched)).toBe(false);
      seen.touched.add(now.touched);
      if (now.quiet !== [...seen.quiet].at(-1)) {
        expect(seen.quiet.has(now.quiet)).toBe(false);
        seen.quiet.add(now.quiet);
      }
    }
    const log = rows() as { n: number; lo: number; hi: number };
    expect(log.hi).toBe(45_002);
    // Pruned at seq 40,000 down to 10,001 …; 30,000 to 40,000 rows kept.
    expect(log.lo).toBe(10_001);
    expect(log.n).toBe(35_002);
    // The quiet study's only row was pruned: its stamp moved once (from its own row to the floor).
    expect([...seen.quiet]).toEqual(["s2", "f10001"]);
  });

  it("keep records for the public pages while unchanged, and read a changed one again", () => {
    const a = savePublishedStudy(t.db, "Lagret A");
    const b = savePublishedStudy(t.db, "Lagret B");
    const first = getStudiesStamped(t.db, [b, 999_999, a, b]);
    // As getStudies: in the order asked, each once, unknown ids left out.
    expect(first).toEqual(getStudies(t.db, [b, a]));
    const again = getStudiesStamped(t.db, [a, b]);
    expect(again[0]).toBe(first[1]);
    expect(again[1]).toBe(first[0]);

    const changed = retitle(a, "Lagret A, ny tittel");
    expect(changed.ok && changed.changed).toBe(true);
    const after = getStudiesStamped(t.db, [a, b]);
    expect(after[0]!.title.nb).toBe("Lagret A, ny tittel");
    expect(after[0]).toEqual(getStudies(t.db, [a])[0]);
    expect(after[1]).toBe(first[0]);
  });
});
