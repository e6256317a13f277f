/**
 * The one status rule with its basis (ADR 0012): source value × dates → status, basis, staleness,
 * table-tested at the edges, and the search engines' instants checked against it at every
 * transition so the engines, pages and API cannot disagree.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENGINE_STATUS } from "#app/domain/window-status";
import {
  configureStatusPolicy,
  DEFAULT_DECLARED_MAX_AGE_DAYS,
  nextStatusChange,
  searchWindow,
  siteState,
  statusTransitions,
  studyStatus,
  type DeclaredStatus,
  type DeclaredStatusValue,
  type InclusionWindow,
} from "#app/domain/inclusion-status";
import { siteStatusText } from "#app/views/status-text";
import { documentStatus } from "#app/search/document-mapper";

const noon = (date: string) => new Date(`${date}T11:00:00Z`); // 12:00 or 13:00 in Oslo
const declared = (
  status: DeclaredStatusValue,
  on: string,
  text = status.toUpperCase(),
  by = "ClinicalTrials.gov",
): DeclaredStatus => ({ status, text, on, by });
const site = (extra: Partial<InclusionWindow>): InclusionWindow => ({
  inclusionStart: null,
  inclusionEnd: null,
  paused: false,
  ...extra,
});

afterEach(() => configureStatusPolicy({ declaredMaxAgeDays: DEFAULT_DECLARED_MAX_AGE_DAYS }));

describe("siteState: source value × dates → status and basis", () => {
  it.each([
    // [what, site, day, status, basis, stale]
    [
      "recruiting, declared yesterday",
      site({ declared: declared("recruiting", "2026-12-06") }),
      "2026-12-07",
      "open",
      "declared",
      false,
    ],
    [
      "not yet recruiting whose estimated start has passed stays planned",
      site({ declared: declared("not_yet_recruiting", "2026-01-10"), expectedStart: "2026-03-01" }),
      "2026-12-07",
      "planned",
      "declared",
      false,
    ],
    [
      "enrolling by invitation is its own status",
      site({ declared: declared("invitation_only", "2026-06-01") }),
      "2026-12-07",
      "invitation",
      "declared",
      false,
    ],
    [
      "suspended is paused",
      site({ declared: declared("suspended", "2026-06-01") }),
      "2026-12-07",
      "paused",
      "declared",
      false,
    ],
    [
      "active, not recruiting is closed",
      site({ declared: declared("active_not_recruiting", "2020-01-01") }),
      "2026-12-07",
      "closed",
      "declared",
      false,
    ],
    [
      "completed is closed and never grows old",
      site({ declared: declared("completed", "2001-01-01") }),
      "2026-12-07",
      "closed",
      "declared",
      false,
    ],
    [
      "withdrawn is closed",
      site({ declared: declared("withdrawn", "2024-01-01") }),
      "2026-12-07",
      "closed",
      "declared",
      false,
    ],
    [
      "the source's own unknown is unknown",
      site({ declared: declared("unknown", "2026-12-01") }),
      "2026-12-07",
      "unknown",
      "unknown",
      false,
    ],
    [
      "recruiting on the last day it counts (declared + 730 days)",
      site({ declared: declared("recruiting", "2024-12-07") }),
      "2026-12-07",
      "open",
      "declared",
      false,
    ],
    [
      "recruiting the day after: unknown, needs confirmation",
      site({ declared: declared("recruiting", "2024-12-06") }),
      "2026-12-07",
      "unknown",
      "unknown",
      true,
    ],
    [
      "a stale invitation is unknown too",
      site({ declared: declared("invitation_only", "2020-05-01") }),
      "2026-12-07",
      "unknown",
      "unknown",
      true,
    ],
    [
      "estimated dates alone never open a site",
      site({
        expectedStart: "2026-01-01",
        expectedEnd: "2027-01-01",
        declared: declared("not_yet_recruiting", "2026-12-01"),
      }),
      "2026-12-07",
      "planned",
      "declared",
      false,
    ],
    [
      "a firm start date beats a declared status",
      site({ inclusionStart: "2027-01-01", declared: declared("recruiting", "2026-12-01") }),
      "2026-12-07",
      "planned",
      "dates",
      false,
    ],
    [
      "a firm end date that passed closes a declared-open site",
      site({ inclusionEnd: "2026-12-06", declared: declared("recruiting", "2026-12-01") }),
      "2026-12-07",
      "closed",
      "dates",
      false,
    ],
    [
      "an editor's pause beats a declared status",
      site({ paused: true, declared: declared("recruiting", "2026-12-01") }),
      "2026-12-07",
      "paused",
      "dates",
      false,
    ],
    [
      "firm dates: open",
      site({ inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" }),
      "2026-12-07",
      "open",
      "dates",
      false,
    ],
    ["nothing at all: planned, start not set", site({}), "2026-12-07", "planned", "dates", false],
  ] as const)("%s", (_what, s, day, status, basis, stale) => {
    const state = siteState(s, noon(day));
    expect([state.status, state.basis, state.stale]).toEqual([status, basis, stale]);
  });

  it("the limit is the deployment's: 30 days makes a 31-day-old declaration unknown", () => {
    const s = site({ declared: declared("recruiting", "2026-11-06") });
    expect(siteState(s, noon("2026-12-07")).status).toBe("open");
    configureStatusPolicy({ declaredMaxAgeDays: 30 });
    expect(siteState(s, noon("2026-12-07")).status).toBe("unknown");
    expect(() => configureStatusPolicy({ declaredMaxAgeDays: 0 })).toThrow(RangeError);
  });

  it("grows old at Oslo midnight, not UTC midnight (winter: 23:00Z the day before)", () => {
    const s = site({ declared: declared("recruiting", "2024-12-06") }); // stale from 2026-12-07 in Oslo
    expect(siteState(s, new Date("2026-12-06T22:59:59.999Z")).status).toBe("open");
    expect(siteState(s, new Date("2026-12-06T23:00:00Z")).status).toBe("unknown");
    expect(statusTransitions(s).map((d) => d.toISOString())).toEqual(["2026-12-06T23:00:00.000Z"]);
    expect(nextStatusChange([s], new Date("2026-06-01T00:00:00Z"))?.toISOString()).toBe("2026-12-06T23:00:00.000Z");
  });
});

describe("studyStatus: open > invitation > paused > planned > unknown > closed", () => {
  it.each([
    [["closed", "unknown"], "unknown"],
    [["unknown", "planned"], "planned"],
    [["invitation", "paused"], "invitation"],
    [["open", "invitation"], "open"],
  ] as const)("%j → %s", (statuses, expected) => {
    const forStatus: Record<string, InclusionWindow> = {
      closed: site({ declared: declared("completed", "2026-01-01") }),
      unknown: site({ declared: declared("unknown", "2026-01-01") }),
      planned: site({ declared: declared("not_yet_recruiting", "2026-11-01") }),
      invitation: site({ declared: declared("invitation_only", "2026-11-01") }),
      paused: site({ declared: declared("suspended", "2026-11-01") }),
      open: site({ declared: declared("recruiting", "2026-11-01") }),
    };
    expect(
      studyStatus(
        statuses.map((s) => forStatus[s]!),
        noon("2026-12-07"),
      ),
    ).toBe(expected);
  });
});

describe("the engines' instants agree with siteState at every transition", () => {
  const ENGINE: Record<string, string> = ENGINE_STATUS;
  const sites: InclusionWindow[] = [];
  for (const status of [
    "recruiting",
    "not_yet_recruiting",
    "invitation_only",
    "suspended",
    "active_not_recruiting",
    "completed",
    "unknown",
  ] as const) {
    for (const on of ["2024-03-30", "2025-10-26", "2026-12-07"]) {
      sites.push(site({ declared: declared(status, on) }));
      sites.push(site({ declared: declared(status, on), inclusionEnd: "2026-06-30" }));
      sites.push(site({ declared: declared(status, on), paused: true }));
    }
  }
  sites.push(
    site({ inclusionStart: "2026-03-29", inclusionEnd: "2026-10-25" }),
    site({}),
    site({ inclusionEnd: "2026-01-01" }),
  );

  it.each(sites.map((s, i) => [i, s] as const))("site %i", (_i, s) => {
    const w = searchWindow(s);
    const instants = new Set<number>([Date.parse("2020-01-01T00:00:00Z"), Date.parse("2030-01-01T00:00:00Z")]);
    for (const t of statusTransitions(s)) for (const d of [-1, 0, 1]) instants.add(t.getTime() + d);
    for (const t of instants) {
      const now = new Date(t);
      expect(documentStatus({ ...w, siteId: 1 }, t), `${now.toISOString()} ${JSON.stringify(s)}`).toBe(
        ENGINE[siteState(s, now).status],
      );
    }
  });
});

describe("status in words says what it rests on, in nb, nn and en", () => {
  const s = site({
    declared: declared("recruiting", "2026-12-01", "Åpen for rekruttering", "St. Olavs hospital HF"),
    expectedEnd: "2027-06-30",
  });
  it.each([
    [
      "nb",
      "Åpen for inklusjon (oppgitt av St. Olavs hospital HF 1. desember 2026: «Åpen for rekruttering»; forventet avsluttet 30. juni 2027)",
    ],
    ["nn", "oppgjeve av St. Olavs hospital HF"],
    ["en", "as stated by St. Olavs hospital HF on 1 December 2026"],
  ] as const)("%s", (lang, words) => {
    expect(siteStatusText(s, noon("2026-12-07"), lang)).toContain(words);
  });
  it("a stale one says since when it is unconfirmed, never open", () => {
    const old = site({ declared: declared("recruiting", "2023-05-01", "RECRUITING") });
    const text = siteStatusText(old, noon("2026-12-07"));
    expect(text).toMatch(/^Status ukjent – må bekreftes \(ikke bekreftet siden 1\. mai 2023/);
  });
  it("by invitation", () => {
    expect(
      siteStatusText(
        site({ declared: declared("invitation_only", "2026-11-01", "ENROLLING_BY_INVITATION") }),
        noon("2026-12-07"),
        "nb",
      ),
    ).toMatch(/^Åpen bare for inviterte/);
  });
});
