/**
 * Faults, for real: kill -9 of the server while editors publish; Meilisearch killed and restarted
 * under traffic; a full database file (PRAGMA max_page_count → SQLITE_FULL) and a read-only one
 * during an ingest. After each: every study is whole (its rows equal its latest version), the
 * database passes integrity_check, and the search index converges.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { cursorState } from "#app/models/search-outbox.server";
import { getStudy, latestSnapshot, toStudyInput } from "#app/models/study.server";
import { issueToken } from "#app/models/token.server";
import { generateNativeFeed } from "../../scripts/lib/generate-native-feed";
import { documentsFor } from "#app/search/indexer.server";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { createPeople, PASSWORD, PEOPLE, testStudy } from "../helpers/accounts";
import { freshDb, tempDir, type TestDb } from "../helpers/db";
import { childEnv, OPS_HEADERS, startServer, type RunningServer } from "../helpers/server";
import { saveStudyOrThrow } from "../helpers/studies";

/**
 * The server in ONE process (node --import tsx), so SIGKILL hits the process that writes (the
 * tsx CLI would run server.ts in a child that survives the kill).
 */
async function startServerProcess(
  env: Record<string, string>,
  fileSizeLimitKb?: number,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const args = ["--import", "tsx", "server.ts"];
  // With a file-size limit: bash sets it (ulimit -f, in KiB) and execs node, so it is still one process.
  const child =
    fileSizeLimitKb === undefined
      ? spawn(process.execPath, args, { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] })
      : spawn(
          "bash",
          [
            "-c",
            `ulimit -f ${fileSizeLimitKb} && exec "$0" --import ${path.resolve("tests/helpers/ignore-sigxfsz.mjs")} "$@"`,
            process.execPath,
            ...args,
          ],
          {
            env: childEnv(env),
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace("localhost", "127.0.0.1"));
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { url, child, output: () => output };
}

/** Waits (not a timed assertion: fails only if it never happens) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Studies whose rows differ from their latest version (a torn write), or whose version numbers disagree. */
function tornStudies(db: Db): number[] {
  const ids = db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
  return ids.filter((id) => {
    const record = getStudy(db, id)!;
    const max = db.prepare("SELECT max(version) FROM study_versions WHERE study_id = ?").pluck().get(id) as number;
    return record.currentVersion !== max || !isDeepStrictEqual(toStudyInput(record), latestSnapshot(db, id));
  });
}

function expectIntact(db: Db) {
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(db.pragma("foreign_key_check")).toEqual([]);
  expect(tornStudies(db)).toEqual([]);
}

async function healthLag(url: string): Promise<{
  status: string;
  engines: { engine: string; ok: boolean; outboxLag: number | null; documents: number | null }[];
}> {
  const health = (await (await fetch(`${url}/healthz`, { headers: OPS_HEADERS })).json()) as {
    status: string;
    search: { engines: { engine: string; ok: boolean; outboxLag: number | null; documents: number | null }[] };
  };
  return { status: health.status, engines: health.search.engines };
}

