/**
 * Representative documents: exact per-study counts in Meilisearch without its distinct count.
 *
 * Why: the index holds one document per study × site, and Meilisearch's exact `totalHits` with
 * `distinctAttribute` walks every matching document (90 ms for a broad word at 100,000 studies,
 * measured in bench:search). Counting documents is a bitmap cardinality (1–4 ms), but a study
 * with three matching sites would count three times.
 *
 * The idea: for each status set S (e.g. "open") and each instant t, exactly one of a study's sites
 * that are in S at t is its *representative*, and that site's document carries the instants
 * during which it is. Then "documents matching the query AND representative for S at t" holds
 * one document per matching study, so its plain document count, facet counts and first page are
 * per study.
 *
 * It works because every site's set of instants in S is one interval [a, b) (for the sets below;
 * planned+closed is two pieces and is not offered). Order the study's sites by a (ties: longer
 * interval first, then siteId). Site i
 * is the first site in S at t iff a_i ≤ t < b_i and every earlier site j (a_j ≤ a_i ≤ t) has
 * b_j ≤ t, i.e. t ≥ M_i = max b_j. So site i represents the study exactly during
 * [max(a_i, M_i), b_i): one interval, two numbers on the document, a filter `from <= t AND to > t`
 * at query time. No job at midnight: the status still comes from `now`. Where every a is −∞
 * (planned) or every b is +∞ (closed), only the first site in that order ever represents, and its
 * interval keeps the open side, so one number per document is enough.
 *
 * The same is computed within each region and each organisation (the sites of a study in that
 * region), so a query restricted to one region, and the region/organisation facet counts, are
 * per study too. Other shapes (several regions at once, a hospital filter, planned+closed) fall
 * back to Meilisearch's distinct count (meilisearch.ts).
 */
import { statusSetInterval } from "#app/domain/window-status";
import type { StatusFilter } from "./types";

/** ±"infinity" as numbers Meilisearch stores and compares (the range of a JS Date). */
export const NEG_INF = -8.64e15;
export const POS_INF = 8.64e15;

interface Interval {
  from: number;
  to: number;
}

/** What a site contributes: the same fields as a search document's site part. */
export interface RepresentableSite {
  siteId: number | null;
  regionId: string | null;
  organisationId: string | null;
  opensAt: number | null;
  closesAt: number | null;
  paused: boolean;
}

/**
 * A status set: the key used in field names and the site's interval of instants in the set.
 * The intervals are generated from the domain's one rule (statusSetInterval in
 * app/domain/window-status.ts): closed when t ≥ closesAt (paused or not), else paused, else
 * planned before opensAt (or with no opensAt), else open.
 */
interface StatusSet {
  key: string;
  statuses: StatusFilter[];
  interval: (s: RepresentableSite) => Interval | null;
  /** Whether every interval starts at −∞ / ends at +∞ (that side is then not stored). */
  openStart: boolean;
  openEnd: boolean;
}

const stored = (x: number): number => (x === -Infinity ? NEG_INF : x === Infinity ? POS_INF : x);

/** The site's instants in any of `statuses`, from the domain rule, with ±∞ as Meilisearch stores them. */
function ruleInterval(statuses: StatusFilter[]): (s: RepresentableSite) => Interval | null {
  return (s) => {
    const iv = statusSetInterval(s, statuses);
    return iv == null ? null : { from: stored(iv.from), to: stored(iv.to) };
  };
}

const statusSet = (key: string, statuses: StatusFilter[], openStart: boolean, openEnd: boolean): StatusSet => ({
  key,
  statuses,
  interval: ruleInterval(statuses),
  openStart,
  openEnd,
});

const SETS: StatusSet[] = [
  {
    key: "any",
    statuses: [],
    // Every document, the study without sites included: the representative is the first site.
    interval: () => ({ from: NEG_INF, to: POS_INF }),
    openStart: true,
    openEnd: true,
  },
  statusSet("open", ["open"], false, false),
  statusSet("planned", ["planned"], true, false),
  statusSet("closed", ["closed"], false, true),
  // Open or planned: any site that is neither paused nor closed.
  statusSet("live", ["open", "planned"], true, false),
  // Open or closed: from the first of opening and closing on (a paused site only once closed).
  statusSet("begun", ["open", "closed"], false, true),
  // All three: a site that is not paused is always one of them; a paused one once it closed.
  statusSet("every", ["open", "planned", "closed"], false, true),
];

