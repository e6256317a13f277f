/**
 * GET /forsker/statistikk/<table>.csv — one statistics table as CSV for Excel (semicolon, UTF-8
 * with BOM; app/views/excel-csv.ts), written from the same StatTable as the page's table.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { osloDate } from "#app/domain/inclusion-status";
import { PUBLIC_PAGE_CACHE_CONTROL } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { requestedFacts } from "#app/views/statistics-page.server";
import { excelCsv } from "#app/views/excel-csv";
import { ALL_TABLE_IDS, isTableId, statisticsView, tableCsvRows } from "#app/views/statistics";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const match = /^([a-z-]+)\.csv$/.exec(params.file ?? "");
  const id = match?.[1];
  if (!id || !isTableId(id)) {
    return new Response(
      `Ukjent tabell «${params.file}». Tabellene er: ${ALL_TABLE_IDS.map((t) => `${t}.csv`).join(", ")}.\n`,
      {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      },
    );
  }
  const now = new Date();
  const { facts } = requestedFacts(request);
  const view = statisticsView(facts, now, langFromSearch(new URL(request.url).search));
  const table = [...view.sections.map((s) => s.table), ...view.freshness].find((t) => t.id === id)!;
  return new Response(excelCsv(tableCsvRows(table)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="kliniske-studier-${id}-${osloDate(now)}.csv"`,
      "Cache-Control": PUBLIC_PAGE_CACHE_CONTROL,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