/** A signed-in editor over HTTP (cookie jar + the CSRF token from the last page). */
async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${url}/logg-inn`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const jar = new Map(form.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));
  const res = await fetch(`${url}/logg-inn`, {
    method: "POST",
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ email, password: PASSWORD, csrf, til: "/redaksjon" }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  for (const c of res.headers.getSetCookie()) {
    const [k, ...v] = c.split(";")[0]!.split("=");
    jar.set(k!, v.join("="));
  }
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await fetch(`${url}/redaksjon`, { headers: { cookie } });
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? csrf;
  return { cookie, csrf: token };
}

// ---------------------------------------------------------------------------------------------

describe("kill -9 of the server while an editor publishes", () => {
  const N = 120;
  let dir: string;
  let dbFile: string;
  const ids: number[] = [];

  beforeAll(async () => {
    dir = tempDir("ks-faults-");
    dbFile = path.join(dir, "publish.db");
    const db = openDatabase(dbFile);
    prepareDatabase(db, { seedDemoData: false });
    await createPeople(db);
    const actor = { kind: "system" as const, name: "faults" };
    for (let i = 0; i < N; i++) {
      const r = saveStudyOrThrow(
        db,
        testStudy({ identifiers: { rek: String(700_000 + i) }, title: { nb: `Publiseringsstudie nummer ${i}` } }),
        { actor },
      );
      ids.push(r.studyId);
    }
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves each study the old or the new version, keeps what was not indexed in the outbox, and the index converges", async () => {
    const env = { DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", SESSION_SECRET: "f".repeat(40) };
    const first = await startServerProcess(env);
    const { cookie, csrf } = await signIn(first.url, PEOPLE.editorStOlavs.email);
    const watch = openDatabase(dbFile);
    const published = () =>
      watch.prepare("SELECT count(*) FROM studies WHERE publication_state = 'published'").pluck().get() as number;

    // Three editors' worth of approvals at once, until the server dies under them.
    let next = 0;
    let answered = 0;
    const failures: string[] = [];
    const approve = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        let answer: { status: number; text: string };
        try {
          const res = await fetch(`${first.url}/redaksjon/studier/${id}`, {
            method: "POST",
            headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ intent: "approve", version: "1", comment: "Godkjent i feiltesten", csrf }),
            redirect: "manual",
          });
          answer = { status: res.status, text: await res.text() };
        } catch {
          return; // the server is gone
        }
        // Outside the try: a refused approval (a 500 "database is locked") fails the test, not "the server is gone".
        if (answer.status !== 302) failures.push(`${answer.status}: ${answer.text.slice(0, 200)}`);
        else answered++;
      }
    };
    const workers = [approve(), approve(), approve()];
    await until(
      () => published() >= 30 || first.child.exitCode !== null || failures.length > 0,
      "some approvals committed",
    );
    expect(failures, "every approval before the kill is answered").toEqual([]);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    await Promise.all(workers);
    watch.close();

    const db = openDatabase(dbFile);
    expectIntact(db);
    const states = db
      .prepare("SELECT id, publication_state AS state, current_version AS version FROM studies ORDER BY id")
      .all() as { id: number; state: string; version: number }[];
    const done = states.filter((s) => s.state === "published");
    expect(done.length, "the kill must land mid-publishing").toBeGreaterThanOrEqual(answered);
    expect(done.length, "the kill must land mid-publishing").toBeLessThan(N);
    for (const s of states) {
      // Old: submitted, version 1, no review. New: published, version 2, exactly one approval.
      const reviews = db
        .prepare("SELECT count(*) FROM study_reviews WHERE study_id = ? AND decision = 'approved'")
        .pluck()
        .get(s.id) as number;
      if (s.state === "published") expect([s.version, reviews]).toEqual([2, 1]);
      else expect([s.state, s.version, reviews]).toEqual(["submitted", 1, 0]);
    }
    // Every published study is either in the embedded index already or waiting in the outbox.
    const cursor = cursorState(db, "sqlite-fts").lastId;
    const waiting = new Set(
      db.prepare("SELECT study_id FROM search_outbox WHERE id > ?").pluck().all(cursor) as number[],
    );
    const indexed = new Set(db.prepare("SELECT study_id FROM search_studies").pluck().all() as number[]);
    for (const s of done)
      expect(indexed.has(s.id) || waiting.has(s.id), `study ${s.id} is indexed or in the outbox`).toBe(true);
    for (const s of states.filter((x) => x.state !== "published")) expect(indexed.has(s.id)).toBe(false);
    db.close();

    // Restart: the indexer drains the outbox and the index holds exactly the published studies.
    const second = await startServer(env);
    try {
      await until(
        async () => (await healthLag(second.url)).engines.every((e) => e.outboxLag === 0),
        "the outbox is drained",
      );
      const res = await fetch(`${second.url}/api/v1/studies?q=publiseringsstudie&perPage=100&page=1`);
      const body = (await res.json()) as { meta: { total: number }; data: { id: number }[] };
      expect(body.meta.total).toBe(done.length);
      const after = openDatabase(dbFile);
      expect(after.prepare("SELECT study_id FROM search_studies ORDER BY study_id").pluck().all() as number[]).toEqual(
        done.map((s) => s.id),
      );
      after.close();
      // And publishing goes on where it stopped.
      const { cookie: c2, csrf: t2 } = await signIn(second.url, PEOPLE.editorStOlavs.email);
      const rest = states.find((s) => s.state === "submitted")!;
      const res2 = await fetch(`${second.url}/redaksjon/studier/${rest.id}`, {
        method: "POST",
        headers: { cookie: c2, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "approve", version: "1", comment: "", csrf: t2 }),
        redirect: "manual",
      });
      expect(res2.status).toBe(302);
    } finally {
      await second.stop();
    }
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------

describe("Meilisearch killed and restarted under traffic", () => {
  let dir: string;
  let dbFile: string;
  let meili: LocalMeilisearch;
  let server: RunningServer;
  let token = "";

  beforeAll(async () => {
    dir = tempDir("ks-faults-meili-");
    dbFile = path.join(dir, "meili.db");
    const db = openDatabase(dbFile);
    prepareDatabase(db, { seedDemoData: true });
    token = issueToken(db, "st-olavs", "faults").token;
    db.close();
    meili = await startLocalMeilisearch();
    server = await startServer({
      DATABASE_PATH: dbFile,
      SEED_DEMO_DATA: "false",
      SEARCH_ENGINE: "meilisearch",
      MEILI_HOST: meili.host,
      MEILI_API_KEY: meili.masterKey,
      API_RATE_LIMIT_PER_MINUTE: "0",
    });
    await until(
      async () => (await healthLag(server.url)).engines.every((e) => e.ok && e.outboxLag === 0),
      "both engines are built",
    );
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await meili?.stop({ keepData: false });
    rmSync(dir, { recursive: true, force: true });
  });

  const feed = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `M${from + i}`,
      tittel: `Trafikkstudie ${from + i} om hjertesvikt`,
      sammendrag: "Et sammendrag.",
      studietype: "behandling",
      identifikatorer: { rek: String(810_000 + from + i) },
      studiesteder: [{ foretak: "st-olavs", inklusjon_start: "2026-01-01", inklusjon_slutt: "2028-12-31" }],
    }));
  const ingest = (body: unknown) =>
    fetch(`${server.url}/api/v1/organisations/st-olavs/studies?format=native`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("search pages keep answering 200 from the embedded engine while it is down; nothing is lost; the index converges", async () => {
    const statuses: number[] = [];
    const engines = new Set<string>();
    let stop = false;
    const traffic = async () => {
      while (!stop) {
        for (const p of [
          "/pasient?q=hjertesvikt",
          "/helsepersonell?q=trafikkstudie",
          "/api/v1/studies?q=trafikkstudie&perPage=100",
          "/feeds/search.atom?q=hjertesvikt",
        ]) {
          const res = await fetch(server.url + p);
          statuses.push(res.status);
          if (p.startsWith("/api/")) engines.add(((await res.json()) as { meta: { engine: string } }).meta.engine);
          else await res.arrayBuffer();
        }
      }
    };
    const runners = [traffic(), traffic()];

    // 1. Up: a first batch is indexed by both engines.
    expect((await ingest(feed(0, 20))).status).toBe(200);
    await until(
      async () => (await healthLag(server.url)).engines.every((e) => e.outboxLag === 0),
      "the first batch is indexed",
    );

    // 2. Killed without warning; writes keep coming while it is down.
    await meili.stop({ signal: "SIGKILL", keepData: true });
    await until(async () => (await healthLag(server.url)).status === "degraded", "health reports degraded");
    expect((await ingest(feed(20, 30))).status).toBe(200);
    await until(async () => {
      const r = (await (await fetch(`${server.url}/api/v1/studies?q=trafikkstudie&perPage=100`)).json()) as {
        meta: { total: number; engine: string };
      };
      return r.meta.engine === "sqlite-fts" && r.meta.total === 50;
    }, "the embedded engine answers with the new studies");
    const lagWhileDown = (await healthLag(server.url)).engines.find((e) => e.engine === "meilisearch")!;
    expect(lagWhileDown.outboxLag, "the changes wait in the outbox").toBeGreaterThan(0);

    // 3. Back on the same data, port and key.
    const { dataDir, port, masterKey } = meili;
    meili = await startLocalMeilisearch({ dataDir, port, masterKey, keepData: false });
    await until(
      async () => {
        const h = await healthLag(server.url);
        return h.status === "ok" && h.engines.every((e) => e.ok && e.outboxLag === 0);
      },
      "Meilisearch catches up after the restart",
      150_000,
    );
    // Once caught up, it answers the traffic again (waited for: a catch-up can take only
    // milliseconds, shorter than one round of the traffic on a busy machine).
    await until(async () => engines.has("meilisearch"), "Meilisearch answers again after it caught up");
    stop = true;
    await Promise.all(runners);

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(engines).toEqual(new Set(["meilisearch", "sqlite-fts"]));
    // Meilisearch itself now holds every study, the ones written while it was down included.
    const engine = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey });
    const found = await engine.search({ now: new Date(), q: "trafikkstudie", perPage: 100 });
    expect(found.total).toBe(50);
    const db = openDatabase(dbFile);
    const expected = documentsFor(db, db.prepare("SELECT id FROM studies").pluck().all() as number[]).documents.length;
    db.close();
    expect((await engine.health()).documents).toBe(expected);
    const served = (await (await fetch(`${server.url}/api/v1/studies?q=trafikkstudie&perPage=100`)).json()) as {
      meta: { total: number; engine: string };
    };
    expect(served.meta).toMatchObject({ engine: "meilisearch", total: 50 });
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------

describe("a full or read-only database during an ingest", () => {
  let t: TestDb;
  const feed = (n: number, title: string) =>
    Buffer.from(
      JSON.stringify(
        (generateNativeFeed(n, { organisationId: "st-olavs" }) as { tittel: string }[]).map((s) => ({
          ...s,
          tittel: `${title} ${s.tittel}`,
        })),
      ),
    );
  const run = (db: Db, input: Buffer) =>
    ingestBatch(db, mapInput("native", input, buildMapContext(db, "st-olavs")), {
      organisationId: "st-olavs",
      format: "native",
      mode: "partial",
    });

  beforeAll(() => {
    t = freshDb();
    const first = run(t.db, feed(300, "Første"));
    expect(first).toMatchObject({ created: 300, rejected: 0 });
  });
  afterAll(() => t?.cleanup());

  const snapshot = (db: Db) => ({
    studies: db.prepare("SELECT * FROM studies ORDER BY id").all(),
    versions: db.prepare("SELECT count(*) FROM study_versions").pluck().get(),
  });

  it("a full file (PRAGMA max_page_count → SQLITE_FULL): a clear error naming the cause, no partial study, integrity ok, and the feed converges once there is room", () => {
    const pages = t.db.pragma("page_count", { simple: true }) as number;
    // Room for a little, not for 3,000 changed and new studies.
    t.db.pragma(`max_page_count = ${pages + 200}`);
    const big = feed(3000, "Endret");
    let error: (Error & { code?: string }) | null = null;
    try {
      run(t.db, big);
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error, "the ingest must fail").not.toBeNull();
    expect(error!.code).toBe("SQLITE_FULL");
    expect(error!.message).toMatch(/full/i);
    expectIntact(t.db);
    // Each study is either the old "Første" or the whole new "Endret" version: none half-written.
    const titles = t.db
      .prepare("SELECT text FROM study_texts WHERE field = 'title' AND lang = 'nb'")
      .pluck()
      .all() as string[];
    expect(titles.every((x) => /^(Første|Endret) /.test(x))).toBe(true);
    // The run is recorded with the cause (written after the failed chunk was rolled back).
    const lastRun = t.db.prepare("SELECT error FROM ingest_runs ORDER BY id DESC LIMIT 1").pluck().get() as
      string | null;
    expect(lastRun ?? "").toMatch(/full/i);

    t.db.pragma("max_page_count = 1073741823");
    const again = run(t.db, big);
    expect(again.rejected).toBe(0);
    expect(again.created + again.changed + again.unchanged).toBe(3000);
    expectIntact(t.db);
  });

  it("a read-only database: the ingest fails at once naming the cause, and nothing changes", () => {
    const before = snapshot(t.db);
    chmodSync(t.file, 0o444);
    try {
      // As root (CI) the file mode does not stop writes, so the read-only case is made at the
      // I/O boundary as well: the database opened read-only (and a connection with query_only).
      const readonly = new Database(t.file, { readonly: true, fileMustExist: true });
      readonly.pragma("foreign_keys = ON");
      const queryOnly = openDatabase(t.file);
      queryOnly.pragma("query_only = ON");
      for (const db of [readonly, queryOnly]) {
        let error: (Error & { code?: string }) | null = null;
        try {
          run(db, feed(50, "Skrivebeskyttet"));
        } catch (e) {
          error = e as Error & { code?: string };
        }
        expect(error, "the ingest must fail").not.toBeNull();
        expect(error!.code).toMatch(/^SQLITE_READONLY/);
        expect(error!.message).toMatch(/readonly|read-only/i);
        db.close();
      }
    } finally {
      chmodSync(t.file, 0o644);
    }
    expect(snapshot(t.db)).toEqual(before);
    expectIntact(t.db);
  });
});

describe("the ingest API when the disk fills up (a real file-size limit on the server process)", () => {
  let dir: string;
  let dbFile: string;
  let token = "";
  beforeAll(() => {
    dir = tempDir("ks-faults-full-");
    dbFile = path.join(dir, "full.db");
    const db = openDatabase(dbFile);
    prepareDatabase(db, { seedDemoData: false });
    token = issueToken(db, "st-olavs", "faults").token;
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const body = JSON.stringify(generateNativeFeed(3000, { organisationId: "st-olavs" }));
  const send = (url: string) =>
    fetch(`${url}/api/v1/organisations/st-olavs/studies?format=native`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });

  it("answers a JSON error naming the storage cause (not a bare 500), stores no partial study, and the feed converges later", async () => {
    // Room for about half a megabyte more than the database has now: far less than 3,000 studies.
    const limitKb = Math.ceil(statSync(dbFile).size / 1024) + 512;
    const full = await startServerProcess({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false" }, limitKb);
    // Read after the server is stopped, so a failed request still stops it first.
    let status: number | undefined;
    let answer: { error?: { code: string; message: string } } = {};
    try {
      const res = await send(full.url);
      status = res.status;
      expect(res.headers.get("content-type")).toMatch(/json/);
      answer = (await res.json()) as typeof answer;
      // The server keeps serving reads.
      expect((await fetch(`${full.url}/healthz`)).status).toBe(200);
    } finally {
      full.child.kill("SIGKILL");
      await new Promise((r) => (full.child.exitCode !== null ? r(null) : full.child.once("exit", r)));
    }
    expect([503, 507]).toContain(status);
    expect(["insufficient_storage", "storage_error"]).toContain(answer.error!.code);
    expect(answer.error!.message).toMatch(/SQLITE_(FULL|IOERR)/);

    const db = openDatabase(dbFile);
    expectIntact(db);
    const stored = db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    expect(stored).toBeLessThan(3000);
    db.close();

    // With room again, the same feed completes: what was stored is unchanged, the rest is created.
    const roomy = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false" });
    try {
      const res = await send(roomy.url);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ created: 3000 - stored, unchanged: stored, rejected: 0 });
    } finally {
      await roomy.stop();
    }
    const after = openDatabase(dbFile);
    expectIntact(after);
    after.close();
  }, 240_000);
});
