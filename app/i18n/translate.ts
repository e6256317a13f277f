/**
 * Looks up interface text for a language and fills in values. Pure and shared by server and
 * browser, so a page renders the same text in both (no hydration mismatch).
 */
import { formatCalendarDatePattern, formatInstantPattern } from "./date-format";
import { DATE_LOCALE, withLang, type Lang } from "./languages";
import * as moreLanguages from "./messages/more-languages.server";
import type { MessageKey, Messages } from "./messages/nb";
import { nbPublic } from "./messages/nb-public";

/**
 * Every language's texts. On the server all three are here from the start. In the browser
 * `more-languages.server` is empty (Remix's `.server` convention): bokmål is in the bundle, and
 * the page's other language is added by loadLanguage before hydration, so a phone downloads one
 * language's texts, not three (issue 24).
 */
export const MESSAGES: Record<Lang, Messages> = {
  // In the browser the signed-in pages' bokmål comes with those routes (app/i18n/staff-texts.ts).
  nb: { ...nbPublic, ...moreLanguages.nbStaff } as Messages,
  nn: moreLanguages.nn,
  en: moreLanguages.en,
};

/** Whether a language's texts are here (always on the server; in the browser once loaded). */
export function hasLanguage(lang: Lang): boolean {
  return Boolean(MESSAGES[lang]);
}

/** Makes sure a language's texts are here (in the browser: loads its chunk once). */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (MESSAGES[lang]) return;
  MESSAGES[lang] = lang === "nn" ? (await import("./messages/nn")).nn : (await import("./messages/en")).en;
}

export type Vars = Record<string, string | number>;
/** Keys that come as a `.one` / `.other` pair. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.one` ? Base : never }[MessageKey];

export interface Translator {
  lang: Lang;
  t(key: MessageKey, vars?: Vars): string;
  /** The singular or plural form for `count`; `{count}` is filled in. */
  plural(key: PluralKey, count: number, vars?: Vars): string;
  /** A calendar date ("2027-03-14") in words: "14. mars 2027". */
  date(calendarDate: string): string;
  /** An instant, in Europe/Oslo: "22. november 2026 kl. 14:05". */
  instant(iso: string | Date): string;
  /** "a, b og c". */
  list(items: string[]): string;
  /** An internal link in this language. */
  href(path: string): string;
}

function fill(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const cache = new Map<Lang, Translator>();

export function translator(lang: Lang): Translator {
  const cached = cache.get(lang);
  if (cached) return cached;
  // Not yet loaded in the browser (only before loadLanguage has run): bokmål, not cached.
  if (!MESSAGES[lang]) return { ...translator("nb"), lang, href: (path) => withLang(path, lang) };
  const messages = MESSAGES[lang];
  const locale = DATE_LOCALE[lang];
  const t = (key: MessageKey, vars?: Vars) => fill(messages[key], vars);
  const created: Translator = {
    lang,
    t,
    plural: (key, count, vars) => t(`${key}.${count === 1 ? "one" : "other"}` as MessageKey, { count, ...vars }),
    // Intl.DateTimeFormat, not date-fns: this module runs in the browser too (app/i18n/date-format.ts).
    date: (calendarDate) => formatCalendarDatePattern(calendarDate, messages["format.date"], locale),
    instant: (iso) => formatInstantPattern(iso, messages["format.instant"], locale),
    list: (items) =>
      items.length <= 1
        ? (items[0] ?? "")
        : `${items.slice(0, -1).join(", ")} ${messages["format.list.and"]} ${items.at(-1)}`,
    href: (path) => withLang(path, lang),
  };
  cache.set(lang, created);
  return created;
}
