/**
 * One person's reminder digest as an e-mail (pure; ADR 0020): a plain-text message in the
 * person's language, one line per reminder with the link to act. Nothing about patients: studies,
 * sites, dates and hold reasons only.
 */
import { reminderPath, type Reminder } from "#app/domain/reminders";
import { withLang, type Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { reminderText } from "./reminder-text";

const SUBJECT: Record<Lang, (n: number) => string> = {
  nb: (n) => `Kliniske studier: ${n} ${n === 1 ? "ting trenger" : "ting trenger"} deg`,
  nn: (n) => `Kliniske studiar: ${n} ${n === 1 ? "ting treng" : "ting treng"} deg`,
  en: (n) => `Clinical studies: ${n} ${n === 1 ? "thing needs" : "things need"} you`,
};
const GREETING: Record<Lang, (name: string) => string> = {
  nb: (name) => `Hei ${name},`,
  nn: (name) => `Hei ${name},`,
  en: (name) => `Hello ${name},`,
};
const FOOTER: Record<Lang, string> = {
  nb: "Du får denne e-posten fordi du er forsker eller redaktør i Kliniske studier. Den inneholder ingen pasientopplysninger.",
  nn: "Du får denne e-posten fordi du er forskar eller redaktør i Kliniske studiar. Han inneheld ingen pasientopplysningar.",
  en: "You get this e-mail because you are a researcher or editor in Kliniske studier. It contains no patient information.",
};

export function reminderDigest(input: { baseUrl: string; name: string; reminders: Reminder[]; lang?: Lang }): {
  subject: string;
  text: string;
  links: string[];
} {
  const lang = input.lang ?? "nb";
  const tr = translator(lang);
  const base = input.baseUrl.replace(/\/$/, "");
  const links: string[] = [];
  const lines = input.reminders.map((r) => {
    const link = `${base}${withLang(reminderPath(r), lang)}`;
    links.push(link);
    return `- ${r.studyTitle || `#${r.studyId}`}\n  ${reminderText(r, tr)}\n  ${link}`;
  });
  const text = [
    GREETING[lang](input.name),
    "",
    `${tr.t("reminders.title")}:`,
    "",
    ...lines,
    "",
    `${base}${withLang("/forsker/studier", lang)}`,
    "",
    FOOTER[lang],
    "",
  ].join("\n");
  return { subject: SUBJECT[lang](input.reminders.length), text, links };
}
