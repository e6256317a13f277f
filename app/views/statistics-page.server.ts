/**
 * /forsker/statistikk's loader: the facts from the database, the view for this instant. Kept out
 * of the route so the statistics code (and its date formatting) stays on the server (issue 24).
 * `?demodata=nei` leaves the fictional demo studies out (the page's checkbox; the CSV links carry it).
 */
import { getDb } from "#app/db.server";
import type { Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { parseDemoParam, withoutDemo } from "#app/domain/statistics";
import { statisticsFacts } from "#app/models/statistics.server";
import { statisticsView } from "./statistics";

/** The facts the request asks for, or a 400 that says what `demodata` takes. */
export function requestedFacts(request: Request) {
  const demo = parseDemoParam(new URL(request.url).searchParams.get("demodata"));
  if (!demo.ok) {
    throw new Response(`${demo.message}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const facts = statisticsFacts(getDb());
  return { facts: demo.includeDemo ? facts : withoutDemo(facts), includeDemo: demo.includeDemo };
}

export function statisticsPage(request: Request, now: Date, lang: Lang = "nb") {
  const { facts, includeDemo } = requestedFacts(request);
  return { view: statisticsView(facts, now, lang), at: translator(lang).instant(now), lang, includeDemo };
}
