/**
 * The FHIR R4 endpoint of the built app, over real HTTP, on a real SQLite file (demo seed plus
 * crafted studies), read with fhir-kit-client (a maintained FHIR client from npm, not our code):
 * CapabilityStatement, search with every parameter, paging through everything, hostile values,
 * OperationOutcome errors, content type, ETag — and the round trip: our export → our FHIR ingest
 * (formats mapInput "fhir" + the ingest service) gives the same study.
 */
import { siteStatus } from "#app/domain/inclusion-status";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { Client } from "fhir-kit-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { CAPABILITY_DATE } from "#app/fhir/capability-statement";
import { EXTENSION, IDENTIFIER_SYSTEM, ORGANISATION_ID_SYSTEM } from "#app/fhir/constants";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { feedSourceId, ingestBatch } from "#app/ingest/ingest-service.server";
import { findStudyIdByProvenance, getStudy, type StudyRecord } from "#app/models/study.server";
import { freshDb, tempDir, type TestDb } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { saveStudyOrThrow } from "../helpers/studies";

type Json = Record<string, any>;

let dir: string;
let dbFile: string;
let server: RunningServer;
let fhir: string;
let client: Client;
let db: Db;
const ids = { full: 0, withdrawnAfterPublish: 0, draft: 0, noSites: 0, droppedSite: 0 };
const today = osloDate(new Date());
const day = (offset: number) => addCalendarDays(today, offset);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const actor = { kind: "system" as const, name: "fhir-test" };
function save(input: StudyInput, studyId?: number): number {
  const r = saveStudyOrThrow(db, input, { actor, studyId });
  return r.studyId;
}

const base = (extra: Partial<StudyInput>): StudyInput => ({
  title: { nb: "FHIR-teststudie" },
  summary: { nb: "Et sammendrag på bokmål." },
  studyType: "treatment",
  leadOrganisationId: "ous",
  publicationState: "published",
  ...extra,
});

beforeAll(async () => {
  dir = tempDir();
  dbFile = path.join(dir, "portal.db");
  db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: true });
  ids.full = save(
    base({
      identifiers: { eudract: "2019-009999-12", isrctn: "ISRCTN99999999", rek: "2019/9999" },
      localIds: [{ organisationId: "ous", localId: "ous-fhir-full" }],
      title: {
        nb: "Crohns sykdom hos menn: en fase 2-studie",
        nn: "Crohns sjukdom hjå menn",
        en: "Crohn's disease in men",
      },
      shortTitle: { nb: "CROHN-FHIR" },
      summary: {
        nb: "Vi tester en ny behandling for Crohns sykdom.",
        en: "We test a new treatment for Crohn's disease.",
      },
      phase: "phase_2",
      conditions: ["Crohns sykdom"],
      icd10: ["K50", "K500"],
      snomed: ["34000006"],
      eligibility: { minAgeYears: 18, maxAgeYears: 65, sex: "male" },
      sponsor: "Oslo universitetssykehus HF",
      targetEnrolment: 80,
      sites: [
        { organisationId: "ous", hospitalId: "ous-rikshospitalet", inclusionStart: day(-30), inclusionEnd: day(300) },
        { organisationId: "lovisenberg", hospitalId: null, inclusionStart: day(0), inclusionEnd: null },
        {
          organisationId: "helse-bergen",
          hospitalId: "helse-bergen-haukeland",
          inclusionStart: day(20),
          inclusionEnd: day(400),
        },
        { organisationId: "unn", hospitalId: null, inclusionStart: null, inclusionEnd: null },
        { organisationId: "st-olavs", hospitalId: "st-olavs-oya", inclusionStart: day(-400), inclusionEnd: day(-1) },
        {
          organisationId: "sunnaas",
          hospitalId: "sunnaas-nesodden",
          inclusionStart: day(-300),
          inclusionEnd: day(-10),
          paused: true,
          pauseReason: "Stanset av sponsor",
        },
        {
          organisationId: "helse-stavanger",
          hospitalId: "helse-stavanger-sus",
          inclusionStart: day(-10),
          paused: true,
          pauseReason: "Venter på legemiddel",
        },
      ],
    }),
  );
  ids.withdrawnAfterPublish = save(
    base({ identifiers: { isrctn: "ISRCTN99999998" }, sites: [{ organisationId: "ous", inclusionStart: day(-5) }] }),
  );
  save(
    base({
      identifiers: { isrctn: "ISRCTN99999998" },
      sites: [{ organisationId: "ous", inclusionStart: day(-5) }],
      publicationState: "withdrawn",
    }),
    ids.withdrawnAfterPublish,
  );
  ids.draft = save(base({ identifiers: { isrctn: "ISRCTN99999997" }, publicationState: "draft" }));
  ids.noSites = save(base({ title: { nb: "Studie uten steder" }, identifiers: { isrctn: "ISRCTN99999996" } }));
  // Two sites, then the feed drops one: it is withdrawn (kept), not exported, not found by site.
  const two = base({
    title: { nb: "Studie der et sted trakk seg" },
    identifiers: { isrctn: "ISRCTN99999995" },
    sites: [
      { organisationId: "ous", inclusionStart: day(-5) },
      { organisationId: "modum-bad", inclusionStart: day(-5) },
    ],
  });
  ids.droppedSite = save(two);
  save({ ...two, sites: [{ organisationId: "ous", inclusionStart: day(-5) }] }, ids.droppedSite);

  const port = await freePort();
  server = await startServer({ DATABASE_PATH: dbFile, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` });
  fhir = `${server.url}/fhir`;
  client = new Client({ baseUrl: fhir });
});

afterAll(async () => {
  await server?.stop();
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const publishedIds = () =>
  db.prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id").pluck().all() as number[];

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${fhir}${pathAndQuery}`, { headers });
  const text = await res.text();
  return {
    res,
    status: res.status,
    type: res.headers.get("content-type"),
    body: (text ? JSON.parse(text) : null) as Json,
  };
}

