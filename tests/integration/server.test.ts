/** The built app over real HTTP: start, pages, health, restart, bad configuration. */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { tempDir } from "../helpers/db";
import { OPS_HEADERS, runServerExpectingExit, startServer, type RunningServer } from "../helpers/server";

let dir: string;
let dbFile: string;
let server: RunningServer;

beforeAll(async () => {
  dir = tempDir();
  dbFile = path.join(dir, "portal.db");
  server = await startServer({ DATABASE_PATH: dbFile });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function firstStudyId(state: string): number {
  const db = openDatabase(dbFile);
  try {
    return db
      .prepare("SELECT id FROM studies WHERE publication_state = ? ORDER BY id LIMIT 1")
      .pluck()
      .get(state) as number;
  } finally {
    db.close();
  }
}

describe("the portal over HTTP", () => {
  it("serves the front page in Norwegian with the three entry points", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain("<h1>Kliniske studier i Norge</h1>");
    for (const href of ["/pasient", "/helsepersonell", "/forsker"]) expect(html).toContain(`href="${href}"`);
  });

  it("reports health with the database state", async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: OPS_HEADERS });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      database: { ok: boolean; journalMode: string; studies: number; migrations: number };
    };
    expect(body.status).toBe("ok");
    expect(body.database).toMatchObject({ ok: true, journalMode: "wal" });
    expect(body.database.studies).toBeGreaterThanOrEqual(60);
    expect(body.database.migrations).toBeGreaterThanOrEqual(1);
  });

  it("shows a published study with its sites and statuses", async () => {
    const id = firstStudyId("published");
    const res = await fetch(`${server.url}/studier/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Studiesteder og inklusjonsperiode for hvert sted");
    expect(html).toMatch(/class="status status-(open|planned|paused|closed)"/);
    expect(html).toContain("Demodata");
  });

  it.each(["/studier/99999999", "/studier/abc", "/studier/1e3", "/studier/-1", "/finnes-ikke"])(
    "answers 404 for %s",
    async (p) => {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status).toBe(404);
    },
  );

  it("does not show drafts to the public", async () => {
    const id = firstStudyId("draft");
    expect(id).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/studier/${id}`)).status).toBe(404);
  });

  it.each(["/pasient", "/helsepersonell", "/forsker", "/pasient?status=alle", "/helsepersonell?status=alle"])(
    "serves %s",
    async (p) => {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<h1>[^<]+<\/h1>/);
    },
  );

  it("keeps the data across a restart and does not seed twice", async () => {
    const before = (await (await fetch(`${server.url}/healthz`, { headers: OPS_HEADERS })).json()) as {
      database: { studies: number };
    };
    expect(await server.stop()).toBe(0);
    server = await startServer({ DATABASE_PATH: dbFile });
    expect(server.output()).not.toContain("Demo data seeded");
    const after = (await (await fetch(`${server.url}/healthz`, { headers: OPS_HEADERS })).json()) as {
      database: { studies: number };
    };
    expect(after.database.studies).toBe(before.database.studies);
    const db = openDatabase(dbFile);
    expect(db.prepare("SELECT max(version) FROM study_versions").pluck().get()).toBe(1);
    db.close();
  });
});

describe("a bad configuration value stops the start and names the variable", () => {
  it.each([
    ["PORT", { PORT: "not-a-port" }],
    ["SEARCH_ENGINE", { SEARCH_ENGINE: "elasticsearch" }],
    ["MEILI_HOST", { SEARCH_ENGINE: "meilisearch" }],
    ["SESSION_SECRET", { SESSION_SECRET: "too-short" }],
    ["BASE_URL", { BASE_URL: "not a url" }],
  ])("%s", async (variable, env) => {
    const { code, output } = await runServerExpectingExit({ DATABASE_PATH: path.join(dir, "never.db"), ...env });
    expect(code).toBe(1);
    expect(output).toContain("Invalid configuration");
    expect(output).toContain(`${variable}:`);
  });
});
