/**
 * An organisation's reminders as an Atom feed and an iCalendar (pure; ADR 0020). One entry/event
 * per reminder, dated by its due day, linking to the exact place to act. Nothing about patients:
 * studies, sites, dates and hold reasons only. The subscription secret is never written into the
 * documents (their self links leave it out).
 */
import { reminderPath, type Reminder } from "#app/domain/reminders";
import { translator } from "#app/i18n/translate";
import { reminderText } from "#app/views/reminder-text";
import { atomDate, renderAtom, tagUri } from "./atom";
import { renderCalendar } from "./icalendar";

const reminderId = (r: Reminder) => `${r.kind}/${r.studyId}/${r.siteKey ?? "-"}/${r.due}`;

export function remindersAtom(input: {
  baseUrl: string;
  organisationId: string;
  organisationName: string;
  reminders: Reminder[];
  now: Date;
}): string {
  const tr = translator("nb");
  const base = input.baseUrl.replace(/\/$/, "");
  return renderAtom({
    id: tagUri(base, `reminders/${input.organisationId}`),
    title: `${tr.t("reminders.title")}: ${input.organisationName}`,
    subtitle: tr.t("reminders.lead"),
    updated: atomDate(input.now),
    authors: [{ name: tr.t("site.name"), uri: base }],
    links: [{ href: `${base}/redaksjon`, rel: "alternate", type: "text/html" }],
    lang: "nb",
    entries: input.reminders.map((r) => ({
      id: tagUri(base, `reminder/${input.organisationId}/${reminderId(r)}`),
      title: `${r.studyTitle || `#${r.studyId}`} – ${reminderText(r, tr)}`,
      updated: atomDate(input.now),
      authors: [{ name: tr.t("site.name") }],
      links: [{ href: `${base}${reminderPath(r)}`, rel: "alternate", type: "text/html" }],
      categories: [{ term: r.kind }],
      summary: reminderText(r, tr),
    })),
  });
}

export function remindersCalendar(input: {
  baseUrl: string;
  organisationId: string;
  organisationName: string;
  reminders: Reminder[];
  now: Date;
}): string {
  const tr = translator("nb");
  const base = input.baseUrl.replace(/\/$/, "");
  const host = new URL(base).hostname || "localhost";
  return renderCalendar({
    prodId: "-//Kliniske studier//Paminnelser//NB",
    name: `${tr.t("reminders.title")}: ${input.organisationName}`,
    description: tr.t("reminders.lead"),
    events: input.reminders.map((r) => ({
      uid: `${reminderId(r).replace(/[^A-Za-z0-9._-]/g, "_")}.${input.organisationId}@${host}`,
      date: r.due,
      stamp: input.now,
      summary: `${r.studyTitle || `#${r.studyId}`} – ${reminderText(r, tr)}`,
      description: `${reminderText(r, tr)}\n${base}${reminderPath(r)}`,
      url: `${base}${reminderPath(r)}`,
      categories: [r.kind],
    })),
  });
}
