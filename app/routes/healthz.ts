import { getDb } from "~/db.server";
import { databaseHealth } from "~/models/meta.server";
import { getSearchEngines, searchHealthReport } from "~/search.server";

/**
 * Liveness (readiness is /readyz, in server.ts: app/http/readiness.server.ts). Read-only: only
 * SELECTs run, so a probe never takes the write lock or creates a search cursor. With the
 * database and search state: 200 when the database answers, 503 when it does
 * not. A search engine that is down (e.g. Meilisearch) is reported with status "degraded" but
 * stays 200: searches fall back to the embedded engine. Per engine: health, documents, outbox lag
 * and the indexer's failures/back-off.
 */
export async function loader() {
  const db = getDb();
  const database = databaseHealth(db);
  const search = database.ok
    ? await (async () => searchHealthReport(db, getSearchEngines()))().catch((e: unknown) => ({ ok: false, error: (e as Error).message }))
    : { ok: false, error: "database unavailable" };
  const status = !database.ok ? "error" : search.ok ? "ok" : "degraded";
  return Response.json(
    { status, time: new Date().toISOString(), database, search },
    { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
