/**
 * The OpenAPI 3.1 document over real HTTP: valid according to a maintained parser
 * (@readme/openapi-parser), generated from the code's own zod schemas, and REAL responses of
 * every operation conform to it (Ajv, JSON Schema 2020-12): the JSON API, the live event stream
 * (every event's data against the schema for its name), the Atom and iCalendar feeds and the
 * hospital embeds (content type and status; JSON against its schema). Also the readable page at /api.
 */
import { validate, compileErrors } from "@readme/openapi-parser";
import { insertStatusEvents } from "#app/models/realtime.server";
import { saveStudy } from "#app/models/study.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "#app/api/openapi";
import { PHASES, STUDY_TYPES } from "#app/domain/study";
import { documented, PUBLIC_BASE, startApiServer, type ApiServer } from "../helpers/api-server";
import { mediaTypeOf } from "../helpers/openapi";
import { SseClient } from "../helpers/sse";
import { saveStudyOrThrow } from "../helpers/studies";

/** Operations that are never conditional (no ETag, no 304) and have no quota: the live stream. */
const UNCONDITIONAL = new Set(["/api/v1/events"]);

let api: ApiServer;
let doc: Record<string, any>;

beforeAll(async () => {
  // No rate limit here: these tests make many requests from one address.
  api = await startApiServer({
    env: { API_RATE_LIMIT_PER_MINUTE: "0" },
    // Besides the seed's publications, the stream has a change, a withdrawal and a status event to replay.
    prepare: (db) => {
      const actor = { kind: "user" as const, id: "u-1", name: "Test" };
      const study = (title: string, publicationState: "published" | "withdrawn") => ({
        identifiers: { rek: "9770001" },
        title: { nb: title },
        summary: { nb: "Et kort sammendrag." },
        studyType: "treatment",
        leadOrganisationId: "ous",
        sites: [{ organisationId: "ous", inclusionStart: "2020-01-01", inclusionEnd: "2099-12-31" }],
        publicationState,
      });
      const first = saveStudyOrThrow(db, study("Dokumentert studie", "published"), { actor });
      saveStudy(db, study("Dokumentert studie, endret", "published"), { actor, studyId: first.studyId });
      saveStudy(db, study("Dokumentert studie, endret", "withdrawn"), { actor, studyId: first.studyId });
      const site = db
        .prepare(
          "SELECT id, organisation_id AS org FROM study_sites WHERE study_id = (SELECT min(id) FROM studies WHERE publication_state = 'published') LIMIT 1",
        )
        .get() as { id: number; org: string };
      const studyId = db
        .prepare("SELECT min(id) FROM studies WHERE publication_state = 'published'")
        .pluck()
        .get() as number;
      const at = new Date().toISOString();
      insertStatusEvents(db, [
        {
          studyId,
          at,
          status: "open",
          previousStatus: "planned",
          sites: [{ siteId: site.id, organisationId: site.org, hospitalId: null, from: "planned", to: "open" }],
          createdAt: at,
        },
      ]);
    },
  });
  doc = api.conformance.doc as Record<string, any>;
});
afterAll(async () => {
  await api?.stop();
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 for @readme/openapi-parser", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc) as never);
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("is generated from the zod schemas the code validates with", async () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument({ baseUrl: PUBLIC_BASE }))));
    const params = doc.paths["/api/v1/studies"].get.parameters as {
      name: string;
      schema: { items?: { enum?: string[] } };
    }[];
    expect(params.find((p) => p.name === "phases")!.schema.items!.enum).toEqual([...PHASES]);
    expect(doc.components.schemas.Study.properties.studyType.enum).toEqual([...STUDY_TYPES]);
    expect(doc.components.schemas.Study.additionalProperties).toBe(false);
    expect(doc.servers[0].url).toBe(PUBLIC_BASE);
  });

  it("documents every operation with an English summary, a Norwegian description and error answers", () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(item)) {
        expect(op.operationId, path).toMatch(/^[a-z][A-Za-z]+$/);
        expect(op.summary, path).toMatch(/^[A-Z][a-zA-Z0-9 ,()./-]+$/);
        expect(op.description.length, path).toBeGreaterThan(40);
        expect(Object.keys(op.responses), path).toContain("200");
        if (UNCONDITIONAL.has(path)) continue;
        expect(Object.keys(op.responses), path).toContain("304");
        if (
          path.startsWith("/api/v1") ||
          path.startsWith("/feeds/") ||
          (path.startsWith("/embed/") && path.endsWith(".json"))
        )
          expect(Object.keys(op.responses), path).toContain("429");
      }
    }
  });
});

