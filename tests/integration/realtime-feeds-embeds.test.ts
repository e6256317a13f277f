/**
 * The live stream, the feeds and the hospital embeds over real HTTP against the built server on a
 * real SQLite file (demo seed + changes made while it runs):
 *
 * - /api/v1/events read by a real HTTP client that parses the stream itself (tests/helpers/sse.ts):
 *   changes made in the server process (the ingest API) and by another process (this one, on the
 *   same file), a dropped connection replayed with Last-Event-ID (same events, same ids), bad ids.
 * - Atom feeds read by a maintained feed parser (feedsmith); the saved-search calendar by ical.js.
 * - Embeds: headers (CSP frame-ancestors from EMBED_FRAME_ANCESTORS), markup, JSON, 404s.
 * - Hostile values in query strings, ids and study texts.
 * Status events (a window opening) are tested with an injected clock in status-scheduler.test.ts.
 */
import ICAL from "ical.js";
import { parseAtomFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyInput } from "#app/domain/study";
import { issueToken } from "#app/models/token.server";
import { generateNativeFeed } from "../../scripts/lib/generate-native-feed";
import { PUBLIC_BASE, startApiServer, type ApiServer } from "../helpers/api-server";
import { json, SseClient, type SseEvent } from "../helpers/sse";
import { saveStudyOrThrow } from "../helpers/studies";

const FRAME_ANCESTORS = "https://www.helse-bergen.no 'self'";
let api: ApiServer;
let token = "";

beforeAll(async () => {
  api = await startApiServer({
    env: { API_RATE_LIMIT_PER_MINUTE: "0", EMBED_FRAME_ANCESTORS: FRAME_ANCESTORS },
    prepare: (db) => {
      token = issueToken(db, "ous", "realtime test").token;
    },
  });
});
afterAll(async () => {
  await api?.stop();
});

const actor = { kind: "user" as const, id: "u-1", name: "Test Testesen" };
let rek = 966_000;
const HOSTILE_TITLE = `Studie <script>alert("x")</script> & «æøå» ]]> \u0001slutt`;

function input(overrides: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: { rek: String(rek++) },
    title: { nb: "Sanntidsstudie om brystkreft" },
    summary: { nb: "Et kort sammendrag for pasienter." },
    studyType: "treatment",
    categories: ["cancer"],
    conditions: ["Brystkreft"],
    icd10: ["C50"],
    leadOrganisationId: "ous",
    sites: [
      {
        organisationId: "ous",
        hospitalId: "ous-rikshospitalet",
        inclusionStart: "2020-01-01",
        inclusionEnd: "2099-06-30",
        contact: { name: "Studiesykepleier", email: "studie@example.no" },
      },
      { organisationId: "st-olavs", inclusionStart: "2098-03-01", inclusionEnd: "2099-03-01" },
    ],
    publicationState: "published",
    ...overrides,
  };
}

/** Saves on the server's database file from this process (the server finds it by its head check). */
async function save(study: StudyInput, studyId?: number): Promise<number> {
  await api.indexed();
  const result = saveStudyOrThrow(api.db(), study, { actor, studyId });
  return result.studyId;
}

