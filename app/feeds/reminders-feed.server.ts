/**
 * GET /feeds/paminnelser/:organisation/:secret.atom|.ics — an organisation's reminders for feed
 * readers and calendars, opened by the organisation's reminder-feed secret (ADR 0020). A wrong or
 * revoked secret and an unknown organisation answer the same 404, so the URL says nothing about
 * which organisations have feeds. Never cached by shared caches; the secret is not logged by us
 * (a public request is logged by its route pattern only: app/http/logging.server.ts).
 */
import { getConfig } from "#app/config.server";
import { getDb } from "#app/db.server";
import { organisationName, reminderFeedTokenValid, remindersForOrganisation } from "#app/models/reminders.server";
import { remindersAtom, remindersCalendar } from "./reminders-feed";

const NOT_FOUND = () =>
  new Response("Fant ingen påminnelser på denne adressen. Lenken kan være erstattet av en ny.\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

export function reminderFeedResponse(organisationId: string, file: string, now = new Date()): Response {
  const match = /^([A-Za-z0-9_-]{16,200})\.(atom|ics)$/.exec(file);
  if (!match) return NOT_FOUND();
  const [, token, kind] = match as unknown as [string, string, "atom" | "ics"];
  const db = getDb();
  if (!reminderFeedTokenValid(db, organisationId, token)) return NOT_FOUND();
  const input = {
    baseUrl: getConfig().BASE_URL,
    organisationId,
    organisationName: organisationName(db, organisationId) ?? organisationId,
    reminders: remindersForOrganisation(db, organisationId, now),
    now,
  };
  const headers = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  };
  return kind === "atom"
    ? new Response(remindersAtom(input), {
        headers: { ...headers, "Content-Type": "application/atom+xml; charset=utf-8" },
      })
    : new Response(remindersCalendar(input), {
        headers: { ...headers, "Content-Type": "text/calendar; charset=utf-8" },
      });
}
