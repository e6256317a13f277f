/**
 * What a researcher sees next to each of their studies: what is missing before it can be
 * published, and warnings about content that is out of date or hard to read. Pure.
 */
import type { Study } from "./study";
import { formatCalendarDatePattern } from "#app/i18n/date-format";
import { nb } from "#app/i18n/messages/nb";

/** "14. mars 2027": the warning is in bokmål, like the rest of this module's words. */
const formatCalendarDate = (date: string) => formatCalendarDatePattern(date, "d. MMMM yyyy", "nb-NO");

export interface ReadinessSite {
  organisationId: string | null;
  organisationName?: string | null;
  name?: string | null;
  inclusionStart: string | null;
  inclusionEnd: string | null;
  contact: unknown | null;
  withdrawn: boolean;
}

export type ReadinessStudy = Pick<Study, "identifiers" | "title" | "summary" | "contacts"> & {
  sites: ReadinessSite[];
  /** null: a draft whose type of study is not chosen yet. */
  studyType: Study["studyType"];
};

/** A sentence longer than this many words is hard to read for many patients (plain-language guides use 15–20). */
export const LONG_SENTENCE_WORDS = 25;

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/**
 * One thing missing or one warning, as a message key (app/i18n/messages) and its values, so each
 * page says it in its reader's language; the functions below give the bokmål sentence.
 */
export interface ReadinessItem {
  key:
    | "readiness.summary"
    | "readiness.rek"
    | "readiness.studyType"
    | "readiness.site"
    | "readiness.window"
    | "readiness.endPassed"
    | "readiness.noContact"
    | "readiness.noEnglish"
    | "readiness.longSentences.one"
    | "readiness.longSentences.other";
  vars?: Record<string, string | number>;
  /** The calendar date in `vars.date`, before it is put in words. */
  date?: string;
}

/** Things that stop publishing (an editor cannot approve without them). */
export function missingItems(study: ReadinessStudy): ReadinessItem[] {
  const missing: ReadinessItem[] = [];
  if (!study.summary.nb) missing.push({ key: "readiness.summary" });
  if (!study.identifiers.rek) missing.push({ key: "readiness.rek" });
  if (study.studyType == null) missing.push({ key: "readiness.studyType" });
  const active = study.sites.filter((s) => !s.withdrawn);
  if (active.length === 0) missing.push({ key: "readiness.site" });
  else if (!active.some((s) => s.inclusionStart && s.inclusionEnd)) missing.push({ key: "readiness.window" });
  return missing;
}

export function warningItems(study: ReadinessStudy, today: string): ReadinessItem[] {
  const warnings: ReadinessItem[] = [];
  const active = study.sites.filter((s) => !s.withdrawn);
  for (const site of active) {
    if (site.inclusionEnd && site.inclusionEnd < today) {
      warnings.push({
        key: "readiness.endPassed",
        vars: { site: site.organisationName ?? site.organisationId ?? "" },
        date: site.inclusionEnd,
      });
    }
  }
  if (study.contacts.length === 0 && !active.some((s) => s.contact)) warnings.push({ key: "readiness.noContact" });
  if (!study.title.en || !study.summary.en) warnings.push({ key: "readiness.noEnglish" });
  const long = study.summary.nb ? sentences(study.summary.nb).filter((s) => wordCount(s) > LONG_SENTENCE_WORDS) : [];
  if (long.length > 0) {
    warnings.push({
      key: long.length === 1 ? "readiness.longSentences.one" : "readiness.longSentences.other",
      vars: { count: long.length, words: LONG_SENTENCE_WORDS },
    });
  }
  return warnings;
}

/** An item in bokmål (the model's problems and the tests read these). */
function inBokmal(item: ReadinessItem): string {
  const vars: Record<string, string | number> = {
    ...item.vars,
    ...(item.date ? { date: formatCalendarDate(item.date) } : {}),
  };
  return nb[item.key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Things that stop publishing, in bokmål. */
export function missingForPublishing(study: ReadinessStudy): string[] {
  return missingItems(study).map(inBokmal);
}

export function readinessWarnings(study: ReadinessStudy, today: string): string[] {
  return warningItems(study, today).map(inBokmal);
}
