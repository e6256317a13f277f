/**
 * What a researcher sees next to each of their studies: what is missing before it can be
 * published, and warnings about content that is out of date or hard to read. Pure.
 */
import type { Study } from "./study";
import { formatCalendarDatePattern } from "#app/i18n/date-format";

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

/** Things that stop publishing (an editor cannot approve without them). */
export function missingForPublishing(study: ReadinessStudy): string[] {
  const missing: string[] = [];
  if (!study.summary.nb) missing.push("Sammendrag i klarspråk på bokmål");
  if (!study.identifiers.rek) missing.push("REK-nummer");
  if (study.studyType == null) missing.push("Type studie");
  const active = study.sites.filter((s) => !s.withdrawn);
  if (active.length === 0) missing.push("Minst ett studiested");
  else if (!active.some((s) => s.inclusionStart && s.inclusionEnd))
    missing.push("Inklusjonsperiode (start og slutt) for minst ett studiested");
  return missing;
}

export function readinessWarnings(study: ReadinessStudy, today: string): string[] {
  const warnings: string[] = [];
  const active = study.sites.filter((s) => !s.withdrawn);
  for (const site of active) {
    if (site.inclusionEnd && site.inclusionEnd < today) {
      warnings.push(
        `Inklusjonsslutt er passert for ${site.organisationName ?? site.organisationId} (${formatCalendarDate(site.inclusionEnd)}): stemmer datoen?`,
      );
    }
  }
  if (study.contacts.length === 0 && !active.some((s) => s.contact)) warnings.push("Ingen kontaktperson");
  if (!study.title.en || !study.summary.en) warnings.push("Ingen engelsk tekst (tittel og sammendrag)");
  const long = study.summary.nb ? sentences(study.summary.nb).filter((s) => wordCount(s) > LONG_SENTENCE_WORDS) : [];
  if (long.length > 0) {
    warnings.push(
      `Sammendraget har ${long.length} svært ${long.length === 1 ? "lang setning" : "lange setninger"} (over ${LONG_SENTENCE_WORDS} ord): del ${long.length === 1 ? "den" : "dem"} opp`,
    );
  }
  return warnings;
}
