/**
 * The open API's resources over real HTTP against the built server on a real SQLite file: one
 * study, its public versions, organisations, the change log for mirrors, NDJSON/CSV exports,
 * conditional requests (ETag / Last-Modified → 304), HEAD, CORS and the JSON error shape.
 * Changes are made while the server runs, through the study model on the same database file.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STUDY_CSV_HEADER } from "#app/api/csv";
import { siteStatus, studyStatus } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { openReadSnapshot } from "#app/models/open-api.server";
import { getStudy, type Actor } from "#app/models/study.server";
import { documented, startApiServer, type ApiServer } from "../helpers/api-server";
import { saveStudyOrThrow } from "../helpers/studies";

let api: ApiServer;
beforeAll(async () => {
  // No rate limit here: these tests make many requests from one address.
  api = await startApiServer({ env: { API_RATE_LIMIT_PER_MINUTE: "0" } });
});
afterAll(async () => {
  await api?.stop();
});

const person: Actor = { kind: "user", id: "u-42", name: "Kari Redaktørsen" };
let rek = 955_000;

function input(overrides: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: { rek: String(rek++) },
    title: { nb: "API-teststudie om hjertesvikt" },
    summary: { nb: "Et kort sammendrag for pasienter." },
    studyType: "treatment",
    phase: "phase_3",
    categories: ["cardiovascular"],
    conditions: ["Hjertesvikt"],
    icd10: ["I50"],
    leadOrganisationId: "ous",
    sites: [
      {
        organisationId: "ous",
        hospitalId: "ous-rikshospitalet",
        inclusionStart: "2020-01-01",
        inclusionEnd: "2099-06-30",
      },
      { organisationId: "st-olavs", inclusionStart: "2090-03-01", inclusionEnd: "2099-03-01" },
    ],
    publicationState: "published",
    ...overrides,
  };
}

/**
 * Saves through the study model on the server's database file. Waits until the server is idle
 * first: saveStudy's transaction reads before it writes, and SQLite refuses (SQLITE_BUSY, no wait)
 * to let it write if the server process committed in between (e.g. its indexer).
 */
async function save(study: StudyInput, studyId?: number): Promise<{ studyId: number; version: number }> {
  await api.indexed();
  const result = saveStudyOrThrow(api.db(), study, { actor: person, studyId });
  return { studyId: result.studyId, version: result.version };
}

const publishedIds = () =>
  api
    .db()
    .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id")
    .pluck()
    .all() as number[];

/** Fetches until the answer carries Last-Modified (it is left out within the second of a change). */
async function withLastModified(path: string): Promise<Response> {
  for (let i = 0; i < 100; i++) {
    const res = await api.get(path);
    if (res.headers.get("last-modified")) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} never sent Last-Modified`);
}

describe("GET /api/v1/studies/:id", () => {
  it("a published study with all fields, active sites and their statuses derived now", async () => {
    const id = publishedIds()[0]!;
    const res = await api.get(`/api/v1/studies/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await documented(api, "/api/v1/studies/{id}", res);
    const record = getStudy(api.db(), id)!;
    const now = new Date();
    const active = record.sites.filter((s) => !s.withdrawn);
    expect(body).toMatchObject({
      id,
      version: record.currentVersion,
      title: { nb: record.title.nb },
      status: studyStatus(active, now),
    });
    expect(body.sites.map((s: { id: number }) => s.id)).toEqual(active.map((s) => s.id));
    for (const [i, site] of active.entries()) {
      expect(body.sites[i]).toMatchObject({
        inclusionStart: site.inclusionStart,
        inclusionEnd: site.inclusionEnd,
        status: siteStatus(site, now),
      });
    }
    expect(body.apiUrl).toBe(`http://api.kliniskestudier.test/api/v1/studies/${id}`);
    expect(body.versionsUrl).toBe(`http://api.kliniskestudier.test/api/v1/studies/${id}/versions`);
  });

  it.each([
    ["abc", 400],
    ["0", 400],
    ["-1", 400],
    ["1e3", 400],
    ["99999999999999999999999", 400],
    ["999999", 404],
  ])("/api/v1/studies/%s → %i in the error shape", async (id, status) => {
    const res = await api.get(`/api/v1/studies/${id}`);
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await documented(api, "/api/v1/studies/{id}", res);
    expect(body.error.status).toBe(status);
    if (status === 400) expect(body.error.details.parameters[0].name).toBe("id");
    else expect(body.error.code).toBe("not_found");
  });

  it("drafts are not public (404); a withdrawn study is 410 and keeps its history", async () => {
    const draft = await save(input({ publicationState: "draft" }));
    expect((await api.get(`/api/v1/studies/${draft.studyId}`)).status).toBe(404);
    expect((await api.get(`/api/v1/studies/${draft.studyId}/versions`)).status).toBe(404);

    const s = await save(input());
    await save(input({ identifiers: { rek: String(rek - 1) }, publicationState: "withdrawn" }), s.studyId);
    const gone = await api.get(`/api/v1/studies/${s.studyId}`);
    expect(gone.status).toBe(410);
    const body = await documented(api, "/api/v1/studies/{id}", gone);
    expect(body.error.code).toBe("gone");
    expect(body.error.details.withdrawnAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await api.get(`/api/v1/studies/${s.studyId}/versions`)).status).toBe(200);
  });
});

