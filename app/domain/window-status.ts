/**
 * The one status rule as the search engines see it. searchWindow() (inclusion-status.ts) turns a
 * site into instants (opensAt, closesAt, paused); this module says, once, what those instants mean:
 *
 *   closed  = the site's closing instant has been reached (paused or not);
 *   paused  = not closed, and paused (also holds "by invitation": matches none of the filters);
 *   planned = not closed, not paused, and no opening instant or it is still ahead;
 *   open    = not closed, not paused, and the opening instant has been reached.
 *
 * windowStatus() is the function every engine uses per site; WINDOW_STATUS_RULE is the same rule
 * as data, from which Meilisearch's filter strings and the representative intervals are generated
 * (app/search/meilisearch.server.ts, app/search/meilisearch-representatives.ts). studyStopsIncludingAt() is "when
 * the study stops including everywhere" for the engines' "closing" sort. Pure: no clock, no I/O.
 * tests/unit/window-status.test.ts proves rule, function, intervals and siteState agree.
 */
import type { SiteStatus } from "./inclusion-status";

/** The instants an engine stores for a site (null siteId: the study has no site). */
export interface StatusWindow {
  siteId?: number | null;
  opensAt: number | null;
  closesAt: number | null;
  paused: boolean;
}

export type WindowStatus = "open" | "planned" | "closed" | "paused";
export const WINDOW_STATUSES: readonly WindowStatus[] = ["open", "planned", "closed", "paused"];

/**
 * How the engines' four statuses read the domain's six (ADR 0012): unknown counts as closed (not
 * including, as far as anyone has said), by invitation as paused (matches none of the filters).
 */
export const ENGINE_STATUS: Readonly<Record<SiteStatus, WindowStatus>> = {
  open: "open",
  planned: "planned",
  closed: "closed",
  unknown: "closed",
  paused: "paused",
  invitation: "paused",
};

/**
 * One condition on a window at an instant t:
 * - hasSite: the document is a site (not the placeholder of a study without sites);
 * - paused: the paused flag equals `value`;
 * - reached: `field` is set and field ≤ t;
 * - ahead: `field` is not set, or field > t (the negation of reached).
 */
export type WindowCondition =
  | { kind: "hasSite" }
  | { kind: "paused"; value: boolean }
  | { kind: "reached"; field: "opensAt" | "closesAt" }
  | { kind: "ahead"; field: "opensAt" | "closesAt" };

/** Each status is the conjunction of its conditions; the four are disjoint and cover every site. */
export const WINDOW_STATUS_RULE: Readonly<Record<WindowStatus, readonly WindowCondition[]>> = {
  open: [
    { kind: "hasSite" },
    { kind: "paused", value: false },
    { kind: "reached", field: "opensAt" },
    { kind: "ahead", field: "closesAt" },
  ],
  planned: [
    { kind: "hasSite" },
    { kind: "paused", value: false },
    { kind: "ahead", field: "opensAt" },
    { kind: "ahead", field: "closesAt" },
  ],
  closed: [{ kind: "hasSite" }, { kind: "reached", field: "closesAt" }],
  paused: [{ kind: "hasSite" }, { kind: "paused", value: true }, { kind: "ahead", field: "closesAt" }],
};

const hasSite = (w: StatusWindow): boolean => w.siteId !== null;

/** A site's engine status at an instant (epoch ms); "no_sites" for a study's placeholder document. */
export function windowStatus(w: StatusWindow, now: number): WindowStatus | "no_sites" {
  if (!hasSite(w)) return "no_sites";
  if (w.closesAt != null && now >= w.closesAt) return "closed";
  if (w.paused) return "paused";
  if (w.opensAt == null || now < w.opensAt) return "planned";
  return "open";
}

/** Whether one condition holds for a window at an instant (the rule read as data). */
export function conditionHolds(c: WindowCondition, w: StatusWindow, now: number): boolean {
  switch (c.kind) {
    case "hasSite":
      return hasSite(w);
    case "paused":
      return w.paused === c.value;
    case "reached": {
      const at = w[c.field];
      return at != null && at <= now;
    }
    case "ahead": {
      const at = w[c.field];
      return at == null || at > now;
    }
  }
}

/** An interval of instants [from, to); ±Infinity for an open side. */
export interface InstantInterval {
  from: number;
  to: number;
}

function conditionInterval(c: WindowCondition, w: StatusWindow): InstantInterval | null {
  const all = { from: -Infinity, to: Infinity };
  switch (c.kind) {
    case "hasSite":
      return hasSite(w) ? all : null;
    case "paused":
      return w.paused === c.value ? all : null;
    case "reached": {
      const at = w[c.field];
      return at == null ? null : { from: at, to: Infinity };
    }
    case "ahead": {
      const at = w[c.field];
      return at == null ? all : { from: -Infinity, to: at };
    }
  }
}

/**
 * The instants during which a window has a status: one interval (each condition is an interval
 * in t, and the rule is their conjunction), or null when never.
 */
export function statusInterval(w: StatusWindow, status: WindowStatus): InstantInterval | null {
  let from = -Infinity;
  let to = Infinity;
  for (const c of WINDOW_STATUS_RULE[status]) {
    const i = conditionInterval(c, w);
    if (i == null) return null;
    from = Math.max(from, i.from);
    to = Math.min(to, i.to);
  }
  return from < to ? { from, to } : null;
}

/**
 * The instants during which a window has any of `statuses`, when that is one interval (null:
 * never). Throws when the union has a gap (no status set the engines offer has one).
 */
export function statusSetInterval(w: StatusWindow, statuses: readonly WindowStatus[]): InstantInterval | null {
  const parts = statuses
    .map((s) => statusInterval(w, s))
    .filter((i): i is InstantInterval => i != null)
    .sort((a, b) => a.from - b.from);
  if (parts.length === 0) return null;
  const from = parts[0]!.from;
  let to = parts[0]!.to;
  for (const p of parts.slice(1)) {
    if (p.from > to) throw new RangeError(`Statuses ${statuses.join("+")} are not one interval for this site`);
    to = Math.max(to, p.to);
  }
  return { from, to };
}

/**
 * When the study stops including everywhere: the latest closing instant of its sites that are not
 * paused, null when one of them is open-ended or it has none. (The engines' "closing" sort key.)
 */
export function studyStopsIncludingAt(sites: readonly StatusWindow[]): number | null {
  let latest: number | null = null;
  let any = false;
  for (const s of sites) {
    if (!hasSite(s) || s.paused) continue;
    if (s.closesAt == null) return null;
    any = true;
    latest = latest == null ? s.closesAt : Math.max(latest, s.closesAt);
  }
  return any ? latest : null;
}
