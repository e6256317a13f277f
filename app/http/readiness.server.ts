/**
 * GET /readyz — may this instance take traffic? 200 {"status":"ready"} or 503 with every
 * problem named. /healthz stays the liveness probe (the process answers and the database opens).
 *
 * Not ready when:
 * - the database connection is closed or does not answer;
 * - the database's migrations differ from the code's (data/migrations): pending ones (the code
 *   is newer; `npm run db:migrate`) or unknown ones (the database was migrated by newer code);
 * - the embedded search engine (sqlite-fts) does not answer: it is what every search falls back
 *   to;
 * - the embedded engine's oldest unindexed change is older than maxOutboxAgeSeconds: its indexer
 *   is stuck, and searches would show stale results;
 * - the server is shutting down (so the load balancer stops sending before the port closes).
 *
 * Meilisearch being down is reported (status "ready", "degraded" listed in `warnings`) but does
 * not make the instance unready: searches are answered by the embedded engine meanwhile, and every
 * web node shares the one Meilisearch, so marking them all unready would take the portal down for
 * nothing. Only SELECTs run here.
 */
import type { Db } from "#app/db.server";
import { databaseHealth } from "#app/models/meta.server";
import { readAppliedMigrations, type Migration } from "#app/models/migrations.server";
import { enginePending } from "#app/models/search-outbox.server";
import { searchHealthReport, type SearchEngines } from "#app/search.server";

export interface ReadinessOptions {
  db: Db;
  engines: SearchEngines;
  /** The migrations this code ships (read once at start). */
  migrations: Pick<Migration, "version" | "name">[];
  shuttingDown: () => boolean;
  /** Default 120 s. */
  maxOutboxAgeSeconds?: number;
  now?: () => Date;
}

export interface ReadinessReport {
  status: "ready" | "not_ready";
  time: string;
  problems: string[];
  warnings: string[];
  checks: {
    database: { ok: boolean; error?: string };
    migrations: { ok: boolean; applied: number; expected: number; pending: string[]; unknown: string[] };
    search: {
      ok: boolean;
      configured: string;
      serving: string;
      engines: {
        engine: string;
        ok: boolean;
        error?: string;
        outboxLag: number | null;
        oldestPendingSeconds: number | null;
      }[];
    } | null;
    shuttingDown: boolean;
  };
}

const label = (m: { version: number; name: string }) => `${String(m.version).padStart(4, "0")}_${m.name}`;

export async function readiness(options: ReadinessOptions): Promise<ReadinessReport> {
  const { db, engines } = options;
  const now = (options.now ?? (() => new Date()))();
  const maxAge = options.maxOutboxAgeSeconds ?? 120;
  const problems: string[] = [];
  const warnings: string[] = [];
  const shuttingDown = options.shuttingDown();
  if (shuttingDown) problems.push("shutting down");

  const database = db.open ? databaseHealth(db) : { ok: false, error: "the database connection is closed" };
  const checks: ReadinessReport["checks"] = {
    database: database.ok ? { ok: true } : { ok: false, error: database.error },
    migrations: { ok: false, applied: 0, expected: options.migrations.length, pending: [], unknown: [] },
    search: null,
    shuttingDown,
  };
  if (!database.ok) {
    problems.push(`database: ${database.error ?? "does not answer"}`);
    return report();
  }

  try {
    const applied = readAppliedMigrations(db);
    const have = new Set(applied.map((m) => m.version));
    const want = new Set(options.migrations.map((m) => m.version));
    const pending = options.migrations.filter((m) => !have.has(m.version)).map(label);
    const unknown = applied.filter((m) => !want.has(m.version)).map(label);
    checks.migrations = {
      ok: pending.length === 0 && unknown.length === 0,
      applied: applied.length,
      expected: want.size,
      pending,
      unknown,
    };
    if (pending.length)
      problems.push(`migrations: ${pending.length} not applied (${pending.join(", ")}); run npm run db:migrate`);
    if (unknown.length)
      problems.push(
        `migrations: the database has migrations this code does not know (${unknown.join(", ")}): it was migrated by a newer version`,
      );
  } catch (error) {
    problems.push(`migrations: cannot read schema_migrations: ${(error as Error).message}`);
  }

  const search = await searchHealthReport(db, engines, 2_000);
  checks.search = {
    ok: search.ok,
    configured: search.configured,
    serving: search.serving,
    engines: search.engines.map((e) => {
      const oldest = safe(() => enginePending(db, e.engine)?.oldestEnqueuedAt ?? null);
      const oldestPendingSeconds = oldest
        ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000))
        : e.outboxLag === null
          ? null
          : 0;
      return {
        engine: e.engine,
        ok: e.ok,
        ...(e.error ? { error: e.error } : {}),
        outboxLag: e.outboxLag,
        oldestPendingSeconds,
      };
    }),
  };
  for (const e of checks.search.engines) {
    const essential = e.engine === engines.embedded.name;
    if (!e.ok)
      (essential ? problems : warnings).push(
        `search (${e.engine}): ${e.error ?? "not healthy"}${essential ? "" : "; searches are answered by sqlite-fts meanwhile (degraded)"}`,
      );
    if (e.outboxLag === null)
      (essential ? problems : warnings).push(`search (${e.engine}): no index yet (it is being built)`);
    else if (e.oldestPendingSeconds !== null && e.oldestPendingSeconds > maxAge) {
      (essential ? problems : warnings).push(
        `search (${e.engine}): ${e.outboxLag} change(s) not indexed, the oldest for ${e.oldestPendingSeconds} s (limit ${maxAge} s)`,
      );
    }
  }
  return report();

  function report(): ReadinessReport {
    return { status: problems.length ? "not_ready" : "ready", time: now.toISOString(), problems, warnings, checks };
  }
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