/** Groupings: the whole study, or its sites within one region / one organisation. */
export const GROUPINGS = {
  study: null,
  region: "regionId",
  organisation: "organisationId",
} as const satisfies Record<string, keyof RepresentableSite | null>;
export type Grouping = keyof typeof GROUPINGS;
const GROUPING_CODE: Record<Grouping, string> = { study: "s", region: "r", organisation: "o" };

const fieldName = (grouping: Grouping, set: StatusSet, side: "from" | "to") =>
  `rep_${GROUPING_CODE[grouping]}_${set.key}_${side}`;

/** The status set for a query's statuses, or null when there is none (planned+closed). */
export function statusSetFor(statuses: StatusFilter[] | undefined): StatusSet | null {
  const wanted = [...new Set(statuses ?? [])].sort();
  return (
    SETS.find((s) => s.statuses.length === wanted.length && [...s.statuses].sort().every((x, i) => x === wanted[i])) ??
    null
  );
}

/** Every representative field name (for filterableAttributes). */
export function representativeFields(): string[] {
  const out: string[] = [];
  for (const g of Object.keys(GROUPINGS) as Grouping[]) {
    for (const set of SETS) {
      if (!set.openStart || set.openEnd) out.push(fieldName(g, set, "from"));
      if (!set.openEnd) out.push(fieldName(g, set, "to"));
    }
  }
  return out;
}

/**
 * The filter clause "this document represents its study (within its grouping) for the statuses
 * at instant t". Documents without the fields never match.
 */
export function representativeClause(grouping: Grouping, set: StatusSet, t: number): string {
  if (!Number.isFinite(t)) throw new RangeError(`Invalid instant ${t}`);
  const parts: string[] = [];
  if (!set.openStart || set.openEnd) parts.push(`${fieldName(grouping, set, "from")} <= ${t}`);
  if (!set.openEnd) parts.push(`${fieldName(grouping, set, "to")} > ${t}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`;
}

/** The representative intervals of a list of sites (same order as given), null where never. */
export function representativeIntervals(sites: RepresentableSite[], set: StatusSet): (Interval | null)[] {
  const intervals = sites.map((s) => set.interval(s));
  const order = intervals
    .map((iv, i) => ({ iv, i }))
    .filter((x): x is { iv: Interval; i: number } => x.iv != null && x.iv.from < x.iv.to)
    .sort(
      (a, b) => a.iv.from - b.iv.from || b.iv.to - a.iv.to || (sites[a.i]!.siteId ?? -1) - (sites[b.i]!.siteId ?? -1),
    );
  const out: (Interval | null)[] = sites.map(() => null);
  let latestEnd = NEG_INF;
  for (const { iv, i } of order) {
    const from = Math.max(iv.from, latestEnd);
    if (from < iv.to) out[i] = { from, to: iv.to };
    latestEnd = Math.max(latestEnd, iv.to);
  }
  return out;
}

/**
 * The representative fields of every document of one study (same order as `sites`, which are
 * all of the study's documents). Only the fields of documents that represent at some instant are
 * set, so most documents carry few of them.
 */
export function representativeFieldsOf(sites: RepresentableSite[]): Record<string, number>[] {
  const out: Record<string, number>[] = sites.map(() => ({}));
  for (const g of Object.keys(GROUPINGS) as Grouping[]) {
    const attr = GROUPINGS[g];
    const groups = new Map<string | null, number[]>();
    sites.forEach((s, i) => {
      const key = attr == null ? null : (s[attr] as string | null);
      if (attr != null && key == null) return;
      const list = groups.get(key) ?? [];
      list.push(i);
      groups.set(key, list);
    });
    for (const members of groups.values()) {
      const groupSites = members.map((i) => sites[i]!);
      for (const set of SETS) {
        representativeIntervals(groupSites, set).forEach((iv, k) => {
          if (!iv) return;
          const doc = out[members[k]!]!;
          if (!set.openStart || set.openEnd) doc[fieldName(g, set, "from")] = iv.from;
          if (!set.openEnd) doc[fieldName(g, set, "to")] = iv.to;
        });
      }
    }
  }
  return out;
}

export type { StatusSet };
