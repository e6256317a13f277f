import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "#app/config.server";
import { getDb } from "#app/db.server";
import { healthAnswer, opsAuthorised } from "#app/http/health.server";
import { getSearchEngines } from "#app/search.server";

/**
 * Liveness (readiness is /readyz, in server.ts: app/http/readiness.server.ts). The database and
 * search details only with `Authorization: Bearer <METRICS_TOKEN>` (or on METRICS_PORT):
 * app/http/health.server.ts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const detailed = opsAuthorised(request.headers, getConfig().METRICS_TOKEN);
  const answer = await healthAnswer(getDb(), getSearchEngines(), detailed);
  return Response.json(answer.body, { status: answer.httpStatus, headers: { "Cache-Control": "no-store" } });
}
