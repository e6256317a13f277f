/**
 * Study texts in the reader's language, falling back to bokmål (the one language every study
 * has). The language actually shown travels with the text, so the page can mark a fallback with
 * its own `lang` attribute (WCAG 3.1.2) and say that the text only exists in bokmål.
 */
import type { Lang } from "#app/i18n/languages";

export interface LocalText {
  text: string;
  lang: Lang;
}

type Texts = Partial<Record<Lang, string | null | undefined>>;

const FALLBACKS: Record<Lang, Lang[]> = { nb: ["nb", "nn"], nn: ["nn", "nb"], en: ["en", "nb", "nn"] };

/**
 * Registry records (ClinicalTrials.gov) are in English: their mapper keeps the English words as
 * the `en` text and, because every study has a bokmål title, the same words as `nb` (ADR 0023).
 * A Norwegian text identical to the English one is therefore the English text, not a translation,
 * and is marked as English so a screen reader reads it as English (WCAG 3.1.2).
 */
export function localText(texts: Texts, lang: Lang): LocalText | null {
  for (const candidate of FALLBACKS[lang]) {
    const text = texts[candidate];
    if (text) return { text, lang: candidate !== "en" && text === texts.en ? "en" : candidate };
  }
  return null;
}
