/**
 * The search contract: one suite, run unchanged against every SearchEngine implementation
 * (tests/integration/search-sqlite.test.ts, tests/integration/search-meilisearch.test.ts).
 *
 * Fixtures: the project's demo seed (dates relative to a fixed "today") plus a handful of
 * hand-made studies for the edges, all written through the study model into a real SQLite file,
 * plus real ClinicalTrials.gov records: the whole 1,202-study set where ../shared/data is beside the
 * project, else the 10 Norwegian records from MIT-licensed sources vendored in tests/fixtures.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "#app/domain/calendar-date";
import { startOfOsloDay } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { buildMapContext } from "#app/ingest/formats.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { getStudy, saveStudy } from "#app/models/study.server";
import { DEMO_SOURCE_ID, seedDemoStudies } from "#app/seed/demo-seed.server";
import { studyDocuments } from "#app/search/document-mapper";
import type { SearchEngine, SearchQuery } from "#app/search/types";
import { freshDb, type TestDb } from "../helpers/db";
import { readJudgements } from "./quality";
import { haveSharedData, readFixture, sharedData, sharedTitle } from "../helpers/shared-data";
import { saveStudyOrThrow } from "../helpers/studies";

export const TODAY = "2026-11-22";
export const NOW = new Date("2026-11-22T11:00:00Z");

export interface EngineHarness {
  /** Creates the engine under test over the given (migrated, seeded) database. */
  create(t: TestDb): Promise<SearchEngine>;
  /** Stops whatever the engine needed (e.g. a Meilisearch process). */
  dispose?(): Promise<void>;
}

const actor = { kind: "system" as const, name: "søketest" };

/** The whole real set (several source files state no licence: it stays in ../shared/data). */
export const REAL_CTGOV_SET = "ctgov-v2/ctgov_v2_studies.jsonl.gz";
/** The Norwegian records of the MIT-licensed sources, vendored (tests/fixtures/SOURCES.md); also in the whole set. */
export const LICENSED_CTGOV = "ctgov-v2/norway-mit-sources.json";

/**
 * The real ClinicalTrials.gov set (1,202 studies, ../shared/data; where it is absent, the 10
 * vendored records), mapped by the portal's own ctgov-json mapper and stored as published,
 * English text standing in for the Norwegian: real titles, conditions and volume beside the demo
 * seed. Returns how many were stored.
 */
export function saveRealCtgovStudies(db: TestDb["db"]): number {
  const input = haveSharedData(REAL_CTGOV_SET) ? readFileSync(sharedData(REAL_CTGOV_SET)) : readFixture(LICENSED_CTGOV);
  const mapped = parseCtgovJson(input, buildMapContext(db, "ous"), { norwayOnly: false, now: NOW });
  let stored = 0;
  for (const record of mapped.records) {
    const s = record.study;
    const title = { ...s.title, nb: s.title?.nb ?? s.title?.en ?? record.externalId };
    const summary = { ...s.summary, nb: s.summary?.nb ?? s.summary?.en ?? title.nb };
    const r = saveStudy(db, { ...s, title, summary, publicationState: "published" }, { actor });
    if (r.ok) stored++;
  }
  return stored;
}

function edgeStudy(title: string, extra: Partial<StudyInput>): StudyInput {
  return {
    identifiers: {},
    title: { nb: title },
    summary: { nb: "Et kort sammendrag for søketesten." },
    studyType: "treatment",
    leadOrganisationId: "unn",
    publicationState: "published",
    ...extra,
  };
}