describe("GET /api/v1/studies/:id/versions", () => {
  it("every public version with what changed, nothing from before publication, no person named", async () => {
    const own = String(rek++);
    const base = input({ identifiers: { rek: own } });
    const draft = await save({ ...base, title: { nb: "Hemmelig arbeidstittel" }, publicationState: "draft" });
    await save({ ...base, title: { nb: "Hemmelig arbeidstittel 2" }, publicationState: "submitted" }, draft.studyId);
    await save(base, draft.studyId); // published: v3
    const later = { ...base, sites: [{ ...base.sites![0]!, inclusionEnd: "2099-12-31" }, base.sites![1]!] };
    await save(later, draft.studyId); // changed: v4
    await save({ ...later, publicationState: "withdrawn" }, draft.studyId); // withdrawn: v5

    const res = await api.get(`/api/v1/studies/${draft.studyId}/versions`);
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const body = await documented(api, "/api/v1/studies/{id}/versions", res);
    expect(body.data.map((v: { version: number; kind: string }) => [v.version, v.kind])).toEqual([
      [3, "published"],
      [4, "changed"],
      [5, "withdrawn"],
    ]);
    expect(body.meta).toMatchObject({ studyId: draft.studyId, count: 3, publicationState: "withdrawn" });
    expect(body.data[0].changes).toEqual([]);
    expect(body.data[1].changes).toEqual([
      { path: "sites[ous/ous-rikshospitalet].inclusionEnd", kind: "changed", from: "2099-06-30", to: "2099-12-31" },
    ]);
    expect(body.data[2].changes).toEqual([
      { path: "publicationState", kind: "changed", from: "published", to: "withdrawn" },
    ]);
    for (const v of body.data) expect(v.actor).toEqual({ kind: "user", name: null });
    expect(text).not.toContain("Hemmelig");
    expect(text).not.toContain("Redaktørsen");
    expect(text).not.toContain("u-42");
  });

  it("names sources and the seed (they are not people)", async () => {
    const res = await api.get(`/api/v1/studies/${publishedIds()[0]}/versions`);
    const body = await documented(api, "/api/v1/studies/{id}/versions", res);
    expect(body.data[0]).toMatchObject({
      kind: "published",
      actor: { kind: "seed", name: "Demodata (fiktive studier)" },
      source: { id: "demo-seed" },
    });
  });
});

describe("GET /api/v1/organisations", () => {
  it("every organisation with its region and hospitals", async () => {
    const res = await api.get("/api/v1/organisations");
    const body = await documented(api, "/api/v1/organisations", res);
    const db = api.db();
    expect(body.meta.count).toBe(db.prepare("SELECT count(*) FROM organisations").pluck().get());
    const hospitals = body.data.flatMap((o: { hospitals: unknown[] }) => o.hospitals);
    expect(hospitals.length).toBe(db.prepare("SELECT count(*) FROM hospitals").pluck().get());
    const ous = body.data.find((o: { id: string }) => o.id === "ous");
    expect(ous.region).toMatchObject({ id: "helse-sor-ost" });
    expect(ous.hospitals.map((h: { id: string }) => h.id)).toContain("ous-rikshospitalet");
    expect((await api.get("/api/v1/organisations?region=x")).status).toBe(400);
  });
});

/** Every public (study, version) from the versions themselves (independently of the change log). */
function expectedPublicChanges(): string[] {
  const rows = api
    .db()
    .prepare(
      `SELECT v.study_id AS s, v.version AS v, json_extract(v.snapshot, '$.publicationState') AS state,
              (SELECT json_extract(p.snapshot, '$.publicationState') FROM study_versions p WHERE p.study_id = v.study_id AND p.version = v.version - 1) AS prev
       FROM study_versions v`,
    )
    .all() as { s: number; v: number; state: string; prev: string | null }[];
  return rows
    .filter((r) => r.state === "published" || r.prev === "published")
    .map((r) => `${r.s}/${r.v}`)
    .sort();
}

interface ChangePage {
  data: { cursor: string; studyId: number; version: number; kind: string }[];
  meta: { next: string; hasMore: boolean; since: string | null };
  links: { next: string };
}

