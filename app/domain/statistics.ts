/**
 * National statistics, counted (pure) from the facts app/models/statistics.server.ts reads. No
 * status is stored anywhere: every count here derives it with the inclusion-status rules for the
 * instant `now`, so the statistics agree with every page and the API at that instant.
 *
 * What is counted where:
 * - by region and by organisation, a study counts once in each region/organisation where it has
 *   a site, with the status of *its sites there* (a study open at OUS and planned at St. Olavs is
 *   open in Helse Sør-Øst and planned in Helse Midt-Norge) — what a patient in that region can
 *   expect. So a multi-centre study is counted in several rows, and the rows add up to more than
 *   the national total, which counts each study once with its status over all sites;
 * - by HRCS category and by phase, each study with its status over all its sites (a study with
 *   two categories counts in both);
 * - the inclusion timeline counts sites whose inclusion window covers at least one day of the
 *   month (a site with no start date has no window yet; no end date = open-ended). A pause is
 *   not dated, so it does not take a site out of past or future months;
 * - new studies per month: the month a study was first made public — by its source's own first
 *   publication date when the source gives one (ClinicalTrials.gov's "First Posted", a calendar
 *   date), else the month (Europe/Oslo) the portal first published it. So a registry study first
 *   posted in 2019 and imported today counts in 2019, not in the month of import; each month says
 *   how many it counted by which basis (ADR 0028).
 *
 * Demo studies (the project's own fictional studies, marked `isDemo`) are counted unless the
 * reader leaves them out (`withoutDemo`, the page's and the CSV's `demodata=nei`).
 */
import { calendarDaysBetween, daysInMonth } from "./calendar-date";
import { osloDate, siteState, studyStatus, type InclusionWindow, type StudyStatus } from "./inclusion-status";

export interface StatStudy {
  id: number;
  phase: string | null;
  isDemo: boolean;
  /** First publication in the portal, ISO instant. */
  publishedAt: string | null;
  /** The source's own first publication date (YYYY-MM-DD), null when the source has none. */
  firstPostedOn: string | null;
  categories: string[];
}

export interface StatSite extends InclusionWindow {
  studyId: number;
  /** null: a place that is no registered organisation (counted nationally, in no trust's row). */
  organisationId: string | null;
  regionId: string | null;
}

export interface StatisticsFacts {
  studies: StatStudy[];
  /** Active (not withdrawn) sites of the studies above. */
  sites: StatSite[];
  regions: { id: string; name: string }[];
  organisations: { id: string; name: string; regionId: string }[];
  categories: { id: string; name: string }[];
}

export const STATUSES: readonly StudyStatus[] = ["open", "planned", "paused", "closed", "no_sites"];

export interface StatusRow {
  key: string;
  label: string;
  counts: Record<StudyStatus, number>;
  total: number;
}

export interface StatusTable {
  rows: StatusRow[];
  /** Every study once (distinct), with its status over all sites. */
  total: StatusRow;
}

const zero = (): Record<StudyStatus, number> => ({
  open: 0,
  invitation: 0,
  planned: 0,
  paused: 0,
  unknown: 0,
  closed: 0,
  no_sites: 0,
});
const byName = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, "nb");

function sitesByStudy(facts: StatisticsFacts): Map<number, StatSite[]> {
  const map = new Map<number, StatSite[]>();
  for (const s of facts.studies) map.set(s.id, []);
  for (const site of facts.sites) map.get(site.studyId)?.push(site);
  return map;
}

function nationalRow(facts: StatisticsFacts, sites: Map<number, StatSite[]>, now: Date): StatusRow {
  const counts = zero();
  for (const s of facts.studies) counts[studyStatus(sites.get(s.id)!, now)] += 1;
  return { key: "total", label: "Hele landet", counts, total: facts.studies.length };
}

