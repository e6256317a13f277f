/**
 * The built server over real HTTP on a real SQLite file, set up for the open API tests: the demo
 * seed, the shipped postcode list (loaded by prepareDatabase), a fixed public BASE_URL (links in answers use
 * it; `url()` maps them back to the test server), and the server's OpenAPI document for checks.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { tempDir } from "./db";
import { OpenApiConformance } from "./openapi";
import { OPS_HEADERS, startServer, type RunningServer } from "./server";

export const PUBLIC_BASE = "http://api.kliniskestudier.test";

export interface ApiServer {
  server: RunningServer;
  dbFile: string;
  conformance: OpenApiConformance;
  /** A path ("/api/v1/…") or a link from an answer (on PUBLIC_BASE) → a URL of the test server. */
  url: (pathOrLink: string) => string;
  get: (pathOrLink: string, headers?: Record<string, string>) => Promise<Response>;
  /** A connection to the server's database file (closed by stop()). */
  db: () => Db;
  /** Waits until every search engine has indexed every change (a change made by this process is
   *  found by the server's indexer when it polls the outbox). */
  indexed: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface ApiServerOptions {
  env?: Record<string, string>;
  /** Runs on the database before the server starts. */
  prepare?: (db: Db) => void;
  /** Headers sent with every get() (e.g. a client address per request for the rate limit). */
  headers?: () => Record<string, string>;
}

export async function startApiServer({
  env = {},
  prepare,
  headers: defaults,
}: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = tempDir("ks-api-");
  const dbFile = path.join(dir, "api.db");
  const setup = openDatabase(dbFile);
  prepareDatabase(setup, { seedDemoData: true });
  prepare?.(setup);
  setup.close();

  const server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", BASE_URL: PUBLIC_BASE, ...env });
  const url = (p: string) =>
    p.startsWith(PUBLIC_BASE) ? server.url + p.slice(PUBLIC_BASE.length) : p.startsWith("http") ? p : server.url + p;
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(url(p), { headers: { ...defaults?.(), ...headers } });
  const doc = (await (await get("/api/openapi.json")).json()) as Record<string, unknown>;
  let connection: Db | null = null;
  const db = () => (connection ??= openDatabase(dbFile));

  const indexed = async () => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const health = (await (await get("/healthz", OPS_HEADERS)).json()) as {
        search: { engines: { outboxLag: number | null }[] };
      };
      if (health.search.engines.every((e) => e.outboxLag === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the search index did not catch up");
  };

  return {
    server,
    dbFile,
    conformance: new OpenApiConformance(doc),
    url,
    get,
    db,
    indexed,
    stop: async () => {
      connection?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a JSON answer and checks it against the document (path template, e.g. "/api/v1/studies/{id}"). */
export async function documented<T = any>(api: ApiServer, template: string, res: Response): Promise<T> {
  const type = res.headers.get("content-type")?.split(";")[0]!.trim() ?? null;
  if (res.status === 304) {
    api.conformance.check(template, "get", 304, null, null);
    return null as T;
  }
  const body = type === "application/json" ? await res.json() : await res.text();
  api.conformance.check(template, "get", res.status, type, body);
  return body as T;
}
