/**
 * Status names in bokmål (for callers that only need bokmål, e.g. the researcher table and the
 * statistics charts). Its own module with no imports, so a chart in the browser can name a status
 * without pulling the status rule and its date code into the page's bundle (issue 24).
 */
import type { StudyStatus } from "./inclusion-status";

export const STATUS_LABEL: Record<StudyStatus, string> = {
  open: "Åpen for inklusjon",
  invitation: "Åpen bare for inviterte",
  planned: "Planlagt",
  paused: "Midlertidig stanset",
  unknown: "Status ukjent – må bekreftes",
  closed: "Inklusjon avsluttet",
  no_sites: "Ingen studiesteder",
};