/** Sends one native record through the HTTP ingest API (the change is made in the server process). */
async function ingest(record: object): Promise<void> {
  const res = await fetch(api.url("/api/v1/organisations/ous/studies?format=native"), {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify([record]),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const events = (url = "/api/v1/events", headers: Record<string, string> = {}) =>
  SseClient.connect(api.url(url), headers);
const after = (list: SseEvent[], id: string) => list.slice(list.findIndex((e) => e.id === id) + 1);

describe("GET /api/v1/events", () => {
  const native = generateNativeFeed(1, { organisationId: "ous", idPrefix: "SSE", seed: 11 })[0] as Record<
    string,
    unknown
  >;
  let ingestedId = 0;

  it("streams changes made in the server and by other processes; a dropped client replays exactly what it missed", async () => {
    const c1 = await events();
    expect(c1.status).toBe(200);
    expect(c1.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(c1.headers["cache-control"]).toContain("no-cache");
    expect(c1.headers["access-control-allow-origin"]).toBe("*");
    // Not compressed (compression would buffer the stream).
    expect(c1.headers["content-encoding"]).toBeUndefined();
    const ready = await c1.next((e) => e.event === "ready");
    expect(ready.id).toMatch(/^\d+-\d+$/);
    expect(c1.retry).toBe(3000);

    // 1. In the server process: the HTTP ingest API.
    await ingest({ ...native, tittel: "Sanntid: ny studie fra sykehusets feed" });
    const published = await c1.next((e) => e.event === "study.published");
    const p = json(published);
    ingestedId = p.studyId;
    expect(p).toMatchObject({
      type: "study.published",
      version: 1,
      title: "Sanntid: ny studie fra sykehusets feed",
      leadOrganisationId: "ous",
      organisations: ["ous"],
    });
    expect(p.links).toEqual({
      study: `${PUBLIC_BASE}/api/v1/studies/${p.studyId}`,
      web: `${PUBLIC_BASE}/studier/${p.studyId}`,
      versions: `${PUBLIC_BASE}/api/v1/studies/${p.studyId}/versions`,
    });
    // The change cursor is the one /api/v1/changes uses.
    const changes = await (await api.get(`/api/v1/changes?since=${Number(p.changeCursor) - 1}`)).json();
    expect(changes.data[0]).toMatchObject({ cursor: p.changeCursor, studyId: p.studyId, kind: "published" });

    // 2. Another client joins; a change from another process reaches both.
    const c2 = await events();
    await c2.next((e) => e.event === "ready");
    const y = await save(input({ title: { nb: "Sanntid: studie lagret av en annen prosess" } }));
    const ofY = (e: SseEvent) => e.event === "study.published" && json(e).studyId === y;
    const yOn1 = await c1.next(ofY);
    const yOn2 = await c2.next(ofY);
    expect(yOn2).toEqual(yOn1);

    // 3. c2 drops. Meanwhile: a change in the server, a withdrawal and a draft from here.
    const missedFrom = c2.lastEventId()!;
    expect(missedFrom).toBe(yOn1.id);
    c2.close();
    await ingest({ ...native, tittel: "Sanntid: ny studie fra sykehusets feed (endret)" });
    await save(
      input({ title: { nb: "Sanntid: studie lagret av en annen prosess" }, publicationState: "withdrawn" }),
      y,
    );
    const draft = await save(input({ title: { nb: "Utkast som ikke er offentlig" }, publicationState: "draft" }));
    const marker = await save(input({ title: { nb: "Sanntid: siste studie" } }));
    await c1.next((e) => e.event === "study.published" && json(e).studyId === marker);
    const missed = after(c1.events, missedFrom);
    expect(missed.map((e) => [e.event, json(e).studyId])).toEqual([
      ["study.changed", ingestedId],
      ["study.withdrawn", y],
      ["study.published", marker],
    ]);
    expect(json(missed[1]!)).toMatchObject({ reason: "withdrawn" });
    expect(c1.events.some((e) => e.data.includes(`"studyId":${draft},`))).toBe(false);

    // 4. Reconnect with Last-Event-ID: the same events with the same ids, then "ready" at the end of the replay.
    const c3 = await events("/api/v1/events", { "Last-Event-ID": missedFrom });
    const replayReady = await c3.next((e) => e.event === "ready");
    expect(c3.events.slice(0, -1)).toEqual(missed);
    expect(replayReady.id).toBe(missed.at(-1)!.id);
    // EventSource cannot set headers on its first request: ?lastEventId= does the same.
    const c4 = await events(`/api/v1/events?lastEventId=${encodeURIComponent(missedFrom)}`);
    await c4.next((e) => e.event === "ready");
    expect(c4.events.slice(0, -1)).toEqual(missed);
    // A bare /api/v1/changes cursor is accepted as a change position.
    const c5 = await events("/api/v1/events", { "Last-Event-ID": String(Number(p.changeCursor) - 1) });
    await c5.next((e) => e.event === "ready");
    expect(c5.events[0]).toEqual(published);

    for (const c of [c1, c3, c4, c5]) c.close();
  });

  it("refuses a bad Last-Event-ID or parameter with a clear JSON error", async () => {
    for (const [headers, url, pattern] of [
      [{ "Last-Event-ID": "abc" }, "/api/v1/events", /Last-Event-ID «abc» er ugyldig/],
      [{ "Last-Event-ID": "99999999-0" }, "/api/v1/events", /forbi slutten/],
      [{ "Last-Event-ID": "1-999999" }, "/api/v1/events", /forbi slutten/],
      [{}, "/api/v1/events?lastEventId=%3Cscript%3E", /ugyldig/],
      [{}, "/api/v1/events?since=%3Cscript%3Ealert(1)%3C/script%3E", /Ukjent parameter: since/],
      [{}, `/api/v1/events?${"x".repeat(500)}=1`, /Ukjent parameter/],
    ] as [Record<string, string>, string, RegExp][]) {
      const c = await events(url, headers);
      expect(c.status, url).toBe(400);
      expect(c.headers["content-type"]).toBe("application/json; charset=utf-8");
      const body = JSON.parse(await c.text());
      expect(body.error).toMatchObject({ status: 400, code: "invalid_parameter" });
      expect(body.error.message).toMatch(pattern);
      expect(body.error.message).not.toContain("<script>alert");
    }
    const options = await fetch(api.url("/api/v1/events"), { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("access-control-allow-headers")).toContain("Last-Event-ID");
    const post = await fetch(api.url("/api/v1/events"), { method: "POST" });
    expect(post.status).toBe(405);
  });
});

/* ================================================================== Atom */

async function atom(path: string) {
  const res = await api.get(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const xml = await res.text();
  const feed = parseAtomFeed(xml);
  return { res, xml, feed };
}

/** What RFC 4287 requires of every feed here, checked on the parsed feed. */
type ParsedFeed = Awaited<ReturnType<typeof atom>>["feed"];
function expectValidAtom(feed: ParsedFeed, selfPath: string) {
  const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
  expect(feed.id).toMatch(/^tag:api\.kliniskestudier\.test,2026:/);
  expect(feed.title?.value).toBeTruthy();
  expect(feed.updated).toMatch(rfc3339);
  expect(feed.authors?.[0]?.name).toBe("Kliniske studier");
  expect(decodeURIComponent(feed.links?.find((l) => l.rel === "self")?.href ?? "")).toBe(`${PUBLIC_BASE}${selfPath}`);
  expect(feed.links?.find((l) => l.rel === "alternate")?.href).toBe(`${PUBLIC_BASE}/`);
  const ids = new Set<string>();
  for (const e of feed.entries ?? []) {
    expect(e.id).toMatch(/^tag:api\.kliniskestudier\.test,2026:study\/\d+/);
    expect(ids.has(e.id!), `duplicate entry id ${e.id}`).toBe(false);
    ids.add(e.id!);
    expect(e.title?.value).toBeTruthy();
    expect(e.updated).toMatch(rfc3339);
    expect(e.authors?.[0]?.name).toBeTruthy();
    expect(e.links?.find((l) => l.rel === "alternate")?.href).toMatch(
      new RegExp(`^${PUBLIC_BASE.replace(/\./g, "\\.")}/studier/\\d+$`),
    );
  }
}

describe("Atom feeds", () => {
  let hostile = 0;
  let cardio = 0;
  beforeAll(async () => {
    hostile = await save(input({ title: { nb: HOSTILE_TITLE } }));
    cardio = await save(
      input({
        title: { nb: "Hjertesviktstudie i Nord" },
        categories: ["cardiovascular"],
        icd10: ["I50"],
        leadOrganisationId: "unn",
        sites: [{ organisationId: "unn", inclusionStart: "2020-01-01", inclusionEnd: "2099-01-01" }],
      }),
    );
    await api.indexed();
  });

  it("all changes: valid Atom, newest first, hostile text escaped and read back intact", async () => {
    const { xml, feed, res } = await atom("/feeds/studies.atom");
    expectValidAtom(feed, "/feeds/studies.atom");
    expect(feed.entries!.length).toBe(50);
    const updated = feed.entries!.map((e) => Date.parse(e.updated!));
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
    expect(feed.entries![0]!.id).toBe(`tag:api.kliniskestudier.test,2026:study/${cardio}/version/1`);
    const mine = feed.entries!.find((e) => e.id!.includes(`study/${hostile}/`))!;
    expect(mine.title!.value).toBe(`Publisert: ${HOSTILE_TITLE.replace("\u0001", "")}`);
    expect(xml).not.toContain("<script>");
    expect(mine.categories?.map((c) => c.term)).toEqual(["cancer", "C50"]);
    // Conditional GET.
    const again = await api.get("/feeds/studies.atom", { "If-None-Match": res.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  it("per organisation, HRCS category and ICD-10 chapter: only the matching studies", async () => {
    const ous = await atom("/feeds/organisations/ous.atom");
    expectValidAtom(ous.feed, "/feeds/organisations/ous.atom");
    expect(ous.feed.title!.value).toBe("Kliniske studier – Oslo universitetssykehus HF");
    const studyIds = (f: typeof ous.feed) =>
      new Set((f.entries ?? []).map((e) => Number(/study\/(\d+)/.exec(e.id!)![1])));
    expect(studyIds(ous.feed).has(hostile)).toBe(true);
    expect(studyIds(ous.feed).has(cardio)).toBe(false);

    const unn = await atom("/feeds/organisations/unn.atom");
    expect(studyIds(unn.feed).has(cardio)).toBe(true);
    expect(studyIds(unn.feed).has(hostile)).toBe(false);

    const cancer = await atom("/feeds/categories/cancer.atom");
    expectValidAtom(cancer.feed, "/feeds/categories/cancer.atom");
    expect(studyIds(cancer.feed).has(hostile)).toBe(true);
    expect(studyIds(cancer.feed).has(cardio)).toBe(false);
    for (const e of cancer.feed.entries!) expect(e.categories?.some((c) => c.term === "cancer")).toBe(true);

    const neoplasms = await atom("/feeds/icd10/II.atom");
    expectValidAtom(neoplasms.feed, "/feeds/icd10/II.atom");
    expect(neoplasms.feed.title!.value).toContain("Svulster (C00–D48)");
    expect(studyIds(neoplasms.feed).has(hostile)).toBe(true);
    expect(studyIds(neoplasms.feed).has(cardio)).toBe(false);
    for (const e of neoplasms.feed.entries!) {
      expect(
        e.categories?.some(
          (c) =>
            c.scheme === "urn:oid:2.16.578.1.12.4.1.1.7110" &&
            (c.term ?? "") >= "C00" &&
            (c.term ?? "").slice(0, 3) <= "D48",
        ),
        e.id,
      ).toBe(true);
    }
    const circulatory = await atom("/feeds/icd10/ix.atom");
    expectValidAtom(circulatory.feed, "/feeds/icd10/IX.atom");
    expect(studyIds(circulatory.feed).has(cardio)).toBe(true);
  });

  it("unknown organisations, categories, chapters and odd names are 404 with a message", async () => {
    for (const [path, pattern] of [
      ["/feeds/organisations/finnes-ikke.atom", /Ukjent organisasjon «finnes-ikke»/],
      ["/feeds/organisations/ous", /slutter på \.atom/],
      ["/feeds/organisations/%3Cscript%3E.atom", /Ingen slik feed/],
      ["/feeds/categories/nope.atom", /Ukjent HRCS-kategori/],
      ["/feeds/icd10/XXIII.atom", /Ukjent ICD-10-kapittel/],
      ["/feeds/icd10/C50.atom", /Ukjent ICD-10-kapittel/],
    ] as [string, RegExp][]) {
      const res = await api.get(path);
      expect(res.status, path).toBe(404);
      // JSON (never sniffed as HTML), in the API's one error shape.
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const body = await res.json();
      expect(body.error.message, path).toMatch(pattern);
    }
  });
});

/* ================================================================== saved searches */

describe("saved search as Atom and iCalendar", () => {
  const query = "q=brystkreft&status=open,planned";

  it("the Atom feed has the same studies in the same order as /api/v1/studies", async () => {
    await api.indexed();
    const { feed } = await atom(`/feeds/search.atom?${query}`);
    expectValidAtom(feed, `/feeds/search.atom?${query}`);
    const list = await (await api.get(`/api/v1/studies?${query}&perPage=50`)).json();
    expect(list.data.length).toBeGreaterThan(0);
    expect(feed.entries!.map((e) => e.id)).toEqual(
      list.data.map((s: { id: number }) => `tag:api.kliniskestudier.test,2026:study/${s.id}`),
    );
    expect(feed.entries!.map((e) => e.links!.find((l) => l.rel === "alternate")!.href)).toEqual(
      list.data.map((s: { webUrl: string }) => s.webUrl),
    );
    expect(feed.title!.value).toContain("brystkreft");
  });

  it("the calendar has one all-day VEVENT per site deadline, valid RFC 5545 text", async () => {
    const q = "organisations=ous&status=open";
    const res = await api.get(`/feeds/search.ics?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    // CRLF everywhere, every physical line at most 75 octets.
    expect(text.endsWith("\r\n")).toBe(true);
    const physical = text.split("\r\n").slice(0, -1);
    for (const line of physical) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
    }
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    expect(cal.getFirstPropertyValue("prodid")).toBeTruthy();
    const vevents = cal.getAllSubcomponents("vevent");

    // Expected: every site with an end date of every matching study (all pages of the API).
    const expected = new Map<string, { date: string; summary: string }>();
    for (let page = 1; ; page++) {
      const list = await (await api.get(`/api/v1/studies?${q}&perPage=100&page=${page}`)).json();
      for (const s of list.data) {
        for (const site of s.sites) {
          if (site.inclusionEnd)
            expected.set(`study-${s.id}-site-${site.id}@api.kliniskestudier.test`, {
              date: site.inclusionEnd,
              // The feed replaces control characters with spaces.
              // eslint-disable-next-line no-control-regex
              summary: `Siste dag for inklusjon: ${s.title.nb.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, " ")} (${site.hospital?.name ?? site.organisation.name})`,
            });
        }
      }
      if (page >= list.meta.pageCount) break;
    }
    expect(vevents.length).toBe(expected.size);
    expect(vevents.length).toBeGreaterThan(0);
    for (const v of vevents) {
      const event = new ICAL.Event(v);
      const want = expected.get(event.uid);
      expect(want, event.uid).toBeDefined();
      expect(event.summary).toBe(want!.summary);
      expect(event.startDate.isDate).toBe(true);
      expect(event.startDate.toString()).toBe(want!.date);
      expect(v.getFirstPropertyValue("dtstamp")).toBeTruthy();
      expect(String(v.getFirstPropertyValue("url"))).toMatch(/\/studier\/\d+$/);
    }
    // The hostile title survives the round trip.
    const hostileEvent = vevents.map((v) => new ICAL.Event(v)).find((e) => e.summary.includes("alert"));
    expect(hostileEvent?.summary).toBe(
      `Siste dag for inklusjon: ${HOSTILE_TITLE.replace("\u0001", " ")} (Rikshospitalet)`,
    );
  });

  it("hostile or wrong query strings get the open API's 400 naming the parameter; harmless ones are escaped", async () => {
    for (const [qs, name] of [
      ["status=%3Cscript%3E", "status"],
      ["perPage=100000", "perPage"],
      ["organisations=..%2F..%2Fetc%2Fpasswd", "organisations"],
      ["near=1e999,5", "near"],
      ["foo=%00bar", "foo"],
      ["age=-1", "age"],
    ]) {
      for (const path of ["/feeds/search.atom", "/feeds/search.ics"]) {
        const res = await api.get(`${path}?${qs}`);
        expect(res.status, `${path}?${qs}`).toBe(400);
        const body = await res.json();
        expect(body.error.code).toBe("invalid_parameter");
        expect(body.error.message, qs).toContain(name);
      }
    }
    const q = encodeURIComponent(`<script>alert(1)</script> ]]> & "x"`);
    const { xml, feed } = await atom(`/feeds/search.atom?q=${q}`);
    expect(xml).not.toContain("<script>");
    expect(feed.title!.value).toContain(`<script>alert(1)</script> ]]> & "x"`);
    const ics = await api.get(`/feeds/search.ics?q=${q}`);
    expect(ics.status).toBe(200);
    const icsText = await ics.text();
    expect(() => ICAL.parse(icsText)).not.toThrow();
  });
});

/* ================================================================== embeds */

describe("hospital embeds", () => {
  it("HTML: frame-ancestors from the configuration, no scripts, lang=nb, the organisation's open and planned studies", async () => {
    const res = await api.get("/embed/organisations/ous");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain(`frame-ancestors ${FRAME_ANCESTORS}`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get("x-frame-options")).toBeNull();
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="nb">/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("<h1>Kliniske studier ved Oslo universitetssykehus HF</h1>");
    expect(html).toContain('Studie &lt;script&gt;alert("x")&lt;/script&gt; &amp; «æøå» ]]&gt; slutt');
    expect(html).toMatch(/<a href="http:\/\/api\.kliniskestudier\.test\/studier\/\d+" target="_top">/);
    // The inline style is the only style and is allowed by its hash.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const { createHash } = await import("node:crypto");
    expect(csp).toContain(`style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`);
    const again = await api.get("/embed/organisations/ous", { "If-None-Match": res.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  it("JSON lists exactly the published studies with an open or planned site of the organisation (its own sites only)", async () => {
    const res = await api.get("/embed/organisations/ous.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await res.json();
    expect(body.organisation).toMatchObject({ id: "ous", name: "Oslo universitetssykehus HF" });
    const listed = [...body.open, ...body.planned];
    for (const s of body.open) expect(s.sites.some((x: { status: string }) => x.status === "open")).toBe(true);
    for (const s of body.planned) expect(s.sites.every((x: { status: string }) => x.status === "planned")).toBe(true);

    // Expected from the export: every published study with an active ous site that is open or planned now.
    const ndjson = await (await api.get("/api/v1/export/studies.ndjson")).text();
    const expected = ndjson
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((s) =>
        s.sites.some(
          (x: { organisation: { id: string } | null; status: string }) =>
            x.organisation?.id === "ous" && (x.status === "open" || x.status === "planned"),
        ),
      );
    expect(listed.map((s) => s.id).sort((a, b) => a - b)).toEqual(
      expected.map((s) => s.id).sort((a: number, b: number) => a - b),
    );
    for (const s of listed) {
      const full = expected.find((e) => e.id === s.id)!;
      const own = full.sites.filter(
        (x: { organisation: { id: string }; status: string }) =>
          x.organisation.id === "ous" && (x.status === "open" || x.status === "planned"),
      );
      expect(s.sites.map((x: { id: number }) => x.id).sort()).toEqual(own.map((x: { id: number }) => x.id).sort());
    }
    // The HTML shows the same studies.
    const html = await (await api.get("/embed/organisations/ous")).text();
    expect(html.match(/<article /g)?.length ?? 0).toBe(listed.length);
  });

  it("unknown or hostile organisation ids are 404 (HTML for the page, the API's JSON error for .json)", async () => {
    for (const id of ["finnes-ikke", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "OUS", "ous%00"]) {
      const page = await api.get(`/embed/organisations/${id}`);
      expect(page.status, id).toBe(404);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await page.text();
      expect(html).toContain('<html lang="nb">');
      expect(html).not.toContain("<script>");
      const data = await api.get(`/embed/organisations/${id}.json`);
      expect(data.status, id).toBe(404);
      expect((await data.json()).error).toMatchObject({ status: 404, code: "not_found" });
    }
  });
});
