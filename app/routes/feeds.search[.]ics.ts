/** GET /feeds/search.ics?<the query string of /api/v1/studies> — a saved search's inclusion deadlines as iCalendar. */
import { searchCalendar } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(searchCalendar);
export const action = readOnlyAction;
