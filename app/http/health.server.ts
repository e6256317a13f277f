/**
 * /healthz (liveness) and who may read the operational details (/metrics, /healthz's and /readyz's
 * reports). The details (database and search state, outbox lag, counts) help an attacker map the
 * portal, so on the app port they need `Authorization: Bearer <METRICS_TOKEN>`; without it
 * /healthz and /readyz say only whether all is well (their status codes are unchanged, so load
 * balancers and probes work as before) and /metrics is 404. METRICS_PORT serves everything
 * without a token on a second port for the monitoring network (server.ts; docs/security.md).
 */
import type { Db } from "#app/db.server";
import { safeEqual } from "#app/auth/tokens.server";
import { databaseHealth } from "#app/models/meta.server";
import { searchHealthReport, type SearchEngines } from "#app/search.server";

type HeaderGetter = { get(name: string): string | null };

/** True when the request carries the configured METRICS_TOKEN (never when none is configured). */
export function opsAuthorised(headers: HeaderGetter, token: string | undefined): boolean {
  if (!token) return false;
  const given = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  return given !== undefined && safeEqual(given, token);
}

export interface HealthAnswer {
  httpStatus: 200 | 503;
  body: Record<string, unknown>;
}

/**
 * Liveness: 200 when the database answers, 503 when it does not. A search engine that is down
 * (e.g. Meilisearch) makes it "degraded" but stays 200: searches fall back to the embedded engine.
 * Only SELECTs run. `detailed` adds the database and per-engine search state.
 */
export async function healthAnswer(db: Db, engines: SearchEngines, detailed: boolean): Promise<HealthAnswer> {
  const database = databaseHealth(db);
  const search = database.ok
    ? await (async () => searchHealthReport(db, engines))().catch((e: unknown) => ({
        ok: false,
        error: (e as Error).message,
      }))
    : { ok: false, error: "database unavailable" };
  const status = !database.ok ? "error" : search.ok ? "ok" : "degraded";
  const time = new Date().toISOString();
  return {
    httpStatus: database.ok ? 200 : 503,
    body: detailed ? { status, time, database, search } : { status, time },
  };
}