/** Each study counted in every group its sites fall into, with the status of those sites. */
function bySiteGroup(
  facts: StatisticsFacts,
  now: Date,
  groupOf: (site: StatSite) => string | null,
  groups: { key: string; label: string }[],
  keepEmpty: boolean,
): StatusTable {
  const sites = sitesByStudy(facts);
  const rows = new Map(groups.map((g) => [g.key, { ...g, counts: zero(), total: 0 }]));
  for (const study of facts.studies) {
    const grouped = new Map<string, StatSite[]>();
    for (const site of sites.get(study.id)!) {
      const key = groupOf(site);
      if (key == null) continue;
      grouped.set(key, [...(grouped.get(key) ?? []), site]);
    }
    for (const [key, own] of grouped) {
      const row = rows.get(key);
      if (!row) continue;
      row.counts[studyStatus(own, now)] += 1;
      row.total += 1;
    }
  }
  const list = [...rows.values()].filter((r) => keepEmpty || r.total > 0).sort(byName);
  return { rows: list, total: nationalRow(facts, sites, now) };
}

export function statusByRegion(facts: StatisticsFacts, now: Date): StatusTable {
  return bySiteGroup(
    facts,
    now,
    (s) => s.regionId,
    facts.regions.map((r) => ({ key: r.id, label: r.name })),
    true,
  );
}

export function statusByOrganisation(facts: StatisticsFacts, now: Date): StatusTable {
  return bySiteGroup(
    facts,
    now,
    (s) => s.organisationId,
    facts.organisations.map((o) => ({ key: o.id, label: o.name })),
    false,
  );
}

/** Each study once per group `groupsOf` names (none → `fallback`), with its status over all sites. */
function byStudyGroup(
  facts: StatisticsFacts,
  now: Date,
  groupsOf: (study: StatStudy) => string[],
  groups: { key: string; label: string }[],
  fallback: { key: string; label: string },
  order: (rows: StatusRow[]) => StatusRow[],
): StatusTable {
  const sites = sitesByStudy(facts);
  const rows = new Map([...groups, fallback].map((g) => [g.key, { ...g, counts: zero(), total: 0 }]));
  for (const study of facts.studies) {
    const status = studyStatus(sites.get(study.id)!, now);
    const keys = groupsOf(study).filter((k) => rows.has(k));
    for (const key of keys.length ? new Set(keys) : [fallback.key]) {
      const row = rows.get(key)!;
      row.counts[status] += 1;
      row.total += 1;
    }
  }
  const fallbackRow = rows.get(fallback.key)!;
  rows.delete(fallback.key);
  const list = order([...rows.values()]);
  if (fallbackRow.total > 0) list.push(fallbackRow);
  return { rows: list, total: nationalRow(facts, sites, now) };
}

export function statusByCategory(facts: StatisticsFacts, now: Date): StatusTable {
  return byStudyGroup(
    facts,
    now,
    (s) => s.categories,
    facts.categories.map((c) => ({ key: c.id, label: c.name })),
    { key: "none", label: "Uten kategori" },
    (rows) => rows.filter((r) => r.total > 0).sort(byName),
  );
}

/** Phases in their natural order (not alphabetical), every phase shown even when empty. */
export const PHASE_ORDER = [
  "early_phase_1",
  "phase_1",
  "phase_1_2",
  "phase_2",
  "phase_2_3",
  "phase_3",
  "phase_4",
  "not_applicable",
] as const;

export function statusByPhase(facts: StatisticsFacts, now: Date, phaseLabel: (phase: string) => string): StatusTable {
  return byStudyGroup(
    facts,
    now,
    (s) => (s.phase ? [s.phase] : []),
    PHASE_ORDER.map((p) => ({ key: p, label: phaseLabel(p) })),
    { key: "none", label: "Fase ikke oppgitt" },
    (rows) => rows,
  );
}

// --------------------------------------------------------------------------------- months

/** "YYYY-MM" of a calendar date. */
export const monthOf = (date: string) => date.slice(0, 7);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthRange(month: string): { first: string; last: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { first: `${month}-01`, last: `${month}-${String(daysInMonth(y, m)).padStart(2, "0")}` };
}

export type MonthWhen = "past" | "current" | "future";

