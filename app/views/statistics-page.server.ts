/**
 * /forsker/statistikk's loader: the facts from the database, the view for this instant. Kept out
 * of the route so the statistics code (and its date formatting) stays on the server (issue 24).
 */
import { getDb } from "../db.server";
import type { Lang } from "../i18n/languages";
import { translator } from "../i18n/translate";
import { statisticsFacts } from "../models/statistics.server";
import { statisticsView } from "./statistics";

export function statisticsPage(now: Date, lang: Lang = "nb") {
  return { view: statisticsView(statisticsFacts(getDb()), now, lang), at: translator("nb").instant(now), lang };
}
