/** Norwegian (bokmål) wording for feeds, calendars and embeds (pure). */
import type { SiteStatus, StudyStatus } from "#app/domain/inclusion-status";

const DATE_NB = new Intl.DateTimeFormat("nb-NO", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "2026-06-30" → "30. juni 2026" (a calendar date, no time zone involved). */
export function formatDateNb(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return DATE_NB.format(new Date(Date.UTC(y, m - 1, d)));
}

const SITE: Record<SiteStatus, string> = {
  open: "åpen for inklusjon",
  planned: "planlagt",
  paused: "inklusjonen har pause",
  invitation: "åpen bare for inviterte",
  unknown: "status ukjent – må bekreftes",
  closed: "inklusjonen er avsluttet",
};

export const siteStatusNb = (status: SiteStatus): string => SITE[status];

export function studyStatusNb(status: StudyStatus): string {
  return status === "no_sites" ? "ingen studiesteder" : SITE[status];
}
