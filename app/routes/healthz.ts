import { getDb } from "~/db.server";
import { databaseHealth } from "~/models/meta.server";

/** Liveness with the database state: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const database = databaseHealth(getDb());
  return Response.json(
    { status: database.ok ? "ok" : "error", time: new Date().toISOString(), database },
    { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
