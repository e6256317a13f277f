/**
 * Study records for the public pages, kept between requests while their stamps are unchanged
 * (study_touches, migration 0025; ADR 0031). A page of search results read its 20 studies anew
 * on every render (~2.5 ms on a 10,000-study database, the largest part of a page's own work
 * after the search); during an ingest most of them have not changed.
 *
 * The stamps are read before any record is, so a change committed in between makes a record
 * look older than it is (read again next time), never newer. One cache per connection, bounded
 * by count. The records are shared between requests: callers must treat them as read-only.
 */
import { LRUCache } from "lru-cache";
import type { Db } from "#app/db.server";
import { getStudies, type StudyRecord } from "./study.server";
import { studyStamps } from "./study-touches.server";

/** ~3,000 records of a few KB each: a bounded few MB per serving process. */
const MAX_RECORDS = 3_000;

const caches = new WeakMap<Db, LRUCache<number, { stamp: string; record: StudyRecord }>>();

function cacheFor(db: Db) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new LRUCache({ max: MAX_RECORDS })));
  return cache;
}

/** As getStudies (in the order of `ids`, missing ones left out), from memory where unchanged. */
export function getStudiesStamped(db: Db, ids: readonly number[]): StudyRecord[] {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const stamps = studyStamps(db, wanted).split(",");
  const cache = cacheFor(db);
  const stale = wanted.filter((id, i) => cache.get(id)?.stamp !== stamps[i]);
  if (stale.length > 0) {
    const stampOf = new Map(wanted.map((id, i) => [id, stamps[i]!]));
    for (const record of getStudies(db, stale)) cache.set(record.id, { stamp: stampOf.get(record.id)!, record });
  }
  return wanted.flatMap((id, i) => {
    const entry = cache.get(id);
    return entry && entry.stamp === stamps[i] ? [entry.record] : [];
  });
}

/** As getStudy, from memory while unchanged. */
export function getStudyStamped(db: Db, id: number): StudyRecord | null {
  return getStudiesStamped(db, [id])[0] ?? null;
}