async function changesSince(since: string | null, limit = 10): Promise<ChangePage> {
  const res = await api.get(`/api/v1/changes?${since != null ? `since=${since}&` : ""}limit=${limit}`);
  expect(res.status).toBe(200);
  return documented<ChangePage>(api, "/api/v1/changes", res);
}

describe("GET /api/v1/changes", () => {
  it("paging through the whole log gives every public change exactly once, in order", async () => {
    const seen: ChangePage["data"] = [];
    let page = await changesSince(null);
    seen.push(...page.data);
    let pages = 1;
    while (page.meta.hasMore) {
      const next: string = page.links.next;
      expect(next).toContain(`since=${page.meta.next}`);
      const res = await api.get(next);
      page = await documented<ChangePage>(api, "/api/v1/changes", res);
      seen.push(...page.data);
      expect(++pages).toBeLessThan(1000);
    }
    const keys = seen.map((c) => `${c.studyId}/${c.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(expectedPublicChanges());
    const cursors = seen.map((c) => Number(c.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(pages).toBeGreaterThan(1);

    // Caught up: nothing new, and the cursor stays put.
    const idle = await changesSince(page.meta.next);
    expect(idle.data).toEqual([]);
    expect(idle.meta.next).toBe(page.meta.next);

    // One change → exactly that change after the cursor; a draft is not public but is passed over.
    const s = await save(input());
    const draft = await save(input({ publicationState: "draft" }));
    const after = await changesSince(page.meta.next);
    expect(after.data.map((c) => [c.studyId, c.version, c.kind])).toEqual([[s.studyId, 1, "published"]]);
    expect(after.meta.hasMore).toBe(false);
    expect(Number(after.meta.next)).toBeGreaterThan(Number(after.data[0]!.cursor)); // past the draft
    expect(after.data.some((c) => c.studyId === draft.studyId)).toBe(false);
    // Resuming from an item's own cursor gives what came after it.
    expect((await changesSince(after.data[0]!.cursor)).data).toEqual([]);
  });

  it.each([
    ["since", "since=abc"],
    ["since", "since=-1"],
    ["since", "since=999999999"],
    ["limit", "limit=0"],
    ["limit", "limit=1001"],
    ["cursor", "cursor=1"],
  ])("400 naming %s for ?%s", async (name, query) => {
    const res = await api.get(`/api/v1/changes?${query}`);
    expect(res.status).toBe(400);
    const body = await documented(api, "/api/v1/changes", res);
    expect(body.error.details.parameters[0].name).toBe(name);
  });
});

describe("bulk export", () => {
  it("NDJSON: every published study once, in id order, each a documented Study; the cursor continues in /changes", async () => {
    const res = await api.get("/api/v1/export/studies.ndjson");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const cursor = res.headers.get("x-changes-cursor")!;
    const lines = (await res.text()).split("\n").filter(Boolean);
    const studies = lines.map((l) => JSON.parse(l) as { id: number });
    for (const s of studies)
      api.conformance.check("/api/v1/export/studies.ndjson", "get", 200, "application/x-ndjson", s);
    expect(studies.map((s) => s.id)).toEqual(publishedIds());
    // The same representation as the single-study endpoint.
    const one = await (await api.get(`/api/v1/studies/${studies[0]!.id}`)).json();
    expect(studies[0]).toEqual(one);
    // A mirror continues from the export with the change log.
    expect((await changesSince(cursor)).data).toEqual([]);
    const s = await save(input());
    expect((await changesSince(cursor)).data.map((c) => c.studyId)).toEqual([s.studyId]);
  });

  it("CSV: RFC 4180 with a BOM, one row per study, formulas neutralised", async () => {
    const tricky = await save(
      input({ title: { nb: '=HYPERLINK("http://x.example","klikk"), med komma\nog linjeskift' } }),
    );
    const res = await api.get("/api/v1/export/studies.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="kliniske-studier-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    api.conformance.check("/api/v1/export/studies.csv", "get", 200, "text/csv", "");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark
    const rows = parse(bytes, { bom: true, columns: false }) as string[][];
    expect(rows[0]).toEqual(STUDY_CSV_HEADER);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(publishedIds());
    const row = rows.find((r) => Number(r[0]) === tricky.studyId)!;
    expect(row[STUDY_CSV_HEADER.indexOf("title_nb")]).toBe(
      `'=HYPERLINK("http://x.example","klikk"), med komma\nog linjeskift`,
    );
    expect(row[STUDY_CSV_HEADER.indexOf("status")]).toBe("open");
  });

  it("reads one consistent snapshot of the database, whatever is written meanwhile", async () => {
    const before = publishedIds().length;
    const snapshot = openReadSnapshot(api.db());
    try {
      await save(input());
      expect(publishedIds().length).toBe(before + 1);
      expect(
        snapshot.db.prepare("SELECT count(*) FROM studies WHERE publication_state = 'published'").pluck().get(),
      ).toBe(before);
    } finally {
      snapshot.close();
    }
  });
});

