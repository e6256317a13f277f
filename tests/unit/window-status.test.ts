/**
 * One status rule (issue 21 item 3): the engines' view of a site (searchWindow's instants read by
 * windowStatus, WINDOW_STATUS_RULE and the intervals generated from it) says the same as the
 * domain's siteStatus, over random sites (dates, declared status and its age, registry estimates,
 * pause, confirmation soft/hard limits), random policies and random instants. Fixed seed.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  configureStatusPolicy,
  DEFAULT_CONFIRMATION_HARD_MONTHS,
  DEFAULT_CONFIRMATION_SOFT_MONTHS,
  DEFAULT_DECLARED_MAX_AGE_DAYS,
  searchWindow,
  siteStatus,
  startOfOsloDay,
  statusTransitions,
} from "#app/domain/inclusion-status";
import {
  conditionHolds,
  statusInterval,
  statusSetInterval,
  studyStopsIncludingAt,
  WINDOW_STATUS_RULE,
  WINDOW_STATUSES,
  windowStatus,
  type StatusWindow,
  type WindowStatus,
} from "#app/domain/window-status";
import { ENGINE_BUCKET, instant, policy, site } from "../helpers/status-arbitraries";

const RUNS = { seed: 20261207, numRuns: 2000 } as const;

afterEach(() =>
  configureStatusPolicy({
    declaredMaxAgeDays: DEFAULT_DECLARED_MAX_AGE_DAYS,
    confirmationSoftMonths: DEFAULT_CONFIRMATION_SOFT_MONTHS,
    confirmationHardMonths: DEFAULT_CONFIRMATION_HARD_MONTHS,
  }),
);

const window: fc.Arbitrary<StatusWindow> = fc.record({
  siteId: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
  opensAt: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
  closesAt: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
  paused: fc.boolean(),
});
const t = fc.integer({ min: -60, max: 60 });
const within = (i: { from: number; to: number } | null, x: number) => i != null && i.from <= x && x < i.to;

/** The status sets the engines offer (Meilisearch's representative sets). */
const OFFERED: WindowStatus[][] = [
  ["open"],
  ["planned"],
  ["closed"],
  ["open", "planned"],
  ["open", "closed"],
  ["open", "planned", "closed"],
];

describe("the engines' status rule is the domain's", () => {
  it("windowStatus(searchWindow(site)) is siteStatus's engine bucket at every instant, under any policy", () => {
    fc.assert(
      fc.property(site, instant, policy, (s, now, p) => {
        configureStatusPolicy(p);
        expect(windowStatus({ siteId: 1, ...searchWindow(s) }, now.getTime())).toBe(ENGINE_BUCKET[siteStatus(s, now)]);
      }),
      RUNS,
    );
  });

  it("…and one millisecond either side of every instant the site changes status (and its estimated dates)", () => {
    fc.assert(
      fc.property(site, policy, (s, p) => {
        configureStatusPolicy(p);
        const w = { siteId: 1, ...searchWindow(s) };
        const edges = [
          ...statusTransitions(s),
          ...[s.expectedStart, s.expectedEnd].flatMap((d) => (d ? [startOfOsloDay(d)] : [])),
        ];
        for (const edge of edges) {
          for (const now of [new Date(edge.getTime() - 1), edge]) {
            expect(windowStatus(w, now.getTime()), now.toISOString()).toBe(ENGINE_BUCKET[siteStatus(s, now)]);
          }
        }
      }),
      RUNS,
    );
  });

  it("the rule as data (what Meilisearch's filters are generated from) holds for exactly windowStatus's status", () => {
    fc.assert(
      fc.property(window, t, (w, now) => {
        const holding = WINDOW_STATUSES.filter((s) => WINDOW_STATUS_RULE[s].every((c) => conditionHolds(c, w, now)));
        const status = windowStatus(w, now);
        expect(holding).toEqual(status === "no_sites" ? [] : [status]);
      }),
      RUNS,
    );
  });

  it("the intervals (what the representatives store) hold an instant exactly when the window has that status", () => {
    fc.assert(
      fc.property(window, t, (w, now) => {
        const status = windowStatus(w, now);
        for (const s of WINDOW_STATUSES) expect(within(statusInterval(w, s), now), s).toBe(status === s);
        for (const set of OFFERED) {
          expect(within(statusSetInterval(w, set), now), set.join("+")).toBe((set as string[]).includes(status));
        }
      }),
      RUNS,
    );
  });

  it("planned+closed is not one interval for a site that opens, so it is not offered as a set", () => {
    expect(() =>
      statusSetInterval({ siteId: 1, opensAt: 0, closesAt: 10, paused: false }, ["planned", "closed"]),
    ).toThrow(RangeError);
  });

  it("studyStopsIncludingAt: some site that is not paused is still open or planned exactly before it", () => {
    fc.assert(
      fc.property(fc.array(window, { maxLength: 5 }), t, (ws, now) => {
        const stops = studyStopsIncludingAt(ws);
        const live = ws.filter((w) => w.siteId != null && !w.paused);
        if (live.length === 0) {
          expect(stops).toBeNull();
          return;
        }
        const including = live.some((w) => ["open", "planned"].includes(windowStatus(w, now)));
        expect(including).toBe(stops == null || now < stops);
      }),
      RUNS,
    );
  });
});