describe("real responses of every operation conform to the document", () => {
  it("checks 200s and errors of every operation", async () => {
    const id =
      (api
        .db()
        .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id LIMIT 1")
        .pluck()
        .get() as number) ?? 1;
    const calls: [string, string, number][] = [
      [
        "/api/v1/studies",
        "/api/v1/studies?q=kreft&status=open&facets=status,regionId,categories,studyType,phase,icd10Chapter,organisationId",
        200,
      ],
      ["/api/v1/studies", "/api/v1/studies?postcode=0450&sort=distance&perPage=100", 200],
      ["/api/v1/studies", "/api/v1/studies?page=abc", 400],
      ["/api/v1/studies/{id}", `/api/v1/studies/${id}`, 200],
      ["/api/v1/studies/{id}", "/api/v1/studies/x", 400],
      ["/api/v1/studies/{id}", "/api/v1/studies/987654", 404],
      ["/api/v1/studies/{id}/versions", `/api/v1/studies/${id}/versions`, 200],
      ["/api/v1/studies/{id}/versions", "/api/v1/studies/987654/versions", 404],
      ["/api/v1/studies/{id}/versions", "/api/v1/studies/0/versions", 400],
      ["/api/v1/organisations", "/api/v1/organisations", 200],
      ["/api/v1/statistics/confirmations", "/api/v1/statistics/confirmations", 200],
      ["/api/v1/statistics/new-studies", "/api/v1/statistics/new-studies", 200],
      ["/api/v1/changes", "/api/v1/changes", 200],
      ["/api/v1/changes", "/api/v1/changes?since=nope", 400],
      ["/api/v1/export/studies.ndjson", "/api/v1/export/studies.ndjson", 200],
      ["/api/v1/export/studies.csv", "/api/v1/export/studies.csv", 200],
      ["/api/openapi.json", "/api/openapi.json", 200],
      ["/feeds/studies.atom", "/feeds/studies.atom", 200],
      ["/feeds/organisations/{organisation}.atom", "/feeds/organisations/ous.atom", 200],
      ["/feeds/organisations/{organisation}.atom", "/feeds/organisations/finnes-ikke.atom", 404],
      ["/feeds/categories/{category}.atom", "/feeds/categories/cancer.atom", 200],
      ["/feeds/categories/{category}.atom", "/feeds/categories/finnes-ikke.atom", 404],
      ["/feeds/icd10/{chapter}.atom", "/feeds/icd10/II.atom", 200],
      ["/feeds/icd10/{chapter}.atom", "/feeds/icd10/XXX.atom", 404],
      ["/feeds/search.atom", "/feeds/search.atom?q=kreft&status=open", 200],
      ["/feeds/search.atom", "/feeds/search.atom?page=abc", 400],
      ["/feeds/search.ics", "/feeds/search.ics?q=kreft", 200],
      ["/feeds/search.ics", "/feeds/search.ics?sort=nope", 400],
      ["/embed/organisations/{id}", "/embed/organisations/ous", 200],
      ["/embed/organisations/{id}", "/embed/organisations/finnes-ikke", 404],
      ["/embed/organisations/{id}.json", "/embed/organisations/ous.json", 200],
      ["/embed/organisations/{id}.json", "/embed/organisations/finnes-ikke.json", 404],
      ["/api/v1/open-studies", "/api/v1/open-studies?icd10=C50&postcode=0450&lang=nn", 200],
      ["/api/v1/open-studies", "/api/v1/open-studies?snomed=254837009", 200],
      ["/api/v1/open-studies", "/api/v1/open-studies?icpc2=K75&lang=en", 200],
      ["/api/v1/open-studies", "/api/v1/open-studies?treatment=kolkisin", 200],
      ["/api/v1/open-studies", "/api/v1/open-studies?icd10=C50&snomed=254837009", 400],
      ["/api/v1/open-studies", "/api/v1/open-studies", 400],
      ["/embed/studies", "/embed/studies?icd10=C50&postcode=5003", 200],
      ["/embed/studies", "/embed/studies?icd10=nope", 400],
    ];
    const MEDIA: Record<string, string> = { atom: "application/atom+xml", ics: "text/calendar", embed: "text/html" };
    for (const [template, path, status] of calls) {
      const res = await api.get(path);
      expect(res.status, path).toBe(status);
      if (template === "/api/v1/export/studies.ndjson") {
        const lines = (await res.text()).split("\n").filter(Boolean);
        expect(lines.length).toBeGreaterThan(60);
        for (const line of lines) api.conformance.check(template, "get", 200, "application/x-ndjson", JSON.parse(line));
      } else if (template === "/api/v1/export/studies.csv") {
        api.conformance.check(template, "get", 200, "text/csv", await res.text());
      } else {
        // The text answers: the documented media type (the body is a string in it).
        const kind = template.endsWith(".atom")
          ? "atom"
          : template.endsWith(".ics")
            ? "ics"
            : template === "/embed/organisations/{id}" || template === "/embed/studies"
              ? "embed"
              : null;
        if (kind && status === 200) expect(mediaTypeOf(res), path).toBe(MEDIA[kind]);
        await documented(api, template, res);
      }
      // Conditional request on every operation: 304 is documented too.
      if (status === 200) {
        const again = await api.get(path, { "if-none-match": res.headers.get("etag")! });
        expect(again.status, path).toBe(304);
        await documented(api, template, again);
      }
    }
  });

  it("the live stream: text/event-stream, every event's data matches the schema of its name, bad ids are documented errors", async () => {
    // From the very beginning: the seed's publications, then the change, withdrawal and status event.
    const stream = await SseClient.connect(api.url("/api/v1/events?lastEventId=0-0"));
    expect(stream.status).toBe(200);
    expect(String(stream.headers["content-type"]).split(";")[0]).toBe("text/event-stream");
    expect(stream.headers["access-control-allow-origin"]).toBe("*");
    await stream.next((e) => e.event === "ready");
    stream.close();
    api.conformance.check("/api/v1/events", "get", 200, "text/event-stream", "");
    expect(new Set(stream.events.map((e) => e.event))).toEqual(
      new Set(["study.published", "study.changed", "study.withdrawn", "study.status", "ready"]),
    );
    for (const e of stream.events) {
      expect(e.id, e.event).toMatch(/^\d+-\d+$/);
      api.conformance.checkEvent("/api/v1/events", e.event, JSON.parse(e.data));
    }
    // The check is strict: a field the document does not know fails.
    const changed = JSON.parse(stream.events.find((e) => e.event === "study.changed")!.data);
    expect(() => api.conformance.checkEvent("/api/v1/events", "study.changed", { ...changed, extra: 1 })).toThrow(
      /additional/,
    );
    expect(() => api.conformance.checkEvent("/api/v1/events", "study.nope", changed)).toThrow(/documents no event/);

    for (const path of ["/api/v1/events?lastEventId=abc", "/api/v1/events?since=1"]) {
      const res = await api.get(path);
      expect(res.status, path).toBe(400);
      await documented(api, "/api/v1/events", res);
    }
    const bad = await api.get("/api/v1/events", { "last-event-id": "99999999-0" });
    expect(bad.status).toBe(400);
    await documented(api, "/api/v1/events", bad);
  });

  it("every operation was checked with a real 200 (and a 304 where conditional)", () => {
    for (const op of api.conformance.operations()) {
      expect(api.conformance.checked, op).toContain(`${op} 200`);
      if (!UNCONDITIONAL.has(op.replace(/^GET /, ""))) expect(api.conformance.checked, op).toContain(`${op} 304`);
    }
    expect(api.conformance.checked).toContain("GET /api/v1/events event study.status");
  });

  it("the check is strict: an extra or missing field fails", async () => {
    const id = api
      .db()
      .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const body = (await (await api.get(`/api/v1/studies/${id}`)).json()) as Record<string, unknown>;
    expect(() =>
      api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", { ...body, secret: 1 }),
    ).toThrow(/additional/);
    const { status: _s, ...without } = body;
    expect(() => api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", without)).toThrow(
      /required/,
    );
    expect(() =>
      api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", { ...body, status: "stale" }),
    ).toThrow(/enum/);
  });
});

describe("the readable API page", () => {
  it("/api renders the same document in Norwegian with English summaries", async () => {
    const res = await api.get("/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<h1 id="api-tittel">Åpent API</h1>');
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { summary: string }>>)) {
      expect(html).toContain(path);
      for (const op of Object.values(item)) expect(html).toContain(op.summary);
    }
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="type-${name}"`);
    expect(html).toContain('lang="en"');
    expect(html).toContain('href="/api/openapi.json"');
  });
});
