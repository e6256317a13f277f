/**
 * /forsker/statistikk's loader: the facts from the database, the view for this instant. Kept out
 * of the route so the statistics code (and its date formatting) stays on the server (issue 24).
 */
import { getDb } from "../db.server";
import { translator } from "../i18n/translate";
import { statisticsFacts } from "../models/statistics.server";
import { statisticsView } from "./statistics";

export function statisticsPage(now: Date) {
  return { view: statisticsView(statisticsFacts(getDb()), now), at: translator("nb").instant(now) };
}