describe("conditional requests", () => {
  const endpoints: [string, string][] = [
    ["/api/v1/studies?perPage=100", "/api/v1/studies"],
    ["/api/v1/organisations", "/api/v1/organisations"],
    ["/api/v1/changes?limit=5", "/api/v1/changes"],
    ["/api/v1/export/studies.ndjson", "/api/v1/export/studies.ndjson"],
    ["/api/v1/export/studies.csv", "/api/v1/export/studies.csv"],
    ["/api/openapi.json", "/api/openapi.json"],
  ];

  it.each(endpoints)("%s: If-None-Match and If-Modified-Since give 304", async (path, template) => {
    await api.indexed();
    const first = await withLastModified(path);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^W\/".+"$/);
    for (const inm of [etag, `W/"other", ${etag}`, etag.replace(/^W\//, ""), "*"]) {
      const res = await api.get(path, { "if-none-match": inm });
      expect(res.status, inm).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      api.conformance.check(template, "get", 304, null, null);
    }
    expect((await api.get(path, { "if-none-match": 'W/"something-else"' })).status).toBe(200);
    expect((await api.get(path, { "if-modified-since": lastModified })).status).toBe(304);
    const dayBefore = new Date(Date.parse(lastModified) - 86_400_000).toUTCString();
    expect((await api.get(path, { "if-modified-since": dayBefore })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await api.get(path, { "if-none-match": 'W/"x"', "if-modified-since": lastModified })).status).toBe(200);
  });

  it("a change to a study makes its answers new again", async () => {
    const s = await save(input());
    const path = `/api/v1/studies/${s.studyId}`;
    const first = await withLastModified(path);
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    const versions = await api.get(`${path}/versions`);
    const versionsTag = versions.headers.get("etag")!;
    await api.indexed();
    const listed = await api.get("/api/v1/studies?perPage=100");
    const listTag = listed.headers.get("etag")!;
    expect((await api.get(path, { "if-none-match": etag })).status).toBe(304);
    expect((await api.get(path, { "if-modified-since": lastModified })).status).toBe(304);

    await save(
      input({ identifiers: { rek: String(rek - 1) }, title: { nb: "API-teststudie om hjertesvikt, ny tittel" } }),
      s.studyId,
    );
    await api.indexed();
    const changed = await api.get(path, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await changed.json()).title.nb).toBe("API-teststudie om hjertesvikt, ny tittel");
    expect((await api.get(path, { "if-modified-since": lastModified })).status).toBe(200);
    expect((await api.get(`${path}/versions`, { "if-none-match": versionsTag })).status).toBe(200);
    expect((await api.get("/api/v1/studies?perPage=100", { "if-none-match": listTag })).status).toBe(200);
  });

  it("HEAD gives the headers without a body", async () => {
    const get = await api.get("/api/v1/organisations");
    const head = await fetch(api.url("/api/v1/organisations"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(await head.text()).toBe("");
    const headExport = await fetch(api.url("/api/v1/export/studies.ndjson"), { method: "HEAD" });
    expect(headExport.status).toBe(200);
    expect(headExport.headers.get("x-changes-cursor")).toMatch(/^\d+$/);
    expect(await headExport.text()).toBe("");
    const conditional = await fetch(api.url("/api/v1/organisations"), {
      method: "HEAD",
      headers: { "if-none-match": get.headers.get("etag")! },
    });
    expect(conditional.status).toBe(304);
  });
});

describe("CORS and methods", () => {
  it("reads are open to every origin, with the validators readable by scripts", async () => {
    const res = await api.get("/api/v1/organisations", { origin: "https://sykehus.example" });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toContain("ETag");
    expect(res.headers.get("access-control-expose-headers")).toContain("Retry-After");
  });

  it("answers the preflight for GET/HEAD and refuses writes with 405", async () => {
    const pre = await fetch(api.url("/api/v1/studies"), {
      method: "OPTIONS",
      headers: {
        origin: "https://sykehus.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-none-match");
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await fetch(api.url("/api/v1/studies/1"), {
        method,
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    }
  });

  it("the write (ingest) API is not opened to other origins", async () => {
    const path = "/api/v1/organisations/ous/studies?format=native";
    const pre = await fetch(api.url(path), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "PUT" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const put = await fetch(api.url(path), {
      method: "PUT",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: "[]",
    });
    expect(put.status).toBe(401);
    expect(put.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("unknown addresses under /api/v1 get a JSON 404, not the HTML page", async () => {
    const res = await api.get("/api/v1/studier");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
