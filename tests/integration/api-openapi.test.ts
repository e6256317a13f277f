/**
 * The OpenAPI 3.1 document over real HTTP: valid according to a maintained parser
 * (@readme/openapi-parser), generated from the code's own zod schemas, and REAL responses of
 * every operation conform to it (Ajv, JSON Schema 2020-12). Also the readable page at /api.
 */
import { validate, compileErrors } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "~/api/openapi";
import { PHASES, STUDY_TYPES } from "~/domain/study";
import { documented, PUBLIC_BASE, startApiServer, type ApiServer } from "../helpers/api-server";

let api: ApiServer;
let doc: Record<string, any>;

beforeAll(async () => {
  // No rate limit here: these tests make many requests from one address.
  api = await startApiServer({ env: { API_RATE_LIMIT_PER_MINUTE: "0" } });
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
    const params = doc.paths["/api/v1/studies"].get.parameters as { name: string; schema: { items?: { enum?: string[] } } }[];
    expect(params.find((p) => p.name === "phases")!.schema.items!.enum).toEqual([...PHASES]);
    expect(doc.components.schemas.Study.properties.studyType.enum).toEqual([...STUDY_TYPES]);
    expect(doc.components.schemas.Study.additionalProperties).toBe(false);
    expect(doc.servers[0].url).toBe(PUBLIC_BASE);
  });

  it("documents every operation with an English summary, a Norwegian description and error answers", () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(item)) {
        expect(op.operationId, path).toMatch(/^[a-z][A-Za-z]+$/);
        expect(op.summary, path).toMatch(/^[A-Z][a-zA-Z0-9 ,()./]+$/);
        expect(op.description.length, path).toBeGreaterThan(40);
        expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(["200", "304"]));
        if (path.startsWith("/api/v1")) expect(Object.keys(op.responses), path).toContain("429");
      }
    }
  });
});

describe("real responses of every operation conform to the document", () => {
  it("checks 200s and errors of every operation", async () => {
    const id = (api.db().prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id LIMIT 1").pluck().get() as number) ?? 1;
    const calls: [string, string, number][] = [
      ["/api/v1/studies", "/api/v1/studies?q=kreft&status=open&facets=status,regionId,categories,studyType,phase,icd10Chapter,organisationId", 200],
      ["/api/v1/studies", "/api/v1/studies?postcode=0450&sort=distance&perPage=100", 200],
      ["/api/v1/studies", "/api/v1/studies?page=abc", 400],
      ["/api/v1/studies/{id}", `/api/v1/studies/${id}`, 200],
      ["/api/v1/studies/{id}", "/api/v1/studies/x", 400],
      ["/api/v1/studies/{id}", "/api/v1/studies/987654", 404],
      ["/api/v1/studies/{id}/versions", `/api/v1/studies/${id}/versions`, 200],
      ["/api/v1/studies/{id}/versions", "/api/v1/studies/987654/versions", 404],
      ["/api/v1/studies/{id}/versions", "/api/v1/studies/0/versions", 400],
      ["/api/v1/organisations", "/api/v1/organisations", 200],
      ["/api/v1/changes", "/api/v1/changes", 200],
      ["/api/v1/changes", "/api/v1/changes?since=nope", 400],
      ["/api/v1/export/studies.ndjson", "/api/v1/export/studies.ndjson", 200],
      ["/api/v1/export/studies.csv", "/api/v1/export/studies.csv", 200],
      ["/api/openapi.json", "/api/openapi.json", 200],
    ];
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
        await documented(api, template, res);
      }
      // Conditional request on every operation: 304 is documented too.
      if (status === 200) {
        const again = await api.get(path, { "if-none-match": res.headers.get("etag")! });
        expect(again.status, path).toBe(304);
        await documented(api, template, again);
      }
    }
    for (const op of api.conformance.operations()) {
      expect(api.conformance.checked, op).toContain(`${op} 200`);
      expect(api.conformance.checked, op).toContain(`${op} 304`);
    }
  });

  it("the check is strict: an extra or missing field fails", async () => {
    const id = api.db().prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id LIMIT 1").pluck().get() as number;
    const body = (await (await api.get(`/api/v1/studies/${id}`)).json()) as Record<string, unknown>;
    expect(() => api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", { ...body, secret: 1 })).toThrow(/additional/);
    const { status: _s, ...without } = body;
    expect(() => api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", without)).toThrow(/required/);
    expect(() => api.conformance.check("/api/v1/studies/{id}", "get", 200, "application/json", { ...body, status: "stale" })).toThrow(/enum/);
  });
});

describe("the readable API page", () => {
  it("/api renders the same document in Norwegian with English summaries", async () => {
    const res = await api.get("/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain("<h1 id=\"api-tittel\">Åpent API</h1>");
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { summary: string }>>)) {
      expect(html).toContain(path);
      for (const op of Object.values(item)) expect(html).toContain(op.summary);
    }
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="type-${name}"`);
    expect(html).toContain('lang="en"');
    expect(html).toContain('href="/api/openapi.json"');
  });
});
