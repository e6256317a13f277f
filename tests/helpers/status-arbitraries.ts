/**
 * fast-check arbitraries for the status rule: sites with every input the rule reads (inclusion
 * dates, a pause, registry estimates, a declared status and its date, a confirmation date), and
 * instants biased towards the days those change status. Shared by the unit property test and the
 * real-engine test of the status rule.
 */
import fc from "fast-check";
import { addCalendarDays } from "#app/domain/calendar-date";
import { DECLARED_STATUSES, type InclusionWindow } from "#app/domain/inclusion-status";
import { ENGINE_STATUS } from "#app/domain/window-status";

const DAY = 86_400_000;
export const FROM = Date.UTC(2022, 0, 1);
export const TO = Date.UTC(2030, 11, 31);

export const calendarDate = fc
  .integer({ min: 0, max: Math.floor((TO - FROM) / DAY) })
  .map((d) => new Date(FROM + d * DAY).toISOString().slice(0, 10));

/** A site as the domain sees it, with every field the rule looks at. */
export const site: fc.Arbitrary<InclusionWindow> = fc
  .record({
    start: fc.option(calendarDate, { nil: null }),
    length: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    endOnly: fc.option(calendarDate, { nil: null }),
    paused: fc.boolean(),
    expectedStart: fc.option(calendarDate, { nil: null }),
    expectedEnd: fc.option(calendarDate, { nil: null }),
    declared: fc.option(
      fc.record({ status: fc.constantFrom(...DECLARED_STATUSES), on: calendarDate }).map((d) => ({
        ...d,
        text: d.status,
        by: "ClinicalTrials.gov",
      })),
      { nil: null },
    ),
    confirmedOn: fc.option(calendarDate, { nil: null }),
  })
  .map((r) => ({
    inclusionStart: r.start,
    inclusionEnd: r.start != null ? (r.length == null ? null : addCalendarDays(r.start, r.length)) : r.endOnly,
    paused: r.paused,
    expectedStart: r.expectedStart,
    expectedEnd: r.expectedEnd,
    declared: r.declared,
    confirmedOn: r.confirmedOn,
  }));

/** Deployment policies: the declared-status age and the confirmation soft/hard limits. */
export const policy = fc
  .record({
    declaredMaxAgeDays: fc.integer({ min: 1, max: 1000 }),
    soft: fc.integer({ min: 1, max: 18 }),
    extra: fc.integer({ min: 0, max: 12 }),
  })
  .map((p) => ({
    declaredMaxAgeDays: p.declaredMaxAgeDays,
    confirmationSoftMonths: p.soft,
    confirmationHardMonths: p.soft + p.extra,
  }));

/** An instant in the range, or one millisecond around an Oslo-ish midnight. */
export const instant: fc.Arbitrary<Date> = fc.oneof(
  fc.date({ min: new Date(FROM - 400 * DAY), max: new Date(TO + 400 * DAY), noInvalidDate: true }),
  fc
    .tuple(calendarDate, fc.constantFrom(-3_600_000, -7_200_000, -1, 0, 1))
    .map(([d, delta]) => new Date(Date.parse(`${d}T00:00:00Z`) + delta)),
);

/** How the engines' four filters read the domain's six statuses (the domain's own table). */
export const ENGINE_BUCKET = ENGINE_STATUS;
