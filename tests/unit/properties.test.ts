/**
 * Property-based tests (fast-check, fixed seed so a failure is reproducible: rerun with the
 * printed seed/path): inclusion status and its next change, Oslo midnight across DST, the
 * Norwegian normaliser, the query parsers of every audience, the sign-in return address, and the
 * ingest mappers fed arbitrary (and mutated real) input.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseParams } from "#app/api/query";
import { changesQueryParams, studiesQueryParams } from "#app/api/schemas";
import { safeReturnPath } from "#app/auth/auth.server";
import { addCalendarDays, isCalendarDate } from "#app/domain/calendar-date";
import {
  InvalidInclusionWindowError,
  nextStatusChange,
  osloDate,
  siteStatus,
  startOfOsloDay,
  studyStatus,
  validateInclusionWindow,
  type InclusionWindow,
} from "#app/domain/inclusion-status";
import { parseStudy } from "#app/domain/study";
import { parseSearchParams } from "#app/fhir/search-params";
import { InvalidEventIdError, parseEventId } from "#app/realtime/hub.server";
import { parseCtgovCsv } from "#app/ingest/mappers/ctgov-csv.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { parseCtisCsv } from "#app/ingest/mappers/ctis-csv.server";
import { parseFhirResearchStudy } from "#app/ingest/mappers/fhir-research-study";
import { parseNativeJson, type CategoryRef } from "#app/ingest/mappers/native";
import type { MapContext, MapResult, OrganisationRef } from "#app/ingest/types";
import { clinicianSearchHref, parseClinicianSearchParams } from "#app/search-params/clinician-search-params";
import { parsePatientSearchParams, patientSearchHref } from "#app/search-params/patient-search-params";
import { normaliseNorwegian, tokens } from "#app/search/norwegian.server";
import { queryText } from "#app/search/query-terms";
import { readFixture, sharedData, skipReason } from "../helpers/shared-data";

const SEED = 20261201;
const RUNS = { seed: SEED, numRuns: 300 } as const;
const FEW = { seed: SEED, numRuns: 150 } as const;

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const FROM = Date.UTC(2019, 0, 1);
const TO = Date.UTC(2031, 11, 31);
/** A calendar date 2019–2031 (covers many DST switches; dates are whole days from FROM). */
const calendarDate = fc
  .integer({ min: 0, max: Math.floor((TO - FROM) / DAY) })
  .map((d) => new Date(FROM + d * DAY).toISOString().slice(0, 10));
/** An instant 2018–2032, biased towards Oslo midnights and DST switches (±1 ms and ±1 h). */
const instant = fc.oneof(
  fc.date({ min: new Date(Date.UTC(2018, 0, 1)), max: new Date(Date.UTC(2032, 11, 31)), noInvalidDate: true }),
  fc
    .tuple(calendarDate, fc.constantFrom(-3_600_000, -1, 0, 1, 3_600_000))
    .map(([d, delta]) => new Date(startOfOsloDay(d).getTime() + delta)),
  fc
    .tuple(
      fc.integer({ min: 2019, max: 2031 }),
      fc.constantFrom(2, 9),
      fc.integer({ min: -2 * 3_600_000, max: 2 * 3_600_000 }),
    )
    .map(([y, m, delta]) => {
      // The last Sunday of March / October at 01:00 UTC is when Oslo switches.
      const last = new Date(Date.UTC(y, m + 1, 0));
      const sunday = Date.UTC(y, m, last.getUTCDate() - last.getUTCDay(), 1);
      return new Date(sunday + delta);
    }),
);
const window: fc.Arbitrary<InclusionWindow> = fc
  .record({
    start: fc.option(calendarDate, { nil: null }),
    end: fc.option(calendarDate, { nil: null }),
    paused: fc.boolean(),
  })
  .map(({ start, end, paused }) => {
    // Order the two dates so the window is valid (end on or after start).
    const [s, e] = start && end && end < start ? [end, start] : [start, end];
    return { inclusionStart: s, inclusionEnd: e, paused };
  });