/** Every matching id, following next links with the FHIR client. */
async function allIds(searchParams: Record<string, string | number | string[]>): Promise<number[]> {
  const out: number[] = [];
  let bundle = (await client.search({
    resourceType: "ResearchStudy",
    searchParams: { _count: 100, ...searchParams },
  })) as Json;
  for (;;) {
    for (const e of bundle.entry ?? []) if (e.search?.mode === "match") out.push(Number(e.resource.id));
    const next = client.nextPage({ bundle: bundle as never });
    if (!next) break;
    bundle = (await next) as Json;
  }
  return out;
}

describe("CapabilityStatement", () => {
  it("lists exactly what the server supports", async () => {
    const cs = (await client.capabilityStatement()) as Json;
    expect(Client.httpFor(cs as never).response?.headers.get("content-type")).toBe(
      "application/fhir+json; charset=utf-8",
    );
    expect(cs).toMatchObject({
      resourceType: "CapabilityStatement",
      status: "active",
      kind: "instance",
      fhirVersion: "4.0.1",
      date: CAPABILITY_DATE,
    });
    expect(cs.format).toContain("application/fhir+json");
    expect(cs.rest).toHaveLength(1);
    expect(cs.rest[0].resource.map((r: Json) => r.type)).toEqual(["ResearchStudy"]);
    const rs = cs.rest[0].resource[0];
    expect(rs.interaction.map((i: Json) => i.code)).toEqual(["read", "search-type"]);
    expect(rs.searchParam.map((p: Json) => p.name)).toEqual([
      "_id",
      "identifier",
      "status",
      "condition",
      "focus",
      "keyword",
      "site",
      "_lastUpdated",
      "_count",
      "_offset",
      "_summary",
    ]);
    expect(cs.implementation.url).toBe(fhir);
  });
});

