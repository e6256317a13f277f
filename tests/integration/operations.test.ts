/**
 * Operations over real HTTP against the built server (npx remix build first) on a fresh database:
 * security headers on an HTML page (its inline scripts carry the CSP nonce), the API, the embed and
 * a static asset; /readyz (and 503 naming the problem); /metrics (route patterns, ingest counts,
 * outbox lag, engine); request ids; the JSON access log without secrets. And, in-process on a real
 * file: /healthz's and /readyz's reports only read (they answer while another connection holds the
 * write lock).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { parseConfig } from "#app/config.server";
import { openDatabase } from "#app/db.server";
import { createMetrics } from "#app/http/metrics.server";
import { readiness } from "#app/http/readiness.server";
import { readMigrations } from "#app/models/migrations.server";
import { cursorExists } from "#app/models/search-outbox.server";
import { issueToken } from "#app/models/token.server";
import { createSearchEngines, searchHealthReport } from "#app/search.server";
import { tempDir } from "../helpers/db";
import { OPS_HEADERS, startServer, type RunningServer } from "../helpers/server";

const FRAME_ANCESTORS = "https://www.helse-bergen.no 'self'";
let dir: string;
let dbFile: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = tempDir("ks-ops-");
  dbFile = path.join(dir, "ops.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: true });
  token = issueToken(db, "ous", "ops test").token;
  db.close();
  server = await startServer({
    DATABASE_PATH: dbFile,
    SEED_DEMO_DATA: "false",
    EMBED_FRAME_ANCESTORS: FRAME_ANCESTORS,
    API_RATE_LIMIT_PER_MINUTE: "0",
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The operational details (/metrics, /readyz's report) need the test servers' METRICS_TOKEN.
const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(server.url + p, { headers: { ...OPS_HEADERS, ...headers } });
const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

function ingest(studies: { id: string; tittel: string }[]) {
  return fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      cookie: "ks_session=should-never-be-logged",
    },
    body: JSON.stringify(
      studies.map((s, i) => ({
        ...s,
        sammendrag: "Et kort sammendrag.",
        studietype: "behandling",
        utfort_av: "ous",
        identifikatorer: { rek: `77${String(i).padStart(4, "0")}` },
        studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2027-12-31" }],
      })),
    ),
  });
}

describe("security headers on the built app", () => {
  // A hydrated page (Remix's inline context, module entry and scroll restoration) and a light
  // page (issue 24: only its own script, ADR 0017).
  it.each([
    ["/helsepersonell?q=kreft", 3],
    ["/pasient?q=kreft", 1],
  ])(
    "an HTML page (%s): strict CSP whose nonce is on every inline and module script, and no inline handlers or styles",
    async (page, minScripts) => {
      const res = await get(page);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy")!;
      expect(res.headers.getSetCookie()).toEqual([]);
      const d = directives(csp);
      const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(d.get("script-src")![1]!)![1]!;
      expect(d.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(csp).not.toContain("unsafe-inline");
      expect(d.get("frame-ancestors")).toEqual(["'none'"]);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("strict-transport-security")).toBeNull();
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g)!;
      expect(scripts.length).toBeGreaterThanOrEqual(minScripts);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/\sstyle="/i);
      expect(html).not.toMatch(/<style\b/i);
      // Each page gets its own nonce.
      const again = (await get(page)).headers.get("content-security-policy")!;
      expect(again).not.toContain(nonce);
    },
  );

  it("behind a proxy that says https (TRUST_PROXY_HOPS unset): no HSTS, the claim is not trusted", async () => {
    const res = await get("/", { "X-Forwarded-Proto": "https" });
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("API JSON: default-src 'none', readable by other sites, nosniff once", async () => {
    const res = await get("/api/v1/studies");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none';frame-ancestors 'none'/);
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("the hospital embed keeps its own frame-ancestors (EMBED_FRAME_ANCESTORS) and no X-Frame-Options", async () => {
    const res = await get("/embed/organisations/ous");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain(`frame-ancestors ${FRAME_ANCESTORS}`);
    expect(csp).not.toContain(",");
    expect(csp).not.toContain("script-src");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("a static asset from the build and a public file: nosniff, same-origin, the page policy", async () => {
    const html = await (await get("/helsepersonell")).text();
    const asset =
      /<script[^>]+src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.js)"/.exec(html)![1]!;
    // The light pages' script (issue 24) is a public file too.
    const light = /<script[^>]+src="(\/light\/patient-page\.js\?v=[0-9a-f]+)"/.exec(
      await (await get("/pasient")).text(),
    )![1]!;
    for (const file of [asset, light, "/favicon.svg"]) {
      const res = await get(file);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self' 'nonce-");
    }
  });
});

describe("/readyz and /healthz", () => {
  it("ready: database, migrations, search and outbox are fine", async () => {
    const res = await get("/readyz");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({
      status: "ready",
      problems: [],
      checks: { database: { ok: true }, migrations: { ok: true, pending: [], unknown: [] }, shuttingDown: false },
    });
    expect(body.checks.migrations.applied).toBe(readMigrations().length);
    expect(body.checks.search.engines).toEqual([
      expect.objectContaining({ engine: "sqlite-fts", ok: true, outboxLag: 0 }),
    ]);
    expect((await get("/healthz")).status).toBe(200);
  });

  it("503 naming the problem when the database has a migration this code does not know; ready again when it is gone", async () => {
    const db = openDatabase(dbFile);
    try {
      db.prepare(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'from_the_future', 'x', ?)",
      ).run(new Date().toISOString());
      const res = await get("/readyz");
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe("not_ready");
      expect(body.checks.migrations.unknown).toEqual(["9999_from_the_future"]);
      expect(body.problems.join("\n")).toMatch(
        /migrations: the database has migrations this code does not know \(9999_from_the_future\)/,
      );
      // Liveness is not readiness: the process is fine.
      expect((await get("/healthz")).status).toBe(200);
    } finally {
      db.prepare("DELETE FROM schema_migrations WHERE version = 9999").run();
      db.close();
    }
    expect((await get("/readyz")).status).toBe(200);
  });
});

describe("/metrics", () => {
  it("latency by route pattern (never the raw URL), ingest counts, outbox lag, the engine in use, process metrics", async () => {
    // Read the bodies: fetch resolves at the headers, and a page is timed when it has ended
    // (on a busy machine the second 404 was still streaming when /metrics was read).
    for (const id of [424242, 424243]) {
      // As a visitor asks (no token): the page cache is asked, and counts a miss.
      const res = await fetch(`${server.url}/pasient/studier/${id}`);
      expect(res.status).toBe(404);
      await res.text();
    }
    const ingested = await ingest([
      { id: "OPS-1", tittel: "Driftsstudie én" },
      { id: "OPS-2", tittel: "Driftsstudie to" },
    ]);
    expect(ingested.status).toBe(200);
    // fetch resolves at the headers: read the body so that the response has ended (and been timed).
    expect(await ingested.json()).toMatchObject({ created: 2 });
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;/);
    expect(res.headers.get("content-type")).toContain("version=0.0.4");
    const text = await res.text();
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/pasient\/studier\/:id",status_code="404"\} 2$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/organisations\/:orgId\/studies",status_code="200"\} 1$/m,
    );
    expect(text).not.toContain("424242");
    expect(text).not.toMatch(/route="\/pasient\/studier\/\d/);
    expect(text).toMatch(/^kliniske_ingest_runs_total\{status="finished"\} 1$/m);
    expect(text).toMatch(/^kliniske_ingest_records_total\{outcome="created"\} 2$/m);
    expect(text).toMatch(/^kliniske_search_outbox_lag\{engine="sqlite-fts"\} \d+$/m);
    expect(text).toMatch(/^kliniske_search_engine\{engine="sqlite-fts",role="configured"\} 1$/m);
    expect(text).toMatch(/^kliniske_search_engine\{engine="sqlite-fts",role="serving"\} 1$/m);
    expect(text).toMatch(/^kliniske_sse_clients 0$/m);
    // The two public 404s above went past the page cache (a 404 is never stored).
    expect(Number(/^kliniske_page_cache_total\{result="miss"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^kliniske_page_cache_total\{result="hit"\} \d+$/m);
    expect(text).toMatch(/^kliniske_page_cache_bytes \d+$/m);
    expect(text).toMatch(/^kliniske_search_table_reads_total\{kind="catch_up"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // Every route label is a pattern, "static", "/build/*" or "unmatched": a bounded set.
    const labels = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!));
    for (const label of labels) expect(label).toMatch(/^(\/[a-zA-Z0-9._\-:/*]*|static|unmatched)$/);
  });
});

describe("request ids and the access log", () => {
  it("echoes a sane X-Request-Id, makes one otherwise, and logs JSON with it — without the token, cookie or reset token", async () => {
    const mine = await get("/pasient", { "X-Request-Id": "edge-42.abc" });
    expect(mine.headers.get("x-request-id")).toBe("edge-42.abc");
    await mine.text(); // the access line is written when the page has ended
    const made = await get("/pasient", { "X-Request-Id": "bad id\twith spaces" });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await made.text();
    await (await get("/nytt-passord?token=reset-secret-123")).text();
    const posted = await ingest([{ id: "OPS-3", tittel: "Driftsstudie tre" }]);
    expect(posted.status).toBe(200);
    await posted.json();
    const postId = posted.headers.get("x-request-id")!;

    // The access line is written when the response ends; wait for it to reach our pipe.
    for (
      let i = 0;
      i < 100 && !(server.output().includes(postId) && server.output().includes('"id":"edge-42.abc"'));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, any>);
    // A public page: its route pattern only, no address (docs/privacy.md); the organisation's ingest keeps its URL.
    expect(lines.find((l) => l.req?.id === "edge-42.abc")).toMatchObject({
      level: 30,
      req: { id: "edge-42.abc", method: "GET", route: "/pasient" },
      res: { statusCode: 200 },
    });
    expect(lines.find((l) => l.req?.id === "edge-42.abc")?.req.remoteAddress).toBeUndefined();
    expect(lines.find((l) => l.req?.id === postId)).toMatchObject({
      req: { method: "POST", url: "/api/v1/organisations/ous/studies?format=native" },
      res: { statusCode: 200 },
    });
    expect(lines.find((l) => /listening on http:\/\/localhost:\d+/.test(l.msg))).toBeTruthy();
    const output = server.output();
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.slice(3, 20));
    expect(output).not.toContain("should-never-be-logged");
    expect(output).not.toContain("reset-secret-123");
    expect(output).not.toMatch(/authorization/i);
    // Probes are not logged.
    expect(lines.some((l) => [l.req?.url, l.req?.route].some((u) => u === "/readyz" || u === "/metrics"))).toBe(false);
  });
});

describe("the health reports only read", () => {
  it("/healthz's and /readyz's reports answer while another connection holds the write lock, and create no search cursor", async () => {
    const file = path.join(dir, "readonly.db");
    const setup = openDatabase(file);
    prepareDatabase(setup, { seedDemoData: false });
    setup.close();
    const db = openDatabase(file);
    const writer = openDatabase(file);
    try {
      // No waiting: any write attempt fails at once with SQLITE_BUSY.
      db.pragma("busy_timeout = 0");
      const engines = createSearchEngines(parseConfig({}), db);
      expect(cursorExists(db, "sqlite-fts")).toBe(false);
      writer.prepare("BEGIN IMMEDIATE").run();
      const health = await searchHealthReport(db, engines);
      expect(health.engines[0]).toMatchObject({ engine: "sqlite-fts", ok: true, outboxLag: null });
      const ready = await readiness({ db, engines, migrations: readMigrations(), shuttingDown: () => false });
      expect(ready.checks.database.ok).toBe(true);
      expect(ready.checks.migrations.ok).toBe(true);
      // A new engine has no index yet: not ready, and said so.
      expect(ready.status).toBe("not_ready");
      expect(ready.problems).toEqual(["search (sqlite-fts): no index yet (it is being built)"]);
      writer.prepare("ROLLBACK").run();
      expect(cursorExists(db, "sqlite-fts")).toBe(false);
    } finally {
      writer.close();
      db.close();
    }
  });
});

describe("/metrics counts searches the embedded engine answered for Meilisearch", () => {
  it("reports the fallback answers by reason", async () => {
    const file = path.join(dir, "fallback-metrics.db");
    const db = openDatabase(file);
    try {
      prepareDatabase(db, { seedDemoData: false });
      // Nothing listens on port 9 on loopback: every Meilisearch request fails at once.
      const engines = createSearchEngines(
        parseConfig({ SEARCH_ENGINE: "meilisearch", MEILI_HOST: "http://127.0.0.1:9", MEILI_API_KEY: "x".repeat(32) }),
        db,
        { log: () => {} },
      );
      const metrics = createMetrics({ db, engines, routes: {}, sseClients: () => 0 });
      const r = await engines.search.search({ now: new Date(), q: "kreft" });
      expect(r.engine).toBe("sqlite-fts");
      const text = await metrics.registry.metrics();
      expect(text).toContain('kliniske_search_fallback_answers_total{reason="unavailable"} 1');
      expect(text).toContain('kliniske_search_fallback_answers_total{reason="behind"} 0');
    } finally {
      db.close();
    }
  });
});
