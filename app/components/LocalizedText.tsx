/**
 * Study text that may be in another language than the page (a bokmål fallback on a nynorsk or
 * English page): marked with its own `lang` so screen readers pronounce it right (WCAG 3.1.2).
 */
import type { ReactNode } from "react";
import type { LocalText } from "~/views/localized-text";
import { useTranslator } from "~/i18n/use-translator";

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

/** "This text only exists in bokmål", shown once where a fallback starts. */
export function FallbackNote({ values, children }: { values: (LocalText | null | undefined)[]; children?: ReactNode }) {
  const { lang, t } = useTranslator();
  if (lang === "nb" || !values.some((v) => v && v.lang !== lang)) return null;
  return (
    <p className="muted fallback-note">
      {t("text.onlyInNb")}
      {children}
    </p>
  );
}
