/** Previous / "page N of M" / next links under a result list (patient and clinician searches). */
import { Link } from "@remix-run/react";
import { useTranslator } from "#app/i18n/use-translator";

export function Pagination({
  page,
  pages,
  previousHref,
  nextHref,
}: {
  page: number;
  pages: number;
  previousHref: string | null;
  nextHref: string | null;
}) {
  const { t } = useTranslator();
  if (pages <= 1) return null;
  return (
    <nav aria-label={t("search.pages")} className="pagination">
      {previousHref ? (
        <Link to={previousHref} rel="prev">
          {t("search.previous")}
        </Link>
      ) : null}
      <span>{t("search.pageOf", { page, pages })}</span>
      {nextHref ? (
        <Link to={nextHref} rel="next">
          {t("search.next")}
        </Link>
      ) : null}
    </nav>
  );
}
