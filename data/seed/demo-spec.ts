/**
 * Shape of the project's demo studies (fictional, clearly marked as demo data).
 * Inclusion dates are written as day offsets from the day the seed runs, so the demo
 * always shows open, planned, closed and paused studies whatever the date.
 */
import type { StudyInput, SiteInput } from "../../app/domain/study";
import { addCalendarDays } from "../../app/domain/calendar-date";

export interface DemoSiteSpec extends Omit<Partial<SiteInput>, "inclusionStart" | "inclusionEnd" | "declared" | "expectedStart" | "expectedEnd"> {
  /** null: a place that is no registered organisation (give `name` and `city`). */
  organisationId: string | null;
  /** A source's own status, declared this many days from the seed day (≤ 0), in its own words. */
  declared?: { status: NonNullable<SiteInput["declared"]>["status"]; text: string; by: string; offsetDays: number };
  /** A registry's estimated dates ("forventet"), as day offsets from the seed day. */
  expectedStartOffsetDays?: number;
  expectedEndOffsetDays?: number;
  /** Days from the seed day to the first day of inclusion; null = not scheduled yet. */
  startOffsetDays: number | null;
  /** Days from the seed day to the last day of inclusion (inclusive); null = open-ended. */
  endOffsetDays: number | null;
}

export interface DemoStudySpec extends Omit<StudyInput, "sites" | "isDemo"> {
  /** Stable key of the demo record (e.g. "DEMO-001"): re-seeding updates instead of duplicating. */
  key: string;
  sites: DemoSiteSpec[];
}

export function materialiseDemoStudy(spec: DemoStudySpec, today: string): { key: string; study: StudyInput } {
  const { key, sites, ...rest } = spec;
  return {
    key,
    study: {
      ...rest,
      isDemo: true,
      sites: sites.map(({ startOffsetDays, endOffsetDays, declared, expectedStartOffsetDays, expectedEndOffsetDays, ...site }) => ({
        ...site,
        inclusionStart: startOffsetDays == null ? null : addCalendarDays(today, startOffsetDays),
        inclusionEnd: endOffsetDays == null ? null : addCalendarDays(today, endOffsetDays),
        declared: declared ? { status: declared.status, text: declared.text, by: declared.by, on: addCalendarDays(today, declared.offsetDays) } : null,
        expectedStart: expectedStartOffsetDays == null ? null : addCalendarDays(today, expectedStartOffsetDays),
        expectedEnd: expectedEndOffsetDays == null ? null : addCalendarDays(today, expectedEndOffsetDays),
      })),
    },
  };
}
