/**
 * Medically safe matching (app/search/medical-terms.server.ts, issue 19): the known-term vocabulary, the
 * query rules both engines share, the synonyms' recorded sources, and the quality metrics of the
 * judged query set (tests/search/quality.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isKnownTerm,
  knownTerms,
  nearestKnownTerm,
  safeQuery,
  startsKnownTerm,
} from "#app/search/medical-terms.server";
import { studyIndexSettings, synonymsSetting } from "#app/search/meilisearch-settings";
import { normaliseNorwegian } from "#app/search/norwegian.server";
import { queryText } from "#app/search/query-terms";
import { expandWithSynonyms, synonymGroups, synonymSources } from "#app/search/synonyms.server";
import { ndcgAt, readJudgements, recallAt } from "../search/quality";

const safe = (raw: string) => safeQuery(queryText(raw));

describe("known medical terms", () => {
  it("come from the ICD-10/ICPC-2 texts of the code package and from the synonyms", () => {
    // ICD-10 texts (@navikt/diagnosekoder): both infarcts are real words.
    expect(isKnownTerm("hjerteinfarkt")).toBe(true);
    expect(isKnownTerm("hjerneinfarkt")).toBe(true);
    // ICPC-2 texts, synonyms (nynorsk, lay) and compound parts.
    for (const w of ["atrieflimmer", "sukkersjuke", "hjarteinfarkt", "barnekreft", "svulst"])
      expect(isKnownTerm(w), w).toBe(true);
    expect(isKnownTerm("hjerteinfrakt")).toBe(false);
    // Only words typos apply to (5+ letters, no digits), normalised and sorted.
    const list = knownTerms();
    expect(list.length).toBeGreaterThan(5000);
    expect(list.every((w) => w.length >= 5 && /^[a-z]+$/.test(w))).toBe(true);
    expect(list).toEqual([...list].sort());
    expect(studyIndexSettings().typoTolerance?.disableOnWords).toEqual(list);
  });

  it.each([
    // [typed, read as, why]
    ["hjerteinfarkt", "hjerteinfarkt", "a known term stays as it is"],
    ["hjerneinfarkt", "hjerneinfarkt", "a known term stays as it is"],
    ["hjerteinfrakt", "hjerteinfarkt", "two known terms in reach (hjerneinfarkt at 2 edits): the nearest"],
    ["hjerneinfrakt", "hjerneinfarkt", "two known terms in reach (hjerteinfarkt at 2 edits): the nearest"],
    ["sukersyke", "sukkersyke", "one known term in reach, a synonym: read as it so its synonyms apply"],
    ["revmatisme", "revmatisme", "the known terms in reach are forms of one word (reumatisme…): left to the engine"],
    ["insomnai", "insomnai", "one known term in reach that is no synonym: left to the engine (finds English insomnia)"],
    ["hjerteinf", "hjerteinf", "the last word while typing: a known term starts with it"],
    ["ICPC-2 K75", "hjerteinfarkt", "an ICPC-2 code: its synonym group"],
    ["icpc2 t90", "sukkersyke", "an ICPC-2 code: its synonym group"],
    ["ICPC-2 A03", "feber", "an ICPC-2 code without a group: its Norwegian name"],
    ["kreft hjå born", "kreft hja born", "nynorsk words are known"],
    ["C50.9", "c509", "codes are never corrected"],
  ])("reads %j as %j: %s", (typed, expected) => {
    expect(safe(typed)).toBe(expected);
  });

  it("finds the nearest known term only when it is unique", () => {
    expect(nearestKnownTerm("hjerteinfrakt")).toBe("hjerteinfarkt");
    expect(nearestKnownTerm("abc")).toBeNull(); // too short for typos
    expect(startsKnownTerm("hjerteinf")).toBe(true);
    expect(startsKnownTerm("hjerteinfarkt")).toBe(false);
  });
});

describe("synonyms", () => {
  it("record a source for every term, and no heart-attack synonym is a stroke word", () => {
    const sources = synonymSources();
    expect(sources.length).toBeGreaterThan(250);
    for (const s of sources) expect(s.source, s.term).toMatch(/\S/);
    const heart = synonymGroups().find((g) => g.terms.includes("hjerteinfarkt"))!;
    // "infarkt" alone sits inside "hjerneinfarkt" (a compound part in Meilisearch): not a synonym.
    expect(heart.terms).not.toContain("infarkt");
    expect(heart.terms).toEqual(expect.arrayContaining(["hjarteinfarkt", "myokardinfarkt"]));
  });

  it("name ICPC-2 codes that exist in the code package", () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@navikt/diagnosekoder/package.json"));
    const icpc2 = new Set(
      (JSON.parse(readFileSync(path.join(dir, "lib/ICPC2.json"), "utf8")) as { code: string }[]).map((e) => e.code),
    );
    const codes = synonymGroups().flatMap((g) => g.icpc2 ?? []);
    expect(codes.length).toBeGreaterThan(30);
    for (const c of codes) expect(icpc2.has(c), c).toBe(true);
  });

  it("combine groups and look terms up with their stop words", () => {
    const phrases = expandWithSynonyms("sukkersjuke hja born").phrases;
    expect(phrases).toContain("diabetes hos barn");
    expect(expandWithSynonyms(normaliseNorwegian("blodpropp i hjertet")).phrases).toContain("hjerteinfarkt");
    // Codes count only for a whole-query term: "diabetes hos barn" is not every E10–E14 study.
    expect(expandWithSynonyms("sukkersyke").icd10).toContain("E11");
    expect(expandWithSynonyms("sukkersyke hos barn").icd10).toEqual([]);
  });

  it("are given to Meilisearch also without stop words (it drops them before its lookup)", () => {
    const setting = synonymsSetting();
    expect(setting["blodpropp hjertet"]).toEqual(expect.arrayContaining(["hjerteinfarkt"]));
    expect(setting["hjerteinfarkt"]).not.toContain("infarkt");
  });
});

describe("quality metrics of the judged query set", () => {
  it("nDCG@10: 1 for the ideal order, less for a worse one, 0 for nothing relevant", () => {
    const grades = { a: 2, b: 1 };
    expect(ndcgAt(["a", "b", "x"], grades)).toBeCloseTo(1);
    const swapped = ndcgAt(["b", "a"], grades);
    expect(swapped).toBeLessThan(1);
    expect(swapped).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)));
    expect(ndcgAt(["x", "y"], grades)).toBe(0);
    // Only the top 10 count.
    expect(ndcgAt([..."0123456789".split(""), "a"], grades)).toBe(0);
  });

  it("recall@20 counts relevant studies found in the top 20", () => {
    expect(recallAt(["a", "x"], { a: 2, b: 1 })).toBe(0.5);
    expect(recallAt([], { a: 2 })).toBe(0);
  });

  it("the judged set has at least 150 queries in nb, nn and en, with every group and valid grades", () => {
    const judged = readJudgements();
    expect(judged.length).toBeGreaterThanOrEqual(150);
    expect(new Set(judged.map((j) => j.lang))).toEqual(new Set(["nb", "nn", "en"]));
    expect(new Set(judged.map((j) => j.group))).toEqual(
      new Set(["medical", "lay", "nynorsk", "english", "code", "typo", "compound", "treatment"]),
    );
    expect(judged.filter((j) => j.wrong.length).length).toBeGreaterThan(40);
  });
});