export interface MonthCount {
  month: string;
  count: number;
  when: MonthWhen;
}

/** Sites with inclusion in each month from `back` months before this month (Oslo) to `ahead` after. */
export function sitesOpenPerMonth(facts: StatisticsFacts, now: Date, back = 24, ahead = 12): MonthCount[] {
  const current = monthOf(osloDate(now));
  const out: MonthCount[] = [];
  for (let i = -back; i <= ahead; i++) {
    const month = addMonths(current, i);
    const { first, last } = monthRange(month);
    const count = facts.sites.filter(
      (s) =>
        s.inclusionStart != null && s.inclusionStart <= last && (s.inclusionEnd == null || s.inclusionEnd >= first),
    ).length;
    out.push({ month, count, when: i < 0 ? "past" : i === 0 ? "current" : "future" });
  }
  return out;
}

/** Which date a study's "first published" month was read from. */
export type FirstPublishedBasis = "source" | "portal";

/**
 * The day a study was first made public and what that rests on: the source's own first
 * publication date when it has one, else the Oslo day the portal first published it; null when
 * neither is known (never published).
 */
export function firstPublished(study: StatStudy): { date: string; basis: FirstPublishedBasis } | null {
  if (study.firstPostedOn) return { date: study.firstPostedOn, basis: "source" };
  if (study.publishedAt) return { date: osloDate(new Date(study.publishedAt)), basis: "portal" };
  return null;
}

export interface NewStudiesMonth extends MonthCount {
  /** Of `count`: studies counted by their source's own first publication date … */
  bySource: number;
  /** … and by the portal's first publication (the source gives no such date). */
  byPortal: number;
}

/**
 * Studies first made public in each month from `back` months before this month (Oslo) to this
 * month (firstPublished: the source's date when known, else the portal's).
 */
export function newStudiesPerMonth(facts: StatisticsFacts, now: Date, back = 24): NewStudiesMonth[] {
  const current = monthOf(osloDate(now));
  const counts = new Map<string, { bySource: number; byPortal: number }>();
  for (const s of facts.studies) {
    const first = firstPublished(s);
    if (!first) continue;
    const month = monthOf(first.date);
    const c = counts.get(month) ?? { bySource: 0, byPortal: 0 };
    if (first.basis === "source") c.bySource++;
    else c.byPortal++;
    counts.set(month, c);
  }
  const out: NewStudiesMonth[] = [];
  for (let i = -back; i <= 0; i++) {
    const month = addMonths(current, i);
    const c = counts.get(month) ?? { bySource: 0, byPortal: 0 };
    out.push({ month, count: c.bySource + c.byPortal, ...c, when: i === 0 ? "current" : "past" });
  }
  return out;
}

/** Months from the first month a study was first made public to this month (Oslo); 0 when none was. */
export function monthsSinceFirstPublished(facts: StatisticsFacts, now: Date): number {
  const months = facts.studies.map((s) => firstPublished(s)?.date).filter((d): d is string => d != null);
  if (months.length === 0) return 0;
  const first = monthOf(months.reduce((a, b) => (a < b ? a : b)));
  const [y0, m0] = first.split("-").map(Number) as [number, number];
  const [y1, m1] = monthOf(osloDate(now)).split("-").map(Number) as [number, number];
  return Math.max(0, (y1 - y0) * 12 + (m1 - m0));
}

/** How many studies are counted by each basis (over all time, not only the months shown). */
export function firstPublishedBases(facts: StatisticsFacts): Record<FirstPublishedBasis, number> {
  const out: Record<FirstPublishedBasis, number> = { source: 0, portal: 0 };
  for (const s of facts.studies) {
    const first = firstPublished(s);
    if (first) out[first.basis]++;
  }
  return out;
}

// --------------------------------------------------------------------------------- freshness

