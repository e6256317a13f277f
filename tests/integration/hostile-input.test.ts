/**
 * Hostile input against the real built server on a real SQLite file: script and HTML payloads in
 * every text field of studies ingested for real (native, ClinicalTrials.gov JSON and CSV, FHIR,
 * CTIS CSV) and then read back from every page and feed that shows them; search-engine and SQL
 * syntax in every search box; path traversal; oversized, deeply nested, mis-encoded and absurd
 * ingest bodies (each rejection names record, field and reason and leaves stored data as it was);
 * hostile sign-in form values and headers.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { parseFeed } from "feedsmith";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { getStudy } from "~/models/study.server";
import { issueToken } from "~/models/token.server";
import { createPeople, PASSWORD, PEOPLE } from "../helpers/accounts";
import { startApiServer, type ApiServer } from "../helpers/api-server";

const DATA = path.resolve("../shared/data");
const SCRIPT = "<script>alert(1)</script>";
const ATTR = `"><img src=x onerror=alert(1)>`;
const SVG = `'><svg onload=alert(1)>`;
/** One payload per text field; the marker makes each study findable by search. */
const xss = (marker: string) => `${marker} ${SCRIPT}${ATTR}${SVG}`;
const FORMULA = "=cmd|' /C calc'!A0";

let api: ApiServer;
let token = "";
let hostileId = 0;
let formulaId = 0;

const NATIVE_MARKER = "Zyxhostil";

/** A study with a payload in every text field the native format has. */
function hostileNative(id: string, marker: string) {
  const p = xss(marker);
  return {
    id,
    tittel: `${p} tittel`,
    tittel_nn: `${p} nn`,
    tittel_en: `${p} en`,
    kort_tittel: `${p} kort`,
    sammendrag: `${p} sammendrag\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injisert`,
    sammendrag_nn: `${p} sammendrag nn`,
    sammendrag_en: `${p} summary en`,
    vitenskapelig_sammendrag: `${p} vitenskapelig`,
    deltakelse: `${p} deltakelse`,
    inklusjonskriterier: `${p} inklusjon`,
    eksklusjonskriterier: `${p} eksklusjon`,
    sponsor: `${p} sponsor`,
    studieansvarlig: { navn: `${p} PI`, tittel: `${p} professor` },
    kontakter: [{ navn: `${p} kontakt`, epost: "studie@example.no", telefon: ATTR }],
    relaterte_behandlinger: [`${p} behandling`],
    kategorier: [`${p} kategori`],
    lenke: `https://example.no/studie?x="><script>alert(1)</script>`,
    studietype: "behandling",
    fase: "3",
    alder_min: 18,
    alder_maks: 80,
    identifikatorer: { rek: "765432" },
    studiesteder: [
      {
        foretak: "st-olavs",
        inklusjon_start: "2026-01-01",
        inklusjon_slutt: "2028-12-31",
        kontakt: { navn: `${p} stedkontakt`, epost: "sted@example.no", telefon: "+47 12345678" },
        henvisning: `${p} henvisning`,
      },
    ],
  };
}

function send(method: string, body: string | Buffer | ReadableStream, query = "?format=native", headers: Record<string, string> = {}) {
  return fetch(api.url(`/api/v1/organisations/st-olavs/studies${query}`), {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body,
    // A stream needs half-duplex; harmless for the rest.
    duplex: "half",
  } as RequestInit);
}

/** Every stored row that describes studies, for "nothing changed" comparisons. */
function storedState(db: Db) {
  return {
    studies: db.prepare("SELECT * FROM studies ORDER BY id").all(),
    sites: db.prepare("SELECT * FROM study_sites ORDER BY id").all(),
    versions: db.prepare("SELECT study_id, version FROM study_versions ORDER BY study_id, version").all(),
  };
}

