/**
 * The portal's live event stream as the pages see it (GET /api/v1/events, Server-Sent Events).
 * Pure: shared by the React hook (use-live-updates.ts, hydrated pages) and the framework-free
 * script of the light patient pages (app/light/patient-page.ts).
 */
export const LIVE_EVENTS_URL = "/api/v1/events";
export const LIVE_EVENT_TYPES = ["study.published", "study.changed", "study.withdrawn", "study.status"] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** The fields of an event this page looks at (the hub sends more; see the OpenAPI document). */
export interface LiveEvent {
  type: LiveEventType;
  studyId: number;
  /** Change events: the organisations with a site in the study after the change. */
  organisations?: string[];
}

/** A key press or input this recent means the user is typing: the refresh waits. */
export const TYPING_QUIET_MS = 1000;
/** After the server refused the stream (EventSource gives up on a non-200), try again this late. */
export const REOPEN_AFTER_ERROR_MS = 30_000;
