/**
 * Studies on diagnosis and treatment pages (issue 19 item 7) over real HTTP against the built
 * server on a real SQLite file (demo seed + studies saved here): the embed /embed/studies, the
 * open API /api/v1/open-studies (checked against the OpenAPI document) and the FHIR search
 * parameters condition (SNOMED CT, ICPC-2) and focus (treatment name).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyInput } from "#app/domain/study";
import { PUBLIC_BASE, startApiServer, type ApiServer } from "../helpers/api-server";
import { saveStudyOrThrow } from "../helpers/studies";

let api: ApiServer;
const ids: Record<"oslo" | "tromso" | "closed" | "draft" | "ear", number> = {
  oslo: 0,
  tromso: 0,
  closed: 0,
  draft: 0,
  ear: 0,
};
const SNOMED = "999000111";
const actor = { kind: "user" as const, id: "u-1", name: "Test Testesen" };

function study(rek: string, overrides: Partial<StudyInput>): StudyInput {
  return {
    identifiers: { rek },
    title: { nb: "Testtittel" },
    summary: { nb: "Et kort sammendrag for pasienter." },
    studyType: "treatment",
    categories: ["congenital"],
    conditions: ["Marfans syndrom"],
    icd10: ["Q871"],
    leadOrganisationId: "ous",
    sites: [],
    publicationState: "published",
    ...overrides,
  };
}

beforeAll(async () => {
  api = await startApiServer({
    env: { API_RATE_LIMIT_PER_MINUTE: "0" },
    prepare: (db) => {
      const save = (key: keyof typeof ids, input: StudyInput) => {
        const result = saveStudyOrThrow(db, input, { actor });
        ids[key] = result.studyId;
      };
      save(
        "oslo",
        study("977001", {
          title: { nb: "Oslostudien om bindevev", nn: "Oslostudien om bindevev på nynorsk" },
          snomed: [SNOMED],
          interventions: [{ type: "drug", name: "Zyxoplan 50 mg" }],
          sites: [
            {
              organisationId: "ous",
              hospitalId: "ous-rikshospitalet",
              inclusionStart: "2020-01-01",
              inclusionEnd: "2099-01-01",
              contact: { name: "Studiesykepleier Oslo", email: "oslo@example.no" },
            },
            // Planned: not shown (only what is open now).
            { organisationId: "st-olavs", inclusionStart: "2098-03-01", inclusionEnd: "2099-03-01" },
          ],
        }),
      );
      save(
        "tromso",
        study("977002", {
          title: { nb: "Tromsøstudien om bindevev" },
          // A registry's English summary, and the hospital's page: no Norwegian summary yet.
          summary: { en: "A summary that exists in English only." },
          links: [{ url: "https://example.no/studier/tromso", label: "Sykehusets side om studien" }],
          icd10: ["Q874"],
          sites: [
            {
              organisationId: "unn",
              hospitalId: "unn-tromso",
              inclusionStart: "2020-01-01",
              inclusionEnd: "2099-12-31",
            },
          ],
        }),
      );
      save(
        "closed",
        study("977003", {
          title: { nb: "Avsluttet bindevevsstudie" },
          snomed: [SNOMED],
          sites: [{ organisationId: "ous", inclusionStart: "2018-01-01", inclusionEnd: "2019-12-31" }],
        }),
      );
      // Found only by the words of an ICPC-2 name that no synonym group ties to ICD-10 (H80).
      save(
        "ear",
        study("977005", {
          title: { nb: "Medfødt feil i øret hos barn" },
          conditions: ["Medfødt misdannelse av øret"],
          icd10: ["Q16"],
          sites: [{ organisationId: "ous", inclusionStart: "2020-01-01", inclusionEnd: "2099-01-01" }],
        }),
      );
      save(
        "draft",
        study("977004", {
          title: { nb: "Utkast om bindevev" },
          publicationState: "draft",
          sites: [{ organisationId: "ous", inclusionStart: "2020-01-01", inclusionEnd: "2099-01-01" }],
        }),
      );
    },
  });
});
afterAll(async () => {
  await api?.stop();
});

interface OpenStudies {
  key: { kind: string; value: string; name: string | null; readAs: string | null };
  lang: string;
  near: { postcode: string; place: string } | null;
  order: string;
  total: number;
  studies: {
    id: number;
    title: string;
    titleLang: string;
    summary: string | null;
    summaryLang: string | null;
    nearestKm: number | null;
    webUrl: string;
    sites: { place: string; distanceKm: number | null; statusText: string }[];
  }[];
  links: { self: string; html: string };
}

async function openStudies(query: string): Promise<OpenStudies> {
  const res = await api.get(`/api/v1/open-studies?${query}`);
  expect(res.status, query).toBe(200);
  const body = (await res.clone().json()) as OpenStudies;
  api.conformance.check("/api/v1/open-studies", "get", 200, "application/json", body);
  return body;
}

describe("GET /api/v1/open-studies", () => {
  it("ICD-10: only published studies open now, with codes under the prefix; only their open sites", async () => {
    const body = await openStudies("icd10=Q87");
    expect(body.studies.map((s) => s.id).sort()).toEqual([ids.oslo, ids.tromso].sort());
    expect(body.total).toBe(2);
    expect(body.key).toMatchObject({ kind: "icd10", value: "Q87" });
    // The code list has the Norwegian names of the full codes (Q871), not of every prefix.
    expect(body.key.name).toBeNull();
    const oslo = body.studies.find((s) => s.id === ids.oslo)!;
    expect(oslo.sites.map((s) => s.place)).toEqual(["Rikshospitalet"]);
    expect(oslo.webUrl).toBe(`${PUBLIC_BASE}/pasient/studier/${ids.oslo}`);
    // Without a postcode: the one that stops recruiting first comes first.
    expect(body.order).toBe("closing");
    expect(body.studies[0]!.id).toBe(ids.oslo);
    // "Q87.1" with its dot is the same code as Q871, named from the shipped ICD-10 list.
    const one = await openStudies("icd10=q87.1");
    expect(one.studies.map((s) => s.id)).toEqual([ids.oslo]);
    expect(one.key).toMatchObject({ value: "Q871", name: expect.stringMatching(/^Medfødte misd/) });
  });

  it("with a postcode the nearest open site comes first, with its distance", async () => {
    const north = await openStudies("icd10=Q87&postcode=9008");
    expect(north.order).toBe("distance");
    expect(north.near).toMatchObject({ postcode: "9008" });
    expect(north.studies.map((s) => s.id)).toEqual([ids.tromso, ids.oslo]);
    expect(north.studies[0]!.nearestKm).toBeLessThan(20);
    expect(north.studies[1]!.nearestKm).toBeGreaterThan(1000);
    const south = await openStudies("icd10=Q87&postcode=0450");
    expect(south.studies.map((s) => s.id)).toEqual([ids.oslo, ids.tromso]);
  });

  it("SNOMED CT id and treatment name find the study; closed studies and drafts never", async () => {
    expect((await openStudies(`snomed=${SNOMED}`)).studies.map((s) => s.id)).toEqual([ids.oslo]);
    expect((await openStudies("treatment=zyxoPLAN")).studies.map((s) => s.id)).toEqual([ids.oslo]);
    expect((await openStudies("treatment=finnes-ikke-noe-sted")).studies).toEqual([]);
  });

  it("ICPC-2 is read as the ICD-10 codes of the same concept and says so (K75 → I21, I22)", async () => {
    const body = await openStudies("icpc2=K75");
    expect(body.key.readAs).toContain("I21");
    expect(body.studies.length).toBeGreaterThan(0);
    const ndjson = await (await api.get("/api/v1/export/studies.ndjson")).text();
    const expected = ndjson
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: number; icd10: { code: string }[]; sites: { status: string }[] })
      .filter((s) => s.icd10.some((c) => /^I2[12]/.test(c.code)) && s.sites.some((x) => x.status === "open"))
      .map((s) => s.id)
      .sort((a, b) => a - b);
    expect(body.studies.map((s) => s.id).sort((a, b) => a - b)).toEqual(expected);
  });

  it("an ICPC-2 code no concept ties to ICD-10 is searched by its Norwegian name, and says so (H80)", async () => {
    const body = await openStudies("icpc2=H80");
    expect(body.key.name).toBe("Medfødt feil øre");
    expect(body.key.readAs).toContain("Medfødt feil øre");
    const found = body.studies.map((s) => s.id);
    expect(found).toContain(ids.ear);
    expect(found).not.toContain(ids.oslo);
    expect(found).not.toContain(ids.tromso);
  });

  it("texts in the language asked for, falling back with the language named", async () => {
    const nn = await openStudies("icd10=Q87&lang=nn");
    const oslo = nn.studies.find((s) => s.id === ids.oslo)!;
    expect(oslo).toMatchObject({ title: "Oslostudien om bindevev på nynorsk", titleLang: "nn" });
    expect(oslo.webUrl).toBe(`${PUBLIC_BASE}/pasient/studier/${ids.oslo}?lang=nn`);
    const tromso = nn.studies.find((s) => s.id === ids.tromso)!;
    expect(tromso).toMatchObject({ titleLang: "nb", summaryLang: "en" });
    expect(tromso.sites[0]!.statusText).toBe("Open for inklusjon til 31. desember 2099");
  });

  it("bad input: a clear 400 naming the parameter (none, two keys, bad code, unknown ICPC-2, unknown postcode)", async () => {
    const cases: [string, string, RegExp][] = [
      ["", "icd10", /oppgi én av icd10, icpc2, snomed eller treatment/],
      ["icd10=Q87&snomed=123456", "snomed", /bare én/],
      ["icd10=brystkreft", "icd10", /ICD-10-kode/],
      ["snomed=12ab", "snomed", /SNOMED CT/],
      ["icpc2=Z99", "icpc2", /ukjent ICPC-2-kode/],
      ["icd10=Q87&postcode=0000", "postcode", /ukjent postnummer/],
      ["icd10=Q87&lang=de", "lang", /nb, nn eller en/],
      ["icd10=Q87&q=x", "q", /ukjent parameter/],
    ];
    for (const [query, name, message] of cases) {
      const res = await api.get(`/api/v1/open-studies?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { details: { parameters: { name: string; message: string }[] } } };
      api.conformance.check("/api/v1/open-studies", "get", 400, "application/json", body);
      expect(body.error.details.parameters[0], query).toMatchObject({ name });
      expect(body.error.details.parameters[0]!.message, query).toMatch(message);
    }
  });
});

describe("GET /embed/studies", () => {
  it("a light page without scripts, in the language asked for, marks English text and says it is English only", async () => {
    const res = await api.get("/embed/studies?icd10=Q87&postcode=9008&lang=nn");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="nn">/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("<h1>Kliniske studiar som tek inn deltakarar no</h1>");
    expect(html).toContain("Nærast stad først, rekna frå postnummer 9008");
    // Nearest first: Tromsø before Oslo.
    expect(html.indexOf("Tromsøstudien")).toBeLessThan(html.indexOf("Oslostudien"));
    expect(html).toContain('<p lang="en">A summary that exists in English only.</p>');
    expect(html).toContain("Samandraget finst berre på engelsk enno.");
    // The bokmål title on a nynorsk page is marked too.
    expect(html).toMatch(/<h2 id="study-\d+" lang="nb"><a [^>]+>Tromsøstudien om bindevev<\/a><\/h2>/);
    expect(html).toMatch(/km unna/);
    const again = await api.get("/embed/studies?icd10=Q87&postcode=9008&lang=nn", {
      "If-None-Match": res.headers.get("etag")!,
    });
    expect(again.status).toBe(304);
  });

  it("English page; an empty list says so; bad input is a 400 page that says which parameter and why", async () => {
    const en = await (await api.get(`/embed/studies?snomed=${SNOMED}&lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("<h1>Clinical studies recruiting now</h1>");
    expect(en).toContain("SNOMED CT 999000111.");
    const empty = await (await api.get("/embed/studies?treatment=finnes-ikke-noe-sted")).text();
    expect(empty).toContain("Ingen studier tar inn deltakere for dette akkurat nå.");
    const bad = await api.get("/embed/studies?icd10=Q87&postcode=12");
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("<h1>Kan ikke vise studiene</h1>");
    expect(page).toMatch(/postcode/);
    expect(page).not.toMatch(/<script/i);
  });
});

describe("FHIR ResearchStudy: condition by SNOMED CT and ICPC-2, focus by treatment name", () => {
  const fhirIds = async (query: string) => {
    const res = await api.get(`/fhir/ResearchStudy?${query}`);
    expect(res.status, query).toBe(200);
    const bundle = (await res.json()) as { entry?: { resource: { resourceType: string; id?: string } }[] };
    return (bundle.entry ?? [])
      .filter((e) => e.resource.resourceType === "ResearchStudy")
      .map((e) => Number(e.resource.id))
      .sort((a, b) => a - b);
  };

  it("finds the same studies as the embed's lookups (all statuses: FHIR filters status itself)", async () => {
    expect(await fhirIds(`condition=${encodeURIComponent(`http://snomed.info/sct|${SNOMED}`)}`)).toEqual(
      [ids.oslo, ids.closed].sort((a, b) => a - b),
    );
    expect(await fhirIds(`condition=${encodeURIComponent(`http://snomed.info/sct|${SNOMED}`)}&status=active`)).toEqual([
      ids.oslo,
    ]);
    expect(await fhirIds("focus=zyxoplan")).toEqual([ids.oslo]);
    expect(await fhirIds("focus:text=ZYXOPLAN")).toEqual([ids.oslo]);
    const icpc = await fhirIds(`condition=${encodeURIComponent("urn:oid:2.16.578.1.12.4.1.1.7170|K75")}`);
    const icd = await fhirIds("condition=I21,I22");
    expect(icpc.length).toBeGreaterThan(0);
    expect(icpc).toEqual(icd);
  });

  it("a malformed SNOMED id or ICPC-2 code is a 400 OperationOutcome naming condition", async () => {
    for (const value of ["http://snomed.info/sct|abc", "urn:oid:2.16.578.1.12.4.1.1.7170|X"]) {
      const res = await api.get(`/fhir/ResearchStudy?condition=${encodeURIComponent(value)}`);
      expect(res.status, value).toBe(400);
      const outcome = (await res.json()) as { issue: { diagnostics: string }[] };
      expect(outcome.issue[0]!.diagnostics).toMatch(/^condition: /);
    }
  });
});
