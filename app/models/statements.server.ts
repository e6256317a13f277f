/**
 * Prepared statements cached per connection: preparing SQL costs more than running it, and the
 * ingest path runs the same few dozen statements for every study.
 */
import type { Statement } from "better-sqlite3";
import type { Db } from "#app/db.server";

const caches = new WeakMap<Db, Map<string, Statement>>();

export function sql(db: Db, text: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}