/**
 * How current the open sites' confirmations are (issue 18 item 3, ADR 0020), per group of sites:
 * - `open`: sites open (or open by invitation) by their dates or declaration — counted *before*
 *   the confirmation limits, so a site that stopped counting as open because nobody confirmed it
 *   (past the hard limit) still counts here, as not confirmed: letting it drop out would make a
 *   region look better the longer it leaves its sites unconfirmed;
 * - `confirmed`: of those, sites confirmed within the soft limit;
 * - `share`: confirmed / open, 0–1 (null when there are no open sites);
 * - `medianAgeDays`: the median of whole days since each of those sites' last confirmation (null
 *   when none has a record). Sites without any record count as open, not confirmed, and have no age.
 */
export interface FreshnessRow {
  key: string;
  label: string;
  open: number;
  confirmed: number;
  share: number | null;
  medianAgeDays: number | null;
}

export interface FreshnessTable {
  rows: FreshnessRow[];
  total: FreshnessRow;
}

/** The median of numbers (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function freshnessRow(key: string, label: string, sites: readonly StatSite[], now: Date): FreshnessRow {
  const today = osloDate(now);
  let open = 0;
  let confirmed = 0;
  const ages: number[] = [];
  for (const site of sites) {
    // The status before the confirmation limits: the same rule with no confirmation record.
    const base = siteState({ ...site, confirmedOn: null }, now).status;
    if (base !== "open" && base !== "invitation") continue;
    open++;
    if (site.confirmedOn == null) continue;
    ages.push(calendarDaysBetween(site.confirmedOn, today));
    if (siteState(site, now).confirmation === "confirmed") confirmed++;
  }
  return { key, label, open, confirmed, share: open ? confirmed / open : null, medianAgeDays: median(ages) };
}

function freshnessBy(
  facts: StatisticsFacts,
  now: Date,
  groupOf: (site: StatSite) => string | null,
  groups: { key: string; label: string }[],
  keepEmpty: boolean,
  totalLabel: string,
): FreshnessTable {
  const grouped = new Map<string, StatSite[]>(groups.map((g) => [g.key, []]));
  for (const site of facts.sites) {
    const key = groupOf(site);
    if (key != null) grouped.get(key)?.push(site);
  }
  const rows = groups
    .map((g) => freshnessRow(g.key, g.label, grouped.get(g.key)!, now))
    .filter((r) => keepEmpty || r.open > 0)
    .sort(byName);
  return { rows, total: freshnessRow("total", totalLabel, facts.sites, now) };
}

export function freshnessByRegion(facts: StatisticsFacts, now: Date, totalLabel = "Hele landet"): FreshnessTable {
  return freshnessBy(
    facts,
    now,
    (s) => s.regionId,
    facts.regions.map((r) => ({ key: r.id, label: r.name })),
    true,
    totalLabel,
  );
}

export function freshnessByOrganisation(facts: StatisticsFacts, now: Date, totalLabel = "Hele landet"): FreshnessTable {
  return freshnessBy(
    facts,
    now,
    (s) => s.organisationId,
    facts.organisations.map((o) => ({ key: o.id, label: o.name })),
    false,
    totalLabel,
  );
}

/** The same facts without the fictional demo studies and their sites. */
export function withoutDemo(facts: StatisticsFacts): StatisticsFacts {
  const demo = new Set(facts.studies.filter((s) => s.isDemo).map((s) => s.id));
  if (demo.size === 0) return facts;
  return {
    ...facts,
    studies: facts.studies.filter((s) => !demo.has(s.id)),
    sites: facts.sites.filter((s) => !demo.has(s.studyId)),
  };
}

/**
 * The `demodata` query parameter: absent or "ja" counts the demo studies, "nei" leaves them out;
 * anything else is an error that says what the parameter takes.
 */
export function parseDemoParam(
  value: string | null,
): { ok: true; includeDemo: boolean } | { ok: false; message: string } {
  if (value == null || value === "" || value === "ja") return { ok: true, includeDemo: true };
  if (value === "nei") return { ok: true, includeDemo: false };
  return {
    ok: false,
    message: `Ugyldig verdi «${value.slice(0, 40)}» for demodata: bruk demodata=nei for å utelate demostudiene, eller demodata=ja.`,
  };
}
