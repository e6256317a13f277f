/** GET /feeds/paminnelser/:organisation/:secret.atom|.ics — an organisation's reminders (ADR 0020). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { reminderFeedResponse } from "#app/feeds/reminders-feed.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return reminderFeedResponse(params.organisation ?? "", params.file ?? "");
}