/** HTML where the payload must be text, not markup: no tag or attribute from it survives. */
function expectInertHtml(html: string, where: string) {
  expect(html, where).not.toContain(SCRIPT);
  expect(html, where).not.toMatch(/<img[^>]*onerror/i);
  expect(html, where).not.toMatch(/<svg[^>]*onload/i);
  expect(html, where).not.toMatch(/(href|src)\s*=\s*["']?\s*javascript:/i);
}

/** The study whose title (any language) matches a LIKE pattern. */
function titled(pattern: string): number | undefined {
  return api.db().prepare("SELECT study_id FROM study_texts WHERE field = 'title' AND text LIKE ? ORDER BY study_id DESC").pluck().get(pattern) as number | undefined;
}

async function page(p: string, headers: Record<string, string> = {}) {
  const res = await api.get(p, headers);
  const body = await res.text();
  return { res, body };
}

beforeAll(async () => {
  api = await startApiServer({
    env: { INGEST_MAX_BYTES: String(2 * 1024 * 1024), API_RATE_LIMIT_PER_MINUTE: "0", SESSION_SECRET: "h".repeat(40) },
    prepare: (db) => {
      token = issueToken(db, "st-olavs", "hostile").token;
    },
  });
  // Accounts for the editor pages (written straight to the file; the server reads it per request).
  await createPeople(api.db());
  const res = await send("POST", JSON.stringify([hostileNative("H1", NATIVE_MARKER), { ...hostileNative("H2", "Qformula"), tittel: FORMULA, sponsor: "+SUM(A1:A9)", kort_tittel: "@kort", identifikatorer: { rek: "765433" } }]));
  const report = (await res.json()) as { created: number; rejected: number; rejections: unknown[] };
  expect(report, JSON.stringify(report.rejections)).toMatchObject({ created: 2, rejected: 0 });
  hostileId = titled(`${NATIVE_MARKER} %`)!;
  formulaId = titled(FORMULA)!;
  await api.indexed();
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

describe("a study with a payload in every text field, read back everywhere", () => {
  it("is stored verbatim (nothing stripped, nothing lost)", () => {
    const study = getStudy(api.db(), hostileId)!;
    expect(study.title.nb).toBe(`${xss(NATIVE_MARKER)} tittel`);
    expect(study.sponsor).toBe(`${xss(NATIVE_MARKER)} sponsor`);
    expect(study.sites[0]!.referral).toBe(`${xss(NATIVE_MARKER)} henvisning`);
  });

  it.each([
    ["patient page", () => `/pasient/studier/${hostileId}`],
    ["patient page (nn)", () => `/pasient/studier/${hostileId}?lang=nn`],
    ["patient page (en)", () => `/pasient/studier/${hostileId}?lang=en`],
    ["clinician page", () => `/helsepersonell/studier/${hostileId}`],
    ["patient search", () => `/pasient?q=${NATIVE_MARKER}&status=alle`],
    ["clinician search", () => `/helsepersonell?q=${NATIVE_MARKER}`],
    ["embed HTML", () => `/embed/organisations/st-olavs`],
    ["front page", () => `/`],
  ])("%s renders the payload as text", async (name, p) => {
    const { res, body } = await page(p());
    expect(res.status, name).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expectInertHtml(body, name);
    if (name !== "front page") expect(body, `${name} shows the escaped text`).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("the link with a payload in its query stays one attribute", async () => {
    const { body } = await page(`/pasient/studier/${hostileId}`);
    const anchor = /<a [^>]*href="https:\/\/example\.no\/studie[^"]*"[^>]*>/.exec(body);
    expect(anchor, "the study link is shown").not.toBeNull();
    expect(anchor![0]).not.toContain("<script");
    expect(anchor![0]).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("the referral .txt is plain text with the payload as written", async () => {
    const { res, body } = await page(`/helsepersonell/studier/${hostileId}/henvisning.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(body).toContain(`${xss(NATIVE_MARKER)} tittel`);
  });

  it.each([
    ["all changes", () => "/feeds/studies.atom"],
    ["search", () => `/feeds/search.atom?q=${NATIVE_MARKER}`],
    ["organisation", () => "/feeds/organisations/st-olavs.atom"],
  ])("Atom feed (%s) escapes the payload and reads back intact", async (name, p) => {
    const { res, body } = await page(p());
    expect(res.status, name).toBe(200);
    expect(body).not.toContain(SCRIPT);
    expect(body).not.toMatch(/<img[^>]*onerror/i);
    const feed = parseFeed(body);
    expect(feed.format).toBe("atom");
    const titles = ((feed.feed as { entries?: { title?: { value?: string } }[] }).entries ?? []).map((e) => e.title?.value ?? "");
    expect(titles.some((t) => t.includes(`${xss(NATIVE_MARKER)} tittel`)), `${name}: ${titles.slice(0, 3).join(" | ")}`).toBe(true);
  });

  it("iCalendar keeps the payload inside its property (no injected event)", async () => {
    const { res, body } = await page(`/feeds/search.ics?q=${NATIVE_MARKER}`);
    expect(res.status).toBe(200);
    const comp = new ICAL.Component(ICAL.parse(body));
    const events = comp.getAllSubcomponents("vevent");
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.getFirstPropertyValue("summary")).not.toBe("injisert");
    const described = events.map((e) => String(e.getFirstPropertyValue("description") ?? "") + String(e.getFirstPropertyValue("summary") ?? ""));
    expect(described.some((d) => d.includes(SCRIPT)), "the payload is kept as text").toBe(true);
    // Every event is one BEGIN/END pair: the CRLF in the summary did not open another one.
    expect(body.match(/^BEGIN:VEVENT\r$/gm)!.length).toBe(events.length);
  });

  it("JSON answers (API, FHIR, embed JSON) carry the payload as a JSON string, typed as JSON", async () => {
    for (const p of [`/api/v1/studies/${hostileId}`, `/api/v1/studies?q=${NATIVE_MARKER}`, `/fhir/ResearchStudy/${hostileId}`, `/fhir/ResearchStudy?keyword=${NATIVE_MARKER}`, "/embed/organisations/st-olavs.json"]) {
      const res = await api.get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("content-type"), p).toMatch(/json/);
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      const text = await res.text();
      expect(JSON.stringify(JSON.parse(text)), p).toContain(JSON.stringify(`${xss(NATIVE_MARKER)} tittel`).slice(1, -1));
    }
  });

  it("the CSV export neutralises formulas and quotes the payload", async () => {
    const res = await api.get("/api/v1/export/studies.csv");
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    const formula = rows.find((r) => r.id === String(formulaId))!;
    expect(formula.title_nb).toBe(`'${FORMULA}`);
    expect(formula.sponsor).toBe("'+SUM(A1:A9)");
    expect(formula.short_title_nb).toBe("'@kort");
    const hostile = rows.find((r) => r.id === String(hostileId))!;
    expect(hostile.title_nb).toBe(`${xss(NATIVE_MARKER)} tittel`);
    for (const r of rows) for (const cell of Object.values(r)) expect(cell, "no cell starts a formula").not.toMatch(/^[=+@\t\r]|^-[^\d]/);
  });
});

describe("registry formats with payloads in their text fields", () => {
  /** Editor pages show submitted registry studies; signed in as the admin (sees every study). */
  let cookie = "";
  beforeAll(async () => {
    const form = await fetch(api.url("/logg-inn"));
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const jar = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(api.url("/logg-inn"), {
      method: "POST",
      headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: PEOPLE.admin.email, password: PASSWORD, csrf, til: "/redaksjon" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    cookie = [jar, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  });

  async function ingestAndRead(format: string, body: string, contentType = "application/json", marker: string) {
    const res = await send("POST", body, `?format=${format}`, { "content-type": contentType });
    const report = (await res.json()) as { created?: number; rejections?: unknown[]; error?: unknown };
    expect(res.status, JSON.stringify(report).slice(0, 800)).toBe(200);
    expect(report.created, JSON.stringify(report.rejections).slice(0, 800)).toBeGreaterThan(0);
    const id = titled(`%${marker}%`)!;
    expect(id, "the study with the payload was stored").toBeTruthy();
    expect(getStudy(api.db(), id)!.title.nb).toBe(xss(marker));
    const editor = await fetch(api.url(`/redaksjon/studier/${id}`), { headers: { cookie } });
    const html = await editor.text();
    expect(editor.status).toBe(200);
    expectInertHtml(html, `${format} editor page`);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Where the registry text made the study public, its public page escapes the payload too.
    if (["published", "withdrawn"].includes(getStudy(api.db(), id)!.publicationState)) {
      const { res: pub, body } = await page(`/pasient/studier/${id}`);
      expect(pub.status).toBe(200);
      expectInertHtml(body, `${format} patient page`);
      const json = await api.get(`/api/v1/studies/${id}`);
      expect(((await json.json()) as { title: { nb: string } }).title.nb).toBe(xss(marker));
    }
  }

  it("ClinicalTrials.gov JSON", async () => {
    const studies = JSON.parse(readFileSync(path.join(DATA, "ctgov-v2/ctgov_v2_norway_subset.json"), "utf8")) as any[];
    const s = structuredClone(studies[0]);
    s.protocolSection.identificationModule.briefTitle = xss("Ctgovhostil");
    s.protocolSection.identificationModule.officialTitle = xss("Ctgovofficial");
    s.protocolSection.descriptionModule.briefSummary = xss("Ctgovsummary");
    s.protocolSection.eligibilityModule.eligibilityCriteria = `Inclusion Criteria:\n* ${SCRIPT}\n\nExclusion Criteria:\n* ${ATTR}`;
    await ingestAndRead("ctgov-json", JSON.stringify(s), "application/json", "Ctgovhostil");
  });

  it("FHIR ResearchStudy", async () => {
    const rs = JSON.parse(readFileSync(path.join(DATA, "fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json"), "utf8"));
    rs.title = xss("Fhirhostil");
    rs.description = xss("Fhirdescription");
    await ingestAndRead("fhir", JSON.stringify(rs), "application/fhir+json", "Fhirhostil");
  });

  /** Header + the first row the filter keeps, with the title replaced; quoted the RFC 4180 way. */
  function csvWith(file: string, keep: (r: Record<string, string>) => boolean, titleColumn: string, title: string): string {
    const rows = parseCsv(gunzipSync(readFileSync(path.join(DATA, file))).toString("utf8").replace(/^\uFEFF/, ""), { columns: true, relax_column_count: true }) as Record<string, string>[];
    const row = { ...rows.find(keep)! };
    row[titleColumn] = title;
    const q = (v: string) => `"${String(v ?? "").replace(/"/g, '""')}"`;
    const header = Object.keys(row);
    return `${header.map(q).join(",")}\r\n${header.map((h) => q(row[h]!)).join(",")}\r\n`;
  }

  it("ClinicalTrials.gov CSV", async () => {
    const csv = csvWith("ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz", (r) => /Norway/.test(r.Locations ?? ""), "Study Title", xss("Ctcsvhostil"));
    await ingestAndRead("ctgov-csv", csv, "text/csv", "Ctcsvhostil");
  });

  it("CTIS CSV", async () => {
    const csv = csvWith("eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz", (r) => /Norway/.test(r["Location(s) and recruitment status"] ?? ""), "Title of the trial", xss("Ctishostil"));
    await ingestAndRead("ctis-csv", csv, "text/csv", "Ctishostil");
  });
});
