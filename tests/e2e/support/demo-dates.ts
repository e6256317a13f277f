/**
 * The dates the demo seed gave a study's sites. The seed writes each site's window as day offsets
 * from the day it ran (data/seed/demo-spec.ts), and the e2e server seeds a fresh database at start,
 * so the expected dates are today's date plus those offsets, formatted as the page formats them.
 */
import Database from "better-sqlite3";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { demoStudySpecs } from "../../../data/seed/demo-studies";
import type { Lang } from "#app/i18n/languages";

export function demoSpec(key: string) {
  const spec = demoStudySpecs.find((s) => s.key === key);
  if (!spec) throw new Error(`no demo study ${key}`);
  return spec;
}

export function seededDate(offsetDays: number, lang: Lang = "nb"): string {
  return formatCalendarDate(addCalendarDays(osloDate(new Date()), offsetDays), lang);
}

/** Read-only look into the e2e server's database (for ids the UI does not show, e.g. a withdrawn study). */
export function e2eDb() {
  const file = process.env.E2E_DATABASE_PATH;
  if (!file) throw new Error("E2E_DATABASE_PATH is not set (playwright.config.ts sets it)");
  return new Database(file, { readonly: true, fileMustExist: true });
}
