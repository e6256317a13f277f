/**
 * Study texts in the reader's language, falling back to bokmål (the one language every study
 * has). The language actually shown travels with the text, so the page can mark a fallback with
 * its own `lang` attribute (WCAG 3.1.2) and say that the text only exists in bokmål.
 */
import type { Lang } from "../i18n/languages";

export interface LocalText {
  text: string;
  lang: Lang;
}

type Texts = Partial<Record<Lang, string | null | undefined>>;

const FALLBACKS: Record<Lang, Lang[]> = { nb: ["nb", "nn"], nn: ["nn", "nb"], en: ["en", "nb", "nn"] };

export function localText(texts: Texts, lang: Lang): LocalText | null {
  for (const candidate of FALLBACKS[lang]) {
    const text = texts[candidate];
    if (text) return { text, lang: candidate };
  }
  return null;
}