export function runSearchContract(name: string, harness: EngineHarness): void {
  describe(`search contract: ${name}`, () => {
    let t: TestDb;
    let engine: SearchEngine;
    const ids: Record<string, number> = {};
    let realStudies = 0;
    const search = (q: Omit<SearchQuery, "now"> & { now?: Date }) => engine.search({ now: NOW, perPage: 100, ...q });
    const titlesOf = async (q: Omit<SearchQuery, "now"> & { now?: Date }) => (await search(q)).hits.map((h) => h.title);
    /** A study of the judged corpus by its key: a demo key ("DEMO-002") or an NCT number. */
    const studyIdOf = (key: string): number => {
      const id = key.startsWith("NCT")
        ? t.db.prepare("SELECT id FROM studies WHERE nct_id = ?").pluck().get(key)
        : t.db
            .prepare("SELECT study_id FROM study_provenance WHERE source_id = ? AND external_id = ?")
            .pluck()
            .get(DEMO_SOURCE_ID, key);
      if (typeof id !== "number") throw new Error(`No study ${key} in the contract corpus`);
      return id;
    };
    const demoId = studyIdOf;

    beforeAll(async () => {
      t = freshDb();
      seedDemoStudies(t.db, { now: NOW });
      realStudies = saveRealCtgovStudies(t.db);
      const save = (key: string, study: StudyInput) => {
        const r = saveStudyOrThrow(t.db, study, { actor });
        ids[key] = r.studyId;
      };
      // Closes at the end of today: open now, closed at tomorrow's midnight in Oslo.
      save(
        "lastDay",
        edgeStudy("Lungekreftstudie som stenger i dag", {
          conditions: ["Lungekreft"],
          icd10: ["C34"],
          sites: [
            { organisationId: "unn", hospitalId: "unn-tromso", inclusionStart: "2026-01-01", inclusionEnd: TODAY },
          ],
        }),
      );
      // Opens tomorrow: planned now, open from tomorrow's midnight.
      save(
        "opensTomorrow",
        edgeStudy("Søvnstudie i Tromsø som åpner i morgen", {
          conditions: ["Søvnløshet"],
          icd10: ["G47"],
          sites: [
            {
              organisationId: "unn",
              hospitalId: "unn-tromso",
              inclusionStart: addCalendarDays(TODAY, 1),
              inclusionEnd: "2027-12-31",
            },
          ],
        }),
      );
      // Confirmed last on 1 October 2025 (saved then): past the 12-month hard limit at NOW, so not
      // open in either engine (ADR 0019); 8 months old in the other: overdue but still open.
      const saveOn = (key: string, study: StudyInput, on: Date) => {
        const r = saveStudyOrThrow(t.db, study, { actor, now: on });
        ids[key] = r.studyId;
      };
      saveOn(
        "lapsed",
        edgeStudy("Hoftestudie ingen har bekreftet på over et år", {
          conditions: ["Hofteartrose"],
          icd10: ["M16"],
          sites: [
            {
              organisationId: "unn",
              hospitalId: "unn-tromso",
              inclusionStart: "2025-01-01",
              inclusionEnd: "2027-12-31",
            },
          ],
        }),
        new Date("2025-10-01T10:00:00Z"),
      );
      saveOn(
        "overdue",
        edgeStudy("Hoftestudie bekreftet for åtte måneder siden", {
          conditions: ["Hofteartrose"],
          icd10: ["M16"],
          sites: [
            {
              organisationId: "unn",
              hospitalId: "unn-tromso",
              inclusionStart: "2025-01-01",
              inclusionEnd: "2027-12-31",
            },
          ],
        }),
        new Date("2026-03-15T10:00:00Z"),
      );
      // Two studies alike in every searchable word (ADR 0020): one confirmed a month ago, the
      // other last confirmed eight months ago (past the 6-month soft limit, still open) but changed
      // since in a field that is no text and confirms nothing (its phase), so it is the NEWER one.
      const meniscus = (phase: StudyInput["phase"]) =>
        edgeStudy("Meniskstudie i Tromsø", {
          conditions: ["Meniskskade"],
          phase,
          sites: [
            {
              organisationId: "unn",
              hospitalId: "unn-tromso",
              inclusionStart: "2025-01-01",
              inclusionEnd: "2027-12-31",
            },
          ],
        });
      // (The overdue one first: an engine's last tie-break, its own document order, favours it too.)
      saveOn("meniscusOverdue", meniscus(null), new Date("2026-03-15T10:00:00Z"));
      saveOn("meniscusFresh", meniscus("phase_2"), new Date("2026-10-22T10:00:00Z"));
      saveStudyOrThrow(t.db, meniscus("phase_2"), {
        actor,
        studyId: ids.meniscusOverdue,
        now: new Date("2026-11-21T10:00:00Z"),
      });
      save(
        "draft",
        edgeStudy("Utkast om brystkreft som ikke skal finnes", {
          icd10: ["C50"],
          publicationState: "draft",
          summary: {},
        }),
      );
      save(
        "injection",
        edgeStudy(`Robert'); DROP TABLE studies; -- "NEAR" OR * brystkreft`, {
          sites: [{ organisationId: "unn", inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" }],
        }),
      );
      // A site that names only its health trust is placed at the trust's main hospital (ADR 0013).
      save(
        "trustOnly",
        edgeStudy("Fjordallergistudie i Helse Stavanger", {
          leadOrganisationId: "helse-stavanger",
          sites: [{ organisationId: "helse-stavanger", inclusionStart: "2026-01-01", inclusionEnd: "2027-12-31" }],
        }),
      );
      save(
        "trustHospital",
        edgeStudy("Fjordallergistudie ved Rikshospitalet", {
          leadOrganisationId: "ous",
          sites: [
            {
              organisationId: "ous",
              hospitalId: "ous-rikshospitalet",
              inclusionStart: "2026-01-01",
              inclusionEnd: "2027-12-31",
            },
          ],
        }),
      );
      // Meaning and distance (ADR 0024): two good matches (the word in the title and conditions),
      // one in Oslo and one in Bergen (300 km away), and a weak one in Oslo (the word only in its summary).
      const vindrose = (title: string, hospital: [string, string], extra: Partial<StudyInput>) =>
        edgeStudy(title, {
          leadOrganisationId: hospital[0],
          sites: [
            {
              organisationId: hospital[0],
              hospitalId: hospital[1],
              inclusionStart: "2026-01-01",
              inclusionEnd: "2027-12-31",
            },
          ],
          ...extra,
        });
      save(
        "goodNear",
        vindrose("Trening ved vindrosesyndrom", ["ous", "ous-rikshospitalet"], { conditions: ["Vindrosesyndrom"] }),
      );
      save(
        "goodFar",
        vindrose("Ny behandling av vindrosesyndrom", ["helse-bergen", "helse-bergen-haukeland"], {
          conditions: ["Vindrosesyndrom"],
        }),
      );
      save(
        "weakNear",
        vindrose("Livskvalitet etter et sykehusopphold", ["ous", "ous-rikshospitalet"], {
          summary: { nb: "Alle voksne kan delta, også de som har vindrosesyndrom." },
        }),
      );
      engine = await harness.create(t);
      await engine.setup();
      const rows = t.db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
      const docs = rows
        .map((id) => getStudy(t.db, id)!)
        .filter((s) => s.publicationState === "published")
        .flatMap(studyDocuments);
      await engine.rebuild([docs]);
    }, 300_000);

    afterAll(async () => {
      await harness.dispose?.();
      t?.cleanup();
    });

    it("finds the same studies for lay, medical and ICD-10 terms", async () => {
      const lay = await titlesOf({ q: "brystkreft" });
      expect(lay.length).toBeGreaterThan(0);
      expect((await titlesOf({ q: "mammacancer" })).sort()).toEqual([...lay].sort());
      expect((await titlesOf({ q: "C50" })).sort()).toEqual([...lay].sort());
      expect(await titlesOf({ q: "hjerteinfarkt" })).toEqual(
        expect.arrayContaining(await titlesOf({ q: "myokardinfarkt" })),
      );
    });

    it.skipIf(!haveSharedData(REAL_CTGOV_SET))(
      sharedTitle("searches the real ClinicalTrials.gov set: words of a title, a typo, a condition", [REAL_CTGOV_SET]),
      async () => {
        expect(realStudies).toBeGreaterThan(1100);
        const nct = t.db.prepare("SELECT id FROM studies WHERE nct_id = 'NCT06113666'").pluck().get() as number;
        const ids = async (q: string) => (await search({ q })).hits.map((h) => h.studyId);
        expect(await ids("digital therapeutic insomnia multiple sclerosis")).toContain(nct);
        expect(await ids("digital therapeutic insomnai multiple sclerosis")).toContain(nct);
        const ms = await search({ q: "multiple sclerosis" });
        expect(ms.total).toBeGreaterThan(1);
        expect(ms.total).toBeLessThan(realStudies);
        expect(ms.hits.map((h) => h.studyId)).toContain(nct);
      },
    );

    it("searches the vendored ClinicalTrials.gov records (MIT sources): words of a title, a typo, a condition", async () => {
      expect(realStudies).toBeGreaterThanOrEqual(10);
      const idOf = (nct: string) => t.db.prepare("SELECT id FROM studies WHERE nct_id = ?").pluck().get(nct) as number;
      const ids = async (q: string) => (await search({ q })).hits.map((h) => h.studyId);
      expect(await ids("central hypersomnia narcolepsy")).toContain(idOf("NCT05816382"));
      expect(await ids("central hypersomnai narcolepsy")).toContain(idOf("NCT05816382"));
      expect(await ids("vardenafil hyperlipidemia")).toContain(idOf("NCT00668109"));
      // "Narcolepsy" is only among the study's conditions, not in its title.
      const narcolepsy = await search({ q: "narcolepsy" });
      expect(narcolepsy.total).toBeLessThan(realStudies);
      expect(narcolepsy.hits.map((h) => h.studyId)).toContain(idOf("NCT05816382"));
    });

    // Issue 19: medically safe matching. Both engines, the same rule (app/search/medical-terms.server.ts).
    it("never turns one real medical word into another: hjerteinfarkt is not hjerneinfarkt", async () => {
      const ids = async (q: string) => (await search({ q })).hits.map((h) => h.studyId);
      const heartAttack = demoId("DEMO-002");
      const strokes = [demoId("DEMO-012"), demoId("DEMO-054")];
      for (const q of ["hjerteinfarkt", "Hjerteinfarkt", "hjarteinfarkt", "hjerteinfrakt", "myokardinfarkt", "I21"]) {
        const found = await ids(q);
        expect(found, q).toContain(heartAttack);
        for (const stroke of strokes) expect(found, `${q} must not find a stroke study`).not.toContain(stroke);
      }
      for (const q of ["hjerneinfarkt", "hjerneinfrakt", "hjerneslag"]) {
        const found = await ids(q);
        expect(found, q).toEqual(expect.arrayContaining(strokes));
        expect(found, `${q} must not find the heart attack study`).not.toContain(heartAttack);
      }
      // Compounds and prefixes still work: a typed part finds the words that contain it.
      expect(await ids("hjerte")).toEqual(expect.arrayContaining([heartAttack, demoId("DEMO-029")]));
      expect(await ids("infarkt")).toEqual(expect.arrayContaining([heartAttack, ...strokes]));
      expect(await ids("hjerteinf")).toContain(heartAttack);
    });

    it("finds nynorsk, lay and English words for the same studies", async () => {
      const ids = async (q: string) => (await search({ q })).hits.map((h) => h.studyId);
      const diabetes = await ids("sukkersyke");
      expect(diabetes).toContain(demoId("DEMO-003"));
      expect((await ids("sukkersjuke")).sort()).toEqual([...diabetes].sort());
      for (const q of ["barnekreft", "kreft hos barn", "kreft hjå born"])
        expect(await ids(q), q).toContain(demoId("DEMO-020"));
      for (const q of ["hjertesvikt", "svakt hjerte", "hjartesvikt", "heart failure", "ICPC-2 K77"])
        expect(await ids(q), q).toContain(demoId("DEMO-029"));
      expect(await ids("svakt hjerte")).not.toContain(demoId("DEMO-002"));
    });

    it("has no clearly wrong hit in the top 10 of any judged query (tests/search/judgements.json)", async () => {
      const wrongPairs: string[] = [];
      let checked = 0;
      for (const j of readJudgements().filter((x) => x.wrong.length)) {
        const top = (await engine.search({ q: j.q, now: NOW, perPage: 10 })).hits.map((h) => h.studyId);
        for (const key of j.wrong) {
          checked++;
          if (top.includes(studyIdOf(key))) wrongPairs.push(`${JSON.stringify(j.q)} → ${key}`);
        }
      }
      expect(checked).toBeGreaterThan(300);
      expect(wrongPairs).toEqual([]);
    });

    it("finds ICD-10 codes by prefix and with a dot", async () => {
      const c50 = await titlesOf({ icd10: ["C50"] });
      expect(c50.length).toBeGreaterThan(0);
      expect((await titlesOf({ q: "c50.9" })).every((t) => c50.includes(t))).toBe(true);
      expect((await titlesOf({ icd10: ["C"] })).length).toBeGreaterThanOrEqual(c50.length);
    });

    it("matches compound words and tolerates typos", async () => {
      const lung = await titlesOf({ q: "lungekreft" });
      expect(lung).toContain("Lungekreftstudie som stenger i dag");
      expect(await titlesOf({ q: "lungekerft" })).toContain("Lungekreftstudie som stenger i dag");
      // "kreft" is a part of the compound: it finds the study that only says "Lungekreftstudie".
      expect(await titlesOf({ q: "kreft", icd10: ["C34"] })).toContain("Lungekreftstudie som stenger i dag");
    });

    it("folds æ/ø/å both ways", async () => {
      for (const q of ["tromsø", "tromso", "tromsoe", "TROMSØ"]) {
        expect(await titlesOf({ q }), q).toContain("Søvnstudie i Tromsø som åpner i morgen");
      }
      expect(await titlesOf({ q: "sovn" })).toContain("Søvnstudie i Tromsø som åpner i morgen");
    });

    it("treats query syntax as text and never finds drafts", async () => {
      const countStudies = () => t.db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
      const before = countStudies();
      for (const q of [
        `"NEAR" OR *`,
        "Robert'); DROP TABLE studies; --",
        "title:*",
        "AND OR NOT",
        '"',
        "*",
        "(((",
        "^~",
      ]) {
        await expect(search({ q }), q).resolves.toBeTruthy();
      }
      expect(await titlesOf({ q: "brystkreft" })).not.toContain("Utkast om brystkreft som ikke skal finnes");
      // Nothing dropped or deleted: the demo seed, the real records and the edge studies are all still there.
      expect(countStudies()).toBe(before);
      expect(before).toBeGreaterThan(realStudies + 4);
    });

    it("filters by status computed at query time, and flips with the clock", async () => {
      const openNow = await titlesOf({ status: ["open"] });
      expect(openNow).toContain("Lungekreftstudie som stenger i dag");
      expect(openNow).not.toContain("Søvnstudie i Tromsø som åpner i morgen");
      expect(await titlesOf({ status: ["planned"] })).toContain("Søvnstudie i Tromsø som åpner i morgen");
      const tomorrow = startOfOsloDay(addCalendarDays(TODAY, 1));
      const lastMsToday = new Date(tomorrow.getTime() - 1);
      expect(await titlesOf({ status: ["open"], now: lastMsToday })).toContain("Lungekreftstudie som stenger i dag");
      const openTomorrow = await titlesOf({ status: ["open"], now: tomorrow });
      expect(openTomorrow).not.toContain("Lungekreftstudie som stenger i dag");
      expect(openTomorrow).toContain("Søvnstudie i Tromsø som åpner i morgen");
      expect(await titlesOf({ status: ["closed"], now: tomorrow })).toContain("Lungekreftstudie som stenger i dag");
    });

    it("does not count a site nobody confirmed within the hard limit as open (ADR 0019)", async () => {
      const lapsed = "Hoftestudie ingen har bekreftet på over et år";
      const overdue = "Hoftestudie bekreftet for åtte måneder siden";
      const open = await titlesOf({ q: "hofteartrose", status: ["open"] });
      expect(open).toContain(overdue);
      expect(open).not.toContain(lapsed);
      expect(await titlesOf({ q: "hofteartrose", status: ["closed"] })).toContain(lapsed);
      // The day before it lapsed (1 October 2026 in Oslo) it was open: the same documents, another instant.
      expect(await titlesOf({ q: "hofteartrose", status: ["open"], now: new Date("2026-10-01T12:00:00Z") })).toContain(
        lapsed,
      );
      expect(await titlesOf({ q: "hofteartrose", status: ["open"], now: startOfOsloDay("2026-10-02") })).not.toContain(
        lapsed,
      );
    });

    it("ranks a study whose open sites are all past the soft confirmation limit below an otherwise equal one (ADR 0020)", async () => {
      const overdue = getStudy(t.db, ids.meniscusOverdue!)!;
      const fresh = getStudy(t.db, ids.meniscusFresh!)!;
      // The premise: same words, the overdue one changed later, and only its confirmation is old.
      expect(Date.parse(overdue.updatedAt)).toBeGreaterThan(Date.parse(fresh.updatedAt));
      expect(overdue.sites[0]!.confirmedOn).toBe("2026-03-15");
      expect(fresh.sites[0]!.confirmedOn).toBe("2026-10-22");
      for (const q of ["meniskskade", "meniskstudie tromsø"]) {
        for (const status of [undefined, ["open" as const]]) {
          const order = (await search({ q, status })).hits.map((h) => h.studyId);
          expect(order, `${q} ${status ?? "all"}`).toContain(ids.meniscusOverdue);
          expect(order.indexOf(ids.meniscusFresh!), `${q} ${status ?? "all"}`).toBeLessThan(
            order.indexOf(ids.meniscusOverdue!),
          );
        }
      }
      // Time-correct with no reindexing: on the day it became overdue the same documents rank it
      // below the other; and it is still open then and now (overdue is not lapsed).
      const onTheDay = await search({ q: "meniskskade", status: ["open"], now: startOfOsloDay("2026-09-16") });
      expect(onTheDay.hits.map((h) => h.studyId)).toEqual([ids.meniscusFresh, ids.meniscusOverdue]);
    });

    it("filters by region, organisation, category, type, phase, age, sex and healthy volunteers", async () => {
      const all = await search({});
      const nord = await search({ regions: ["helse-nord"] });
      expect(nord.total).toBeGreaterThan(0);
      expect(nord.total).toBeLessThan(all.total);
      expect((await search({ organisations: ["unn"] })).total).toBeGreaterThan(0);
      expect((await search({ categories: ["cancer"] })).total).toBeGreaterThan(0);
      expect((await search({ studyTypes: ["observational"] })).total).toBeGreaterThan(0);
      expect((await search({ phases: ["phase_3"] })).total).toBeGreaterThan(0);
      const children = await search({ age: 8 });
      const adults = await search({ age: 40 });
      expect(children.total).toBeGreaterThan(0);
      expect(children.total).toBeLessThan(adults.total);
      const men = await titlesOf({ sex: "male" });
      const women = await titlesOf({ sex: "female" });
      expect(men.some((t) => women.includes(t))).toBe(true); // studies for everyone
      expect((await search({ healthyVolunteers: true })).total).toBeGreaterThan(0);
    });

    it("counts facet values over distinct studies", async () => {
      const result = await search({ facets: ["regionId", "studyType", "categories"] });
      expect(Object.keys(result.facets.regionId ?? {})).toEqual(
        expect.arrayContaining(["helse-nord", "helse-vest", "helse-sor-ost", "helse-midt-norge"]),
      );
      const types = result.facets.studyType ?? {};
      expect((types.treatment ?? 0) + (types.observational ?? 0) + (types.other ?? 0)).toBe(result.total);
    });

    it("sorts by distance from a point, nearest open site first", async () => {
      const tromso = { lat: 69.6496, lon: 18.956 };
      const result = await search({ near: tromso, sort: "distance", status: ["open"] });
      expect(result.hits[0]!.distanceKm).not.toBeNull();
      expect(result.hits[0]!.distanceKm!).toBeLessThan(10);
      const distances = result.hits.map((h) => h.distanceKm ?? Infinity);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
    });

    it("sorts a site that names only its health trust by the distance of the trust's main hospital", async () => {
      const stavanger = { lat: 58.97, lon: 5.73 };
      const result = await search({ q: "fjordallergistudie", near: stavanger, sort: "distance" });
      expect(result.hits.map((h) => h.studyId)).toEqual([ids.trustOnly, ids.trustHospital]);
      expect(result.hits[0]!.distanceKm).not.toBeNull();
      expect(result.hits[0]!.distanceKm!).toBeLessThan(5);
      expect(result.hits[1]!.distanceKm!).toBeGreaterThan(250);
    });

    it("with words and a place: good matches nearest first, then weak ones — a good match 300 km away is not buried under a weak one next door (ADR 0024)", async () => {
      const oslo = { lat: 59.91, lon: 10.75 };
      const bergen = { lat: 60.39, lon: 5.32 };
      const order = async (q: Omit<SearchQuery, "now">) => (await search(q)).hits.map((h) => h.studyId);
      const blended = await search({ q: "vindrosesyndrom", near: oslo });
      expect(blended.total).toBe(3);
      expect(blended.hits.map((h) => h.studyId)).toEqual([ids.goodNear, ids.goodFar, ids.weakNear]);
      expect(blended.hits[1]!.distanceKm!).toBeGreaterThan(250);
      expect(await order({ q: "vindrosesyndrom", near: oslo, sort: "relevance" })).toEqual([
        ids.goodNear,
        ids.goodFar,
        ids.weakNear,
      ]);
      // Pages of one run across the two bands.
      for (const [page, id] of [
        [1, ids.goodNear],
        [2, ids.goodFar],
        [3, ids.weakNear],
      ] as const)
        expect(await order({ q: "vindrosesyndrom", near: oslo, perPage: 1, page })).toEqual([id]);
      expect(await order({ q: "vindrosesyndrom", near: bergen })).toEqual([ids.goodFar, ids.goodNear, ids.weakNear]);
      // "Nærmest først" is the patient's choice: distance alone.
      expect((await order({ q: "vindrosesyndrom", near: oslo, sort: "distance" })).at(-1)).toBe(ids.goodFar);
    });

    it("sorts by closing soon and by newest", async () => {
      const closing = await search({ status: ["open"], sort: "closing" });
      expect(closing.hits[0]!.title).toBe("Lungekreftstudie som stenger i dag");
      const newest = await search({ sort: "newest" });
      expect(newest.hits.length).toBeGreaterThan(1);
    });

    it("paginates without overlap", async () => {
      const page1 = await engine.search({ now: NOW, perPage: 10, page: 1 });
      const page2 = await engine.search({ now: NOW, perPage: 10, page: 2 });
      expect(page1.hits).toHaveLength(10);
      expect(page1.total).toBe(page2.total);
      const ids1 = page1.hits.map((h) => h.studyId);
      expect(page2.hits.some((h) => ids1.includes(h.studyId))).toBe(false);
    });

    it("highlights matches with escaped HTML", async () => {
      const hit = (await search({ q: "lungekreft" })).hits.find((h) => h.studyId === ids.lastDay)!;
      expect(hit.highlightedTitle).toContain("<mark>");
      const injected = (await search({ q: "Robert" })).hits.find((h) => h.studyId === ids.injection);
      if (injected?.highlightedTitle) expect(injected.highlightedTitle).not.toMatch(/<(?!\/?mark>)/);
    });

    it("updates and removes a study's documents", async () => {
      const record = getStudy(t.db, ids.opensTomorrow!)!;
      await engine.indexStudies([record.id], studyDocuments({ ...record, title: { nb: "Omdøpt søvnstudie" } }));
      expect(await titlesOf({ q: "omdopt" })).toEqual(["Omdøpt søvnstudie"]);
      await engine.removeStudies([record.id]);
      expect(await titlesOf({ q: "omdopt" })).toEqual([]);
      expect((await engine.health()).ok).toBe(true);
    });
  });
}

/** The real ClinicalTrials.gov Norway subset, for engines' extra fixture checks (needs ../shared/data). */
export function readNorwaySubset(): Buffer {
  return readFileSync(sharedData("ctgov-v2/ctgov_v2_norway_subset.json"));
}
