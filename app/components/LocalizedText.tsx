/**
 * Study text that may be in another language than the page (a bokmål fallback on a nynorsk or
 * English page): marked with its own `lang` so screen readers pronounce it right (WCAG 3.1.2).
 */
import type { ReactNode } from "react";
import type { LocalText } from "#app/views/localized-text";
import { useTranslator } from "#app/i18n/use-translator";

export function LocalizedText({
  value,
  as: Tag = "span",
  className,
}: {
  value: LocalText;
  as?: "span" | "p" | "div";
  className?: string;
}) {
  const { lang } = useTranslator();
  return (
    <Tag className={className} lang={value.lang !== lang ? value.lang : undefined}>
      {value.text}
    </Tag>
  );
}

/**
 * Shown once where a fallback starts: "this text only exists in bokmål" on a nynorsk or English
 * page, or "no Norwegian summary yet" on a Norwegian page showing a registry's English text.
 */
export function FallbackNote({ values, children }: { values: (LocalText | null | undefined)[]; children?: ReactNode }) {
  const { lang, t } = useTranslator();
  const shown = values.filter((v): v is LocalText => v != null && v.lang !== lang);
  if (shown.length === 0) return null;
  const english = lang !== "en" && shown.some((v) => v.lang === "en");
  if (!english && lang === "nb") return null;
  return (
    <p className="muted fallback-note">
      {t(english ? "text.onlyInEn" : "text.onlyInNb")}
      {children}
    </p>
  );
}