/** Points in [from, to): both ends and a few inside. */
function pointsIn(from: number, to: number, fractions: number[]): number[] {
  return [from, to - 1, ...fractions.map((f) => from + Math.floor(f * (to - 1 - from)))].filter(
    (t) => t >= from && t < to,
  );
}
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 });

// ---------------------------------------------------------------------------------------------
// Inclusion status
// ---------------------------------------------------------------------------------------------

describe("inclusion status as a function of (window, paused, instant)", () => {
  it("a site's status is constant on [now, next change) and differs at the next change", () => {
    fc.assert(
      fc.property(window, instant, fractions, (site, now, fs) => {
        const status = siteStatus(site, now);
        const next = nextStatusChange([site], now);
        if (next === null) {
          // Never changes again: the same at any later instant (up to 2100).
          for (const t of [now.getTime() + DAY, now.getTime() + 400 * DAY, Date.UTC(2100, 0, 1)])
            expect(siteStatus(site, new Date(t))).toBe(status);
          return;
        }
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        for (const t of pointsIn(now.getTime(), next.getTime(), fs)) expect(siteStatus(site, new Date(t))).toBe(status);
        expect(siteStatus(site, next)).not.toBe(status);
      }),
      RUNS,
    );
  });

  it("a study's status is constant on [now, next change) for any set of sites (withdrawn ones ignored)", () => {
    const site = fc.tuple(window, fc.boolean()).map(([w, withdrawn]) => ({ ...w, withdrawn }));
    fc.assert(
      fc.property(fc.array(site, { maxLength: 6 }), instant, fractions, (sites, now, fs) => {
        const status = studyStatus(sites, now);
        const next = nextStatusChange(sites, now);
        const end = next?.getTime() ?? Date.UTC(2100, 0, 1);
        for (const t of pointsIn(now.getTime(), end, fs)) expect(studyStatus(sites, new Date(t))).toBe(status);
        // Withdrawn sites change nothing.
        expect(
          studyStatus(
            sites.filter((s) => !s.withdrawn),
            now,
          ),
        ).toBe(status);
        if (sites.every((s) => s.withdrawn)) expect(status).toBe("no_sites");
      }),
      RUNS,
    );
  });

  it("status depends only on the Oslo calendar date of the instant", () => {
    fc.assert(
      fc.property(
        window,
        calendarDate,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (site, date, f) => {
          const start = startOfOsloDay(date).getTime();
          const end = startOfOsloDay(addCalendarDays(date, 1)).getTime();
          const t = new Date(start + Math.floor(f * (end - start)));
          expect(osloDate(t)).toBe(date);
          expect(siteStatus(site, t)).toBe(siteStatus(site, new Date(start)));
        },
      ),
      RUNS,
    );
  });

  it("Oslo midnight: each day starts at one instant, lasts 23, 24 or 25 hours, and the instant before is the day before", () => {
    fc.assert(
      fc.property(calendarDate, (date) => {
        const start = startOfOsloDay(date);
        expect(osloDate(start)).toBe(date);
        expect(osloDate(new Date(start.getTime() - 1))).toBe(addCalendarDays(date, -1));
        const hours = (startOfOsloDay(addCalendarDays(date, 1)).getTime() - start.getTime()) / 3_600_000;
        expect([23, 24, 25]).toContain(hours);
        // Oslo is UTC+1 or UTC+2 at midnight.
        expect([22, 23]).toContain(start.getUTCHours());
      }),
      RUNS,
    );
  });

  it("the days clocks change are 23 and 25 hours long (last Sundays of March and October, the EU rule since 1996)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1996, max: 2150 }), (year) => {
        const lastSunday = (m: number) => {
          const last = new Date(Date.UTC(year, m + 1, 0));
          return new Date(Date.UTC(year, m, last.getUTCDate() - last.getUTCDay())).toISOString().slice(0, 10);
        };
        const length = (d: string) =>
          (startOfOsloDay(addCalendarDays(d, 1)).getTime() - startOfOsloDay(d).getTime()) / 3_600_000;
        expect(length(lastSunday(2))).toBe(23);
        expect(length(lastSunday(9))).toBe(25);
      }),
      FEW,
    );
  });

  it("arbitrary strings as dates are refused only with InvalidInclusionWindowError naming the field", () => {
    const maybeDate = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.stringMatching(/^-?\d{1,6}-\d{1,3}-\d{1,3}$/),
      calendarDate,
    );
    fc.assert(
      fc.property(
        fc.option(maybeDate, { nil: null }),
        fc.option(maybeDate, { nil: null }),
        fc.boolean(),
        instant,
        (start, end, paused, now) => {
          const site = { inclusionStart: start, inclusionEnd: end, paused };
          let error: unknown = null;
          try {
            validateInclusionWindow(site);
          } catch (e) {
            error = e;
          }
          const valid =
            (start == null || isCalendarDate(start)) &&
            (end == null || isCalendarDate(end)) &&
            !(start && end && end < start);
          if (valid) {
            expect(error).toBeNull();
            expect(["planned", "open", "closed", "paused"]).toContain(siteStatus(site, now));
          } else {
            expect(error).toBeInstanceOf(InvalidInclusionWindowError);
            expect(["inclusionStart", "inclusionEnd"]).toContain((error as InvalidInclusionWindowError).field);
            expect(() => siteStatus(site, now)).toThrow(InvalidInclusionWindowError);
            expect(() => nextStatusChange([site], now)).toThrow(InvalidInclusionWindowError);
          }
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Norwegian normaliser and the engines' query text
// ---------------------------------------------------------------------------------------------

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(..."aAoOeEæøåÆØÅäöüé -_/–.,:*\"'()^\u0301\u00a0\u200b\u2028"), maxLength: 30 }),
);

describe("normaliseNorwegian", () => {
  it("never throws, is idempotent and writes only a–z, 0–9 and single spaces", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normaliseNorwegian(text);
        expect(once).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
        expect(normaliseNorwegian(once)).toBe(once);
        expect(tokens(text).join(" ")).toBe(once);
      }),
      RUNS,
    );
  });

  it("folds æ/ø/å and their ASCII spellings the same way", () => {
    const word = fc.string({ unit: fc.constantFrom(..."bdfgklmnrstv"), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(normaliseNorwegian(`${a}ø${b}`)).toBe(normaliseNorwegian(`${a}oe${b}`));
        expect(normaliseNorwegian(`${a}ø${b}`)).toBe(normaliseNorwegian(`${a}o${b}`));
        expect(normaliseNorwegian(`${a}å${b}`)).toBe(normaliseNorwegian(`${a}aa${b}`));
        expect(normaliseNorwegian(`${a.toUpperCase()}Æ${b}`)).toBe(normaliseNorwegian(`${a}ae${b}`));
      }),
      RUNS,
    );
  });

  it("the engines' query text has no operator characters left (FTS5 / Meilisearch syntax is inert)", () => {
    fc.assert(
      fc.property(anyText, (q) => {
        const text = queryText(q);
        expect(text).toMatch(/^[a-z0-9 ]*$/);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Query parsers
// ---------------------------------------------------------------------------------------------

const paramName = fc.oneof(
  fc.constantFrom(
    "q",
    "status",
    "regions",
    "organisations",
    "hospitals",
    "categories",
    "icd10",
    "studyTypes",
    "phases",
    "age",
    "sex",
    "healthyVolunteers",
    "near",
    "postcode",
    "sort",
    "facets",
    "page",
    "perPage",
    "since",
    "limit",
  ),
  fc.string({ maxLength: 12 }),
);
const paramValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.stringMatching(/^-?\d{0,12}(\.\d{0,3})?(e\d{1,3})?$/),
  fc.constantFrom(
    "open",
    "planned",
    "helse-vest",
    "C50",
    "C",
    "female",
    "true",
    "59.9,10.7,50",
    "NaN,NaN",
    "1e308",
    "-1",
    "2026-02-30",
    "",
    " ",
    ",,,",
    "a".repeat(600),
  ),
);
const entries = fc.array(fc.tuple(paramName, paramValue), { maxLength: 8 });
const search = (e: [string, string][]) => new URLSearchParams(e);

describe("query parsers take any query string and answer values or typed problems", () => {
  it("open API parameters: never throw; every problem names a parameter", () => {
    fc.assert(
      fc.property(entries, (e) => {
        for (const defs of [studiesQueryParams, changesQueryParams]) {
          const parsed = parseParams(search(e), defs);
          if (!parsed.ok) {
            expect(parsed.problems.length).toBeGreaterThan(0);
            for (const p of parsed.problems) {
              expect(p.name).toEqual(expect.any(String));
              expect(p.message.length).toBeGreaterThan(0);
            }
          } else {
            if (parsed.values.page !== undefined) expect(Number.isInteger(parsed.values.page)).toBe(true);
            if (parsed.values.age !== undefined) expect(parsed.values.age).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      RUNS,
    );
  });

  it("FHIR search parameters: never throw; errors are OperationOutcome issues with a parameter", () => {
    const fhirName = fc.oneof(
      fc.constantFrom(
        "_id",
        "identifier",
        "status",
        "condition",
        "condition:text",
        "keyword",
        "keyword:text",
        "site",
        "_lastUpdated",
        "_count",
        "_offset",
        "_summary",
        "_format",
        "_pretty",
        "status:not",
        "a:b:c",
      ),
      fc.string({ maxLength: 10 }),
    );
    const fhirValue = fc.oneof(
      paramValue,
      fc.constantFrom(
        "ge2026-01-01",
        "lt2026-02-30",
        "eq2026",
        "2026-01-01T24:00:00Z",
        "http://x|NCT01234567",
        "|",
        "a\\,b,c",
        "recruiting,closed-to-accrual",
        "count",
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fhirName, fhirValue), { maxLength: 8 }), fc.boolean(), (e, strict) => {
        const parsed = parseSearchParams(e, { strict });
        if (!parsed.ok) {
          expect(parsed.issues.length).toBeGreaterThan(0);
          for (const i of parsed.issues) expect(i.severity).toBe("error");
        } else {
          expect(parsed.search.count).toBeGreaterThanOrEqual(0);
          expect(parsed.search.count).toBeLessThanOrEqual(100);
        }
      }),
      RUNS,
    );
  });

  const regions = ["helse-nord", "helse-vest", "helse-midt-norge", "helse-sor-ost"];
  const organisations = ["ous", "st-olavs", "unn", "helse-bergen"];
  const pageName = fc.oneof(
    fc.constantFrom(
      "q",
      "postnummer",
      "alder",
      "kjonn",
      "region",
      "status",
      "side",
      "icd10",
      "helseforetak",
      "fase",
      "sortering",
      "lang",
    ),
    fc.string({ maxLength: 8 }),
  );
  const pageEntries = fc.array(
    fc.tuple(
      pageName,
      fc.oneof(
        paramValue,
        fc.constantFrom("kvinne", "mann", "apen", "alle", "stenger", "7030", "54", "helse-vest", "ous", "phase_3"),
      ),
    ),
    { maxLength: 8 },
  );

  it("patient search: never throws, values stay in their domain, and the page's own link parses back to the same search", () => {
    fc.assert(
      fc.property(pageEntries, (e) => {
        const { params } = parsePatientSearchParams(search(e), regions);
        expect(params.q.length).toBeLessThanOrEqual(200);
        if (params.alder != null) expect(params.alder).toBeGreaterThanOrEqual(0);
        if (params.alder != null) expect(params.alder).toBeLessThanOrEqual(120);
        expect(params.side).toBeGreaterThanOrEqual(1);
        const href = patientSearchHref(params, "nb");
        const again = parsePatientSearchParams(new URL(href, "http://x").searchParams, regions);
        expect(again.problems).toEqual([]);
        expect(again.params).toEqual(params);
      }),
      RUNS,
    );
  });

  it("clinician search: never throws, and the page's own link parses back to the same search", () => {
    fc.assert(
      fc.property(pageEntries, (e) => {
        const { params } = parseClinicianSearchParams(search(e), { regions, organisations });
        expect(params.side).toBeGreaterThanOrEqual(1);
        const href = clinicianSearchHref(params, "nb");
        const again = parseClinicianSearchParams(new URL(href, "http://x").searchParams, { regions, organisations });
        expect(again.problems).toEqual([]);
        expect(again.params).toEqual(params);
      }),
      RUNS,
    );
  });

  it("Last-Event-ID: any string is a position within the log or an InvalidEventIdError", () => {
    const heads = { change: 1000, status: 50 };
    const id = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.stringMatching(/^\s*\d{1,20}(-\d{1,20})?\s*$/),
    );
    fc.assert(
      fc.property(id, (raw) => {
        try {
          const pos = parseEventId(raw, heads);
          expect(Number.isSafeInteger(pos.change) && pos.change <= heads.change).toBe(true);
          expect(Number.isSafeInteger(pos.status) && pos.status <= heads.status).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEventIdError);
        }
      }),
      RUNS,
    );
  });

  it("the sign-in return address is always a path on this site and a valid header value", () => {
    const base = new URL("http://portal.example");
    const candidate = fc.oneof(
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(..."/\\\t\n\r @:.%?#evil"), maxLength: 20 }),
      fc.string({ unit: fc.constantFrom(..."/\\\t\n\r @:.%?#evil"), maxLength: 20 }).map((s) => `/${s}`),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const path = safeReturnPath(value);
        expect(new URL(path, base).origin).toBe(base.origin);
        expect(() => new Headers({ Location: path })).not.toThrow();
        expect(path).toMatch(/^\/(?![/\\])/);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Ingest mappers
// ---------------------------------------------------------------------------------------------

const organisations = JSON.parse(
  readFileSync(path.resolve("data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const categories = JSON.parse(
  readFileSync(path.resolve("data/reference/hrcs-categories.json"), "utf8"),
) as CategoryRef[];
const ctx: MapContext & { categories: CategoryRef[] } = { organisationId: "st-olavs", organisations, categories };

const MAPPERS: Record<string, (input: Buffer) => MapResult> = {
  native: (b) => parseNativeJson(b, ctx),
  "ctgov-json": (b) => parseCtgovJson(b, ctx, { norwayOnly: true }),
  "ctgov-csv": (b) => parseCtgovCsv(b, ctx, { norwayOnly: true }),
  fhir: (b) => parseFhirResearchStudy(b, ctx),
  "ctis-csv": (b) => parseCtisCsv(b, ctx),
};

/** A mapper's answer is records or problems, each problem naming where, which field and why. */
function expectMapResult(result: MapResult) {
  expect(Array.isArray(result.records)).toBe(true);
  for (const r of result.rejected) {
    expect(r.ref).toEqual(expect.any(String));
    expect(r.field).toEqual(expect.any(String));
    expect(r.message.length).toBeGreaterThan(0);
  }
  // What a mapper hands on is checked by the service's schema: that must answer, not throw.
  for (const record of result.records) {
    const parsed = parseStudy(record.study);
    if (!parsed.ok) expect(parsed.problems.length).toBeGreaterThan(0);
  }
}

/** Every path to a value in a JSON document. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  return out;
}
/** The document with the values at some of its paths replaced (a mutation of real input). */
function mutate<T>(doc: T, changes: [number, unknown][]): T {
  const copy = structuredClone(doc) as unknown;
  const all = paths(copy).filter((p) => p.length > 0);
  for (const [i, value] of changes) {
    const p = all[i % all.length]!;
    let parent = copy as Record<string | number, unknown>;
    for (const key of p.slice(0, -1)) {
      const next = parent?.[key];
      if (!next || typeof next !== "object") {
        parent = null as never;
        break;
      }
      parent = next as Record<string | number, unknown>;
    }
    if (parent) parent[p.at(-1)!] = value;
  }
  return copy as T;
}
const changes = fc.array(
  fc.tuple(
    fc.nat(),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ unit: "binary" }),
      fc.constantFrom(null, "", -1, 1e308, "2026-02-30", "<script>alert(1)</script>"),
    ),
  ),
  { minLength: 1, maxLength: 6 },
);

const nativeStudy = {
  id: "P1",
  tittel: "Studie",
  sammendrag: "Sammendrag.",
  studietype: "behandling",
  fase: "3",
  kategorier: ["Kreft"],
  icd10: ["C50"],
  alder_min: 18,
  alder_maks: 80,
  identifikatorer: { rek: "123456", nct: "NCT01234567" },
  kontakter: [{ navn: "Kari", epost: "kari@example.no" }],
  lenke: "https://example.no",
  studiesteder: [
    {
      foretak: "st-olavs",
      sykehus: null,
      inklusjon_start: "2026-01-01",
      inklusjon_slutt: "2027-01-01",
      pause: false,
      kontakt: { navn: "Ola", telefon: "12345678" },
    },
  ],
};
// Real records: the vendored extracts of licensed sources (tests/fixtures/SOURCES.md); the CTIS
// export states no licence and stays in ../shared/data.
const ctgovStudy = (JSON.parse(readFixture("ctgov-v2/norway-mit-sources.json").toString("utf8")) as unknown[])[0];
const fhirStudy = JSON.parse(
  readFixture("fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json").toString("utf8"),
) as unknown;
const CTIS = "eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz";

function csvSample(read: () => Buffer, keep: (line: string) => boolean): { header: string; row: string } {
  const text = read().toString("utf8");
  // The first record that fits on one physical line (so it can be cut out without a CSV parser).
  const lines = text.split(/\r?\n/);
  return { header: lines[0]!, row: lines.slice(1).find((l) => keep(l) && !/^"[^"]*$/.test(l))! };
}

describe("ingest mappers never throw: any input maps or is rejected with reasons", () => {
  it.each(Object.keys(MAPPERS))("%s: arbitrary bytes and arbitrary JSON", (format) => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null")),
      fc.string({ unit: "binary", maxLength: 200 }).map((s) => Buffer.from(s)),
    );
    fc.assert(
      fc.property(input, (buf) => expectMapResult(MAPPERS[format]!(buf))),
      FEW,
    );
  });

  it.each([
    ["native", nativeStudy, (d: unknown) => [d]],
    ["ctgov-json", ctgovStudy, (d: unknown) => d],
    ["fhir", fhirStudy, (d: unknown) => d],
  ] as const)("%s: a real record with values replaced at random paths", (format, doc, wrap) => {
    fc.assert(
      fc.property(changes, (c) => expectMapResult(MAPPERS[format]!(Buffer.from(JSON.stringify(wrap(mutate(doc, c))))))),
      RUNS,
    );
  });

  const csvCases = [
    [
      "ctgov-csv",
      () => readFixture("ctgov-csv/Anand21J-V__ctg-studies_extract.csv"),
      (l: string) => /Norway/.test(l),
      null,
    ],
    ["ctis-csv", () => gunzipSync(readFileSync(sharedData(CTIS))), (l: string) => /Norway/.test(l), skipReason([CTIS])],
  ] as const;
  for (const [format, read, keep, skip] of csvCases)
    it.skipIf(skip != null)(
      `${format}: a real row with cells replaced by arbitrary text${skip ? ` — ${skip}` : ""}`,
      () => {
        const { header, row } = csvSample(read, keep);
        const columns = header.split(",").length;
        const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
        fc.assert(
          fc.property(
            fc.array(fc.tuple(fc.nat({ max: columns - 1 }), fc.string({ unit: "binary", maxLength: 40 })), {
              maxLength: 5,
            }),
            (cells) => {
              // Replace whole cells in a re-quoted copy of the header's width (extra cells are the mapper's problem to report).
              const values: string[] = Array.from({ length: columns }, () => "");
              for (const [i, v] of cells) values[i] = v;
              const mutated = `${header}\r\n${row}\r\n${values.map(q).join(",")}\r\n`;
              expectMapResult(MAPPERS[format]!(Buffer.from(mutated)));
            },
          ),
          FEW,
        );
      },
    );
});