describe("search", () => {
  it("pages through everything with the client's next links: nothing twice, nothing missing; and back with previous", async () => {
    const seen: number[] = [];
    let bundle = (await client.search({ resourceType: "ResearchStudy", searchParams: { _count: 7 } })) as Json;
    const total = bundle.total;
    const pages: Json[] = [bundle];
    for (;;) {
      expect(bundle.type).toBe("searchset");
      expect(bundle.total).toBe(total);
      expect(bundle.link.find((l: Json) => l.relation === "self")).toBeTruthy();
      for (const e of bundle.entry ?? []) {
        expect(e.fullUrl).toBe(`${fhir}/ResearchStudy/${e.resource.id}`);
        seen.push(Number(e.resource.id));
      }
      const next = client.nextPage({ bundle: bundle as never });
      if (!next) break;
      bundle = (await next) as Json;
      pages.push(bundle);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(publishedIds());
    expect(total).toBe(seen.length);
    expect(pages.length).toBe(Math.ceil(total / 7));
    // Back from the last page to the first.
    const back: number[] = [];
    for (;;) {
      back.unshift(...(bundle.entry ?? []).map((e: Json) => Number(e.resource.id)));
      const prev = client.prevPage({ bundle: bundle as never });
      if (!prev) break;
      bundle = (await prev) as Json;
    }
    expect(back).toEqual(seen);
  });

  it("_id", async () => {
    expect(await allIds({ _id: `${ids.full},${ids.noSites}` })).toEqual([ids.full, ids.noSites].sort((a, b) => a - b));
    expect(await allIds({ _id: `${ids.draft}` })).toEqual([]);
    expect(await allIds({ _id: "abc" })).toEqual([]);
  });

  it("identifier: each registry's system, a bare value, system| and a local id", async () => {
    for (const [system, value] of [
      [IDENTIFIER_SYSTEM.eudract, "2019-009999-12"],
      [IDENTIFIER_SYSTEM.isrctn, "ISRCTN99999999"],
      [IDENTIFIER_SYSTEM.rek, "2019/9999"],
      ["https://kliniskestudier.no/fhir/sid/local-id/ous", "ous-fhir-full"],
    ]) {
      expect(await allIds({ identifier: `${system}|${value}` }), system).toEqual([ids.full]);
    }
    expect(await allIds({ identifier: "isrctn99999999" })).toEqual([ids.full]);
    const demo = db.prepare("SELECT id FROM studies WHERE nct_id = 'NCT90000012'").pluck().get() as number;
    expect(await allIds({ identifier: `${IDENTIFIER_SYSTEM.nct}|NCT90000012` })).toEqual([demo]);
    expect(await allIds({ identifier: `${IDENTIFIER_SYSTEM.euCt}|2099-500012-31-00` })).toEqual([demo]);
    const withRek = await allIds({ identifier: `${IDENTIFIER_SYSTEM.rek}|` });
    expect(withRek).toContain(ids.full);
    expect(withRek).not.toContain(ids.noSites);
    // The withdrawn study is not searchable.
    expect(await allIds({ identifier: "ISRCTN99999998" })).toEqual([]);
  });

  it("status: derived now, R4 codes; the statuses partition all studies", async () => {
    const all = publishedIds();
    const byStatus = new Map<string, number[]>();
    for (const status of ["active", "approved", "temporarily-closed-to-accrual", "closed-to-accrual"]) {
      const bundle = (await client.search({
        resourceType: "ResearchStudy",
        searchParams: { status, _count: 100 },
      })) as Json;
      for (const e of bundle.entry ?? []) expect(e.resource.status).toBe(status);
      byStatus.set(status, await allIds({ status }));
    }
    expect([...byStatus.values()].flat().sort((a, b) => a - b)).toEqual(all);
    expect(byStatus.get("active")).toContain(ids.full);
    expect(byStatus.get("approved")).toContain(ids.noSites);
    expect(await allIds({ status: "completed" })).toEqual([]);
    expect((await allIds({ status: "active,approved" })).length).toBe(
      byStatus.get("active")!.length + byStatus.get("approved")!.length,
    );
  });

  it("condition (ICD-10 code, with system, or text) and keyword find the same study for patients, clinicians and researchers", async () => {
    const demo = db.prepare("SELECT id FROM studies WHERE nct_id = 'NCT90000012'").pluck().get() as number;
    const variants: Record<string, string>[] = [
      { condition: "C50" },
      { condition: "C50.9" },
      { condition: "urn:oid:2.16.578.1.12.4.1.1.7110|C509" },
      { condition: "brystkreft" },
      { "condition:text": "mammacancer" },
      { keyword: "brystkreft" },
      { keyword: "mammacancer" },
      { keyword: "brystkref" },
    ];
    for (const searchParams of variants) {
      expect(await allIds(searchParams), JSON.stringify(searchParams)).toContain(demo);
    }
    expect(await allIds({ condition: "K50" })).toContain(ids.full);
    expect(await allIds({ condition: "K50", identifier: "ISRCTN99999999" })).toEqual([ids.full]);
    // Repeated = AND, comma = OR.
    expect(await allIds({ keyword: "Crohns", _id: String(ids.full) })).toEqual([ids.full]);
    const either = await allIds({ condition: "K50,C50" });
    expect(either).toEqual(expect.arrayContaining([ids.full, demo]));
    expect(await allIds({ "condition:text": "zzzqqxxnotaword" })).toEqual([]);
  });

  it("site: studies with an active site at the organisation; a withdrawn site does not count", async () => {
    const atLovisenberg = await allIds({ site: "lovisenberg" });
    expect(atLovisenberg).toContain(ids.full);
    const bundle = (await client.search({
      resourceType: "ResearchStudy",
      searchParams: { site: "lovisenberg", _count: 100 },
    })) as Json;
    for (const e of bundle.entry ?? []) {
      const orgs = e.resource.contained
        .filter((c: Json) => c.resourceType === "Location")
        .map((l: Json) => l.identifier.find((i: Json) => i.system === ORGANISATION_ID_SYSTEM).value);
      expect(orgs).toContain("lovisenberg");
    }
    expect(await allIds({ site: "modum-bad" })).not.toContain(ids.droppedSite);
    expect(await allIds({ site: "Organization/ous", _id: String(ids.droppedSite) })).toEqual([ids.droppedSite]);
  });

  it("_lastUpdated with eq, ge, gt, le, lt", async () => {
    const resource = (await client.read({ resourceType: "ResearchStudy", id: String(ids.full) })) as Json;
    const last = resource.meta.lastUpdated as string;
    const only = (v: string) => allIds({ _id: String(ids.full), _lastUpdated: v });
    expect(await only(`eq${last}`)).toEqual([ids.full]);
    expect(await only(`ge${last}`)).toEqual([ids.full]);
    expect(await only(`le${last}`)).toEqual([ids.full]);
    expect(await only(`gt${last}`)).toEqual([]);
    expect(await only(`lt${last}`)).toEqual([]);
    // A date without a time is a day in Europe/Oslo (after 23:00 UTC that is the next UTC day).
    expect(await only(`le${osloDate(new Date(last))}`)).toEqual([ids.full]);
    expect(await only(`lt${osloDate(new Date(last))}`)).toEqual([]);
    expect((await allIds({ _lastUpdated: "ge2000-01-01" })).length).toBe(publishedIds().length);
    expect(await allIds({ _lastUpdated: `gt${day(2)}` })).toEqual([]);
    // ge and le together (repeated = AND): a window around now.
    expect(await allIds({ _id: String(ids.full), _lastUpdated: [`ge${day(-1)}`, `le${day(1)}`] })).toEqual([ids.full]);
  });

  it("_count, _offset and _summary=count; total and links", async () => {
    const total = publishedIds().length;
    let r = await get("/ResearchStudy?_summary=count");
    expect(r.body).toMatchObject({ resourceType: "Bundle", type: "searchset", total });
    expect(r.body.entry).toBeUndefined();
    r = await get("/ResearchStudy?_count=0");
    expect(r.body.total).toBe(total);
    expect(r.body.entry).toBeUndefined();
    r = await get("/ResearchStudy?_count=1000");
    expect(r.body.entry).toHaveLength(Math.min(100, total));
    expect(r.body.link.find((l: Json) => l.relation === "self").url).toBe(`${fhir}/ResearchStudy?_count=100`);
    r = await get("/ResearchStudy?_count=5&_offset=10");
    expect(r.body.entry.map((e: Json) => Number(e.resource.id))).toEqual(publishedIds().slice(10, 15));
    const rel = (rel: string) => r.body.link.find((l: Json) => l.relation === rel)?.url;
    expect(rel("previous")).toBe(`${fhir}/ResearchStudy?_count=5&_offset=5`);
    expect(rel("next")).toBe(`${fhir}/ResearchStudy?_count=5&_offset=15`);
    expect(rel("first")).toBe(`${fhir}/ResearchStudy?_count=5`);
    r = await get("/ResearchStudy?_offset=100000");
    expect(r.status).toBe(200);
    expect(r.body.entry).toBeUndefined();
    expect(r.body.link.some((l: Json) => l.relation === "next")).toBe(false);
  });
});

describe("the resource", () => {
  it("carries per-site recruitment periods and statuses the ECLAIRE way, plus R5 progressStatus", async () => {
    const r = (await client.read({ resourceType: "ResearchStudy", id: String(ids.full) })) as Json;
    expect(Client.httpFor(r as never).response?.headers.get("content-type")).toBe(
      "application/fhir+json; charset=utf-8",
    );
    expect(r.status).toBe("active");
    const siteStudies = r.contained.filter((c: Json) => c.resourceType === "ResearchStudy");
    expect(siteStudies).toHaveLength(7);
    const byStatus = siteStudies.map((s: Json) => s.status).sort();
    expect(byStatus).toEqual([
      "active",
      "active",
      "approved",
      "approved",
      "closed-to-accrual",
      "closed-to-accrual",
      "temporarily-closed-to-accrual",
    ]);
    for (const s of siteStudies) {
      expect(s.partOf).toEqual([{ reference: "#" }]);
      const period = s.extension?.find((e: Json) => e.url === EXTENSION.eclaireRecruitmentPeriod)?.valuePeriod;
      const progress = s.extension?.filter((e: Json) => e.url === EXTENSION.r5ProgressStatus) ?? [];
      if (period) expect(progress.length).toBeGreaterThan(0);
    }
    const overall = r.extension.find((e: Json) => e.url === EXTENSION.eclaireRecruitmentPeriod).valuePeriod;
    expect(overall).toEqual({ start: day(-400) });
    expect(r.extension.some((e: Json) => e.url === EXTENSION.r5Recruitment)).toBe(true);
  });

  it("ETag and If-None-Match → 304", async () => {
    const first = await fetch(`${fhir}/ResearchStudy/${ids.full}`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get("last-modified")).toBeTruthy();
    const again = await fetch(`${fhir}/ResearchStudy/${ids.full}`, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
  });
});

describe("errors are OperationOutcomes", () => {
  const expectOutcome = (
    r: { status: number; type: string | null; body: Json },
    status: number,
    diagnostics?: RegExp,
  ) => {
    expect(r.status).toBe(status);
    expect(r.type).toBe("application/fhir+json; charset=utf-8");
    expect(r.body.resourceType).toBe("OperationOutcome");
    expect(r.body.issue.length).toBeGreaterThan(0);
    if (diagnostics) expect(r.body.issue.map((i: Json) => i.diagnostics).join(" | ")).toMatch(diagnostics);
  };

  it("unknown id → 404, draft → 404, withdrawn after publication → 410, malformed id → 400", async () => {
    expectOutcome(await get("/ResearchStudy/99999999"), 404, /finnes ikke/);
    expectOutcome(await get("/ResearchStudy/abc"), 404);
    expectOutcome(await get(`/ResearchStudy/${ids.draft}`), 404);
    expectOutcome(await get(`/ResearchStudy/${ids.withdrawnAfterPublish}`), 410, /trukket tilbake/);
    expectOutcome(await get("/ResearchStudy/a%20b"), 400, /^id: /);
    // The client sees the same as an error with the OperationOutcome.
    const error = (await client.read({ resourceType: "ResearchStudy", id: "99999999" }).catch((e: unknown) => e)) as {
      response: { status: number; data: Json };
    };
    expect(error.response.status).toBe(404);
    expect(error.response.data.resourceType).toBe("OperationOutcome");
  });

  it("hostile and bad parameter values → 400 saying which parameter and why", async () => {
    const cases: [string, RegExp][] = [
      ["_id=1;DROP TABLE studies", /^_id: /],
      ["identifier=https://clinicaltrials.gov|NCT1", /^identifier: .*NCT-nummer/],
      ["identifier=urn:evil|' OR 1=1 --", /^identifier: ukjent identifikatorsystem/],
      ["status=open", /^status: «open»/],
      ["status:not=active", /^status:not: modifikatoren/],
      ["condition=http://loinc.org|1234-5", /^condition: kodesystemet/],
      ["condition=http://snomed.info/sct|brystkreft", /^condition: .*SNOMED CT/],
      [`keyword=${"a".repeat(201)}`, /^keyword: /],
      [`keyword=${"a".repeat(5000)}`, /^keyword: verdien er 5000 tegn/],
      ["site=../../etc/passwd", /^site: /],
      ["site=finnes-ikke", /^site: ukjent organisasjon/],
      ["_lastUpdated=ge2026-13-01", /^_lastUpdated: /],
      ["_lastUpdated=ap2026", /^_lastUpdated: prefikset/],
      ["_lastUpdated=%00", /^_lastUpdated: /],
      ["_count=-1", /^_count: /],
      ["_count=1e3", /^_count: /],
      ["_offset=abc", /^_offset: /],
      ["_summary=true", /^_summary: /],
      [Array.from({ length: 120 }, (_, i) => `status=active&x${i}=1`).join("&"), /for mange parametere/],
    ];
    for (const [query, diagnostics] of cases) {
      const r = await get(`/ResearchStudy?${query.replace(/ /g, "%20").replace(/'/g, "%27")}`);
      expect(r.status, query.slice(0, 80)).toBe(400);
      expectOutcome(r, 400, diagnostics);
    }
  });

  it("odd but legal free text never breaks the search (200, a Bundle)", async () => {
    for (const text of [
      '"',
      "*",
      "a OR b",
      "NEAR(a b)",
      "'; DROP TABLE studies; --",
      "%",
      "\\",
      "😀 ærøå",
      "<script>alert(1)</script>",
      "C",
      "(((",
      "-",
    ]) {
      for (const param of ["keyword", "condition:text"]) {
        const r = await get(`/ResearchStudy?${param}=${encodeURIComponent(text)}`);
        expect(r.status, `${param}=${text}`).toBe(200);
        expect(r.body.resourceType).toBe("Bundle");
      }
    }
  });

  it("unknown parameters: ignored with a warning in the Bundle, or 400 with Prefer: handling=strict", async () => {
    const lenient = await get("/ResearchStudy?foo=bar&_sort=title&_count=1");
    expect(lenient.status).toBe(200);
    const outcome = lenient.body.entry.find((e: Json) => e.search.mode === "outcome");
    expect(outcome.resource.issue[0]).toMatchObject({ severity: "warning", code: "not-supported" });
    expect(outcome.resource.issue[0].diagnostics).toContain("foo, _sort");
    expect(lenient.body.link.find((l: Json) => l.relation === "self").url).toBe(`${fhir}/ResearchStudy?_count=1`);
    expectOutcome(await get("/ResearchStudy?foo=bar", { Prefer: "handling=strict" }), 400, /^foo: ukjent/);
  });

  it("other paths, methods and formats", async () => {
    expectOutcome(await get("/Patient"), 404);
    expectOutcome(await get("/ResearchStudy/1/_history"), 404);
    expectOutcome(await get("/ResearchStudy?_format=xml"), 406);
    expectOutcome(await get("/metadata", { Accept: "application/fhir+xml" }), 406);
    expectOutcome(await get("/ResearchStudy?_format=foo"), 400, /^_format: /);
    const post = await fetch(`${fhir}/ResearchStudy`, {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/fhir+json" },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("content-type")).toBe("application/fhir+json; charset=utf-8");
    expect(((await post.json()) as Json).resourceType).toBe("OperationOutcome");
    const preflight = await fetch(`${fhir}/ResearchStudy`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    for (const p of ["/metadata", "/ResearchStudy", `/ResearchStudy/${ids.full}`]) {
      const r = await get(p, { Accept: "application/fhir+json" });
      expect(r.status).toBe(200);
      expect(r.type).toBe("application/fhir+json; charset=utf-8");
      expect(r.res.headers.get("access-control-allow-origin")).toBe("*");
    }
  });
});

describe("round trip: our FHIR export, read with fhir-kit-client → our FHIR ingest gives the same study", () => {
  let target: TestDb;
  beforeAll(() => {
    target = freshDb();
  });
  afterAll(() => target.cleanup());

  const comparable = (s: StudyRecord) => ({
    identifiers: s.identifiers,
    title: s.title,
    shortTitle: s.shortTitle,
    summary: s.summary,
    studyType: s.studyType,
    phase: s.phase,
    conditions: s.conditions,
    icd10: s.icd10,
    snomed: s.snomed,
    eligibility: {
      sex: s.eligibility.sex,
      minAgeYears: s.eligibility.minAgeYears,
      maxAgeYears: s.eligibility.maxAgeYears,
    },
    sponsor: s.sponsor,
    targetEnrolment: s.targetEnrolment,
    leadOrganisationId: s.leadOrganisationId,
    publicationState: s.publicationState,
    sites: s.sites
      .filter((x) => !x.withdrawn)
      .map((x) => ({
        organisationId: x.organisationId,
        hospitalId: x.hospitalId,
        inclusionStart: x.inclusionStart,
        inclusionEnd: x.inclusionEnd,
        paused: x.paused,
        pauseReason: x.paused ? x.pauseReason : null,
        // A place that is no registered organisation, and a status its source declared, come back.
        name: x.organisationId == null ? x.name : null,
        // The status now, whatever it rests on (a stale declaration travels as "unknown").
        status: siteStatus(x, new Date()),
      }))
      .sort((a, b) =>
        `${a.organisationId}/${a.hospitalId ?? ""}/${a.name ?? ""}`.localeCompare(
          `${b.organisationId}/${b.hospitalId ?? ""}/${b.name ?? ""}`,
        ),
      ),
  });

  it("reads a searchset page as it is (the mapper understands our Bundle)", async () => {
    const bundle = (await client.search({
      resourceType: "ResearchStudy",
      searchParams: { _count: 10, foo: "ignored" },
    })) as Json;
    const mapped = mapInput("fhir", Buffer.from(JSON.stringify(bundle)), buildMapContext(target.db, "ous"));
    expect(mapped.rejected).toEqual([]);
    expect(mapped.records.map((r) => r.externalId)).toEqual(
      bundle.entry.filter((e: Json) => e.search.mode === "match").map((e: Json) => e.resource.id),
    );
  });

  it("every published study, exported and ingested into a fresh database, is the same study", async () => {
    const resources: Json[] = [];
    let bundle = (await client.search({ resourceType: "ResearchStudy", searchParams: { _count: 25 } })) as Json;
    for (;;) {
      for (const e of bundle.entry ?? []) resources.push(e.resource);
      const next = client.nextPage({ bundle: bundle as never });
      if (!next) break;
      bundle = (await next) as Json;
    }
    // And one by read, as a client fetching a single study would.
    resources[resources.findIndex((r) => Number(r.id) === ids.full)] = (await client.read({
      resourceType: "ResearchStudy",
      id: String(ids.full),
    })) as Json;
    expect(resources.length).toBe(publishedIds().length);

    // Each organisation sends the studies it leads (the lead owns the shared fields).
    const byLead = new Map<string, Json[]>();
    for (const r of resources) {
      const lead = getStudy(db, Number(r.id))!.leadOrganisationId;
      byLead.set(lead, [...(byLead.get(lead) ?? []), r]);
    }
    for (const [org, list] of byLead) {
      const feed = { resourceType: "Bundle", type: "collection", entry: list.map((resource) => ({ resource })) };
      const mapped = mapInput("fhir", Buffer.from(JSON.stringify(feed)), buildMapContext(target.db, org));
      expect(mapped.rejected, org).toEqual([]);
      const report = ingestBatch(target.db, mapped, { organisationId: org, format: "fhir", mode: "partial" });
      expect(report.rejected, JSON.stringify(report.rejections)).toBe(0);
      expect(report.created).toBe(list.length);
    }

    for (const r of resources) {
      const original = getStudy(db, Number(r.id))!;
      const lead = original.leadOrganisationId;
      const copyId = findStudyIdByProvenance(target.db, { sourceId: feedSourceId(lead, "fhir"), externalId: r.id });
      expect(copyId, `study ${r.id}`).not.toBeNull();
      const copy = getStudy(target.db, copyId!)!;
      const expected = comparable(original);
      // A study without sites comes back without sites: the sender is never made a site.
      expect(comparable(copy), `study ${r.id}`).toEqual(expected);
    }
    // The crafted study really exercised every kind of site.
    const full = comparable(getStudy(db, ids.full)!);
    expect(full.sites.some((s) => s.paused && s.inclusionEnd && s.inclusionEnd < today)).toBe(true);
    expect(full.identifiers).toMatchObject({ eudract: "2019-009999-12", isrctn: "ISRCTN99999999", rek: "2019/9999" });
  });
});
