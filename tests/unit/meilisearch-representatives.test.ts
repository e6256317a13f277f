/**
 * Representative documents (app/search/meilisearch-representatives.ts): for every status set, every
 * grouping and every instant, exactly one document of a study represents it when some site of the
 * study (in the group) has one of the statuses, and none otherwise. Checked against
 * documentStatus() — the rule both engines share — on random studies and instants (fast-check,
 * fixed seed), with the filter clause evaluated the way Meilisearch does (a missing field never
 * matches).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { documentStatus } from "#app/search/document-mapper";
import {
  GROUPINGS,
  NEG_INF,
  POS_INF,
  representativeClause,
  representativeFields,
  representativeFieldsOf,
  statusSetFor,
  type Grouping,
  type RepresentableSite,
} from "#app/search/meilisearch-representatives";
import type { StatusFilter } from "#app/search/types";

/** Evaluates a clause of representativeClause's form on a document's fields. */
function holds(clause: string, fields: Record<string, number>): boolean {
  const parts = clause.replace(/^\(|\)$/g, "").split(" AND ");
  return parts.every((p) => {
    const m = /^(\w+) (<=|>) (-?[\d.e+]+)$/.exec(p);
    if (!m) throw new Error(`unexpected clause ${p}`);
    const v = fields[m[1]!];
    if (v === undefined) return false;
    return m[2] === "<=" ? v <= Number(m[3]) : v > Number(m[3]);
  });
}

const DAY = 86_400_000;
const instant = fc.integer({ min: 0, max: 40 }).map((d) => d * DAY);
const maybe = fc.option(instant, { nil: null });
const site = fc.record({
  regionId: fc.constantFrom("vest", "nord", null),
  organisationId: fc.constantFrom("a", "b", "c", null),
  opensAt: maybe,
  closesAt: maybe,
  paused: fc.boolean(),
});
const study = fc.oneof(
  fc.constant([] as RepresentableSite[]),
  fc.array(site, { minLength: 1, maxLength: 6 }).map((sites) => sites.map((s, i) => ({ ...s, siteId: 10 + i }))),
);
const SETS: StatusFilter[][] = [
  [],
  ["open"],
  ["planned"],
  ["closed"],
  ["open", "planned"],
  ["open", "closed"],
  ["open", "planned", "closed"],
];

describe("representative documents", () => {
  it("one document per study and group represents each status set at every instant", () => {
    fc.assert(
      fc.property(
        study,
        fc.array(
          fc.integer({ min: -2, max: 42 }).map((d) => d * DAY + (d % 2 ? 0 : 3_600_000)),
          { minLength: 1, maxLength: 8 },
        ),
        (raw, instants) => {
          // A study without sites has one document without a site.
          const sites: RepresentableSite[] = raw.length
            ? raw
            : [{ siteId: null, regionId: null, organisationId: null, opensAt: null, closesAt: null, paused: false }];
          const fields = representativeFieldsOf(sites);
          for (const statuses of SETS) {
            const set = statusSetFor(statuses)!;
            for (const t of instants) {
              for (const g of Object.keys(GROUPINGS) as Grouping[]) {
                const attr = GROUPINGS[g];
                const keys = attr == null ? [null] : [...new Set(sites.map((s) => s[attr]).filter((k) => k != null))];
                for (const key of keys) {
                  const members = sites.map((s, i) => ({ s, i })).filter(({ s }) => attr == null || s[attr] === key);
                  const inSet = members.filter(
                    ({ s }) => statuses.length === 0 || (statuses as string[]).includes(documentStatus(s, t)),
                  );
                  const clause = representativeClause(g, set, t);
                  const reps = members.filter(({ i }) => holds(clause, fields[i]!));
                  expect(reps.length, `${g}=${key} ${statuses.join("+") || "any"} at ${t}`).toBe(
                    inSet.length > 0 ? 1 : 0,
                  );
                  // The representative is itself in the set (its document matches the status filter).
                  if (reps.length) expect(inSet.map((x) => x.i)).toContain(reps[0]!.i);
                }
              }
            }
          }
        },
      ),
      { seed: 20261202, numRuns: 400 },
    );
  }, 60_000); // 400 seeded runs: ~3.5 s alone, more on a busy 2-core machine (a runner limit, not a timing check)

  it("has no status set for planned + closed (two intervals per site)", () => {
    expect(statusSetFor(["planned", "closed"])).toBeNull();
    expect(statusSetFor(["closed", "planned", "closed"])).toBeNull();
    expect(statusSetFor(["planned", "open"])?.key).toBe("live");
    expect(statusSetFor(undefined)?.key).toBe("any");
  });

  it("names each field once and stores only finite or sentinel numbers", () => {
    const names = representativeFields();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(24);
    const fields = representativeFieldsOf([
      { siteId: 1, regionId: "vest", organisationId: "a", opensAt: 5, closesAt: null, paused: false },
    ]);
    for (const [k, v] of Object.entries(fields[0]!)) {
      expect(names).toContain(k);
      expect(v >= NEG_INF && v <= POS_INF).toBe(true);
    }
    expect(() => representativeClause("study", statusSetFor(["open"])!, Number.NaN)).toThrow(RangeError);
  });
});
