/**
 * A form problem in the page's language. The study schema (app/domain/study.ts) and the form's
 * own checks (app/domain/study-form.ts) stay pure and speak bokmål, the language of the API and
 * the ingest reports; the signed-in forms say the same problem in nb, nn or en by finding the
 * bokmål sentence among the catalogue's `form.error.*` texts (placeholders matched as values) and
 * taking that key in the reader's language. A problem the catalogue does not know stays as it is.
 */
import type { z } from "zod";
import { sentence } from "#app/domain/study-form";
import { nb, type MessageKey } from "#app/i18n/messages/nb";
import type { Translator } from "#app/i18n/translate";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each `form.error.*` bokmål text as a pattern: "Maks {max} tegn." → /^Maks (?<max>.+?) tegn\.$/. */
const PATTERNS: { key: MessageKey; pattern: RegExp }[] = (Object.keys(nb) as MessageKey[])
  .filter((key) => key.startsWith("form.error."))
  .map((key) => ({
    key,
    pattern: new RegExp(
      `^${nb[key]
        .split(/(\{\w+\})/)
        .map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>.+?)` : escape(part)))
        .join("")}$`,
    ),
  }));

/** What a problem can name inside it ("… før dette er på plass: REK-nummer."): a readiness item, by its bokmål text. */
const ITEMS = new Map<string, MessageKey>(
  (Object.keys(nb) as MessageKey[]).filter((key) => key.startsWith("readiness.")).map((key) => [nb[key], key]),
);

/** A problem's message (bokmål, from the schema or a model) as a sentence in the reader's language. */
export function problemText(message: string, tr: Translator): string {
  const text = sentence(message);
  if (tr.lang === "nb") return text;
  for (const { key, pattern } of PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const values = Object.fromEntries(
      Object.entries(m.groups ?? {}).map(([name, value]) => {
        const item = ITEMS.get(value);
        return [name, item ? tr.t(item) : value];
      }),
    );
    return tr.t(key, values);
  }
  return text;
}

/**
 * Messages for the problems the schemas leave to zod's defaults (missing values, wrong types,
 * unknown options), in the page's language. The schema's own messages win over these.
 */
export function formErrorMap(tr: Translator): z.core.$ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined || issue.input === null) return tr.t("form.error.required");
        if (issue.expected === "number") return tr.t("form.error.number");
        return tr.t("form.error.invalid");
      case "invalid_value":
        return tr.t("form.error.choose");
      case "too_small":
        return issue.origin === "number"
          ? tr.t("form.error.min", { min: String(issue.minimum) })
          : tr.t("form.error.required");
      case "too_big":
        return issue.origin === "number"
          ? tr.t("form.error.max", { max: String(issue.maximum) })
          : tr.t("form.error.tooLong", { max: String(issue.maximum) });
      default:
        return undefined;
    }
  };
}

/** Conform's `formatError`: each field's problems as sentences in the page's language, each once. */
export function formatErrorsIn(tr: Translator) {
  return (issues: readonly { message: string }[]): string[] => [
    ...new Set(issues.map((i) => problemText(i.message, tr))),
  ];
}
