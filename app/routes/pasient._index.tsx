/**
 * /pasient: the patient search. One box first (phone-first), "open now" by default, optional
 * postcode (nearest site first, in km), age, sex and region behind "more choices". A plain GET
 * form: every search is a bookmarkable URL and works without JavaScript. A light page (issue 24,
 * app/light/): not hydrated; its small script (app/light/patient-page.ts) makes the results
 * follow the typing and refresh when a study changes, replacing the parts marked
 * `data-live-part`. No cookies, nothing stored.
 */
import { Pagination } from "#app/components/Pagination";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { LocalizedText } from "#app/components/LocalizedText";
import { Field, SelectField } from "#app/components/fields";
import { RegionFilter, SexFilter, StatusFilter } from "#app/components/search-fields";
import { fieldProblem, ProblemSummary } from "#app/components/ProblemSummary";
import { DemoBadge, StatusBadge } from "#app/components/StatusBadge";
import { LiveRegion, SEARCH_LIVE_TEXTS } from "#app/components/LiveRegion";
import { publicPageHeaders } from "#app/http/cache-headers";
import { redirectToTidyQuery } from "#app/http/tidy-query";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { LIGHT_PAGE_WITH_SCRIPT, PATIENT_RESULTS_ID } from "#app/light/pages";
import { useTranslator } from "#app/i18n/use-translator";
import { DEFAULT_PATIENT_STATUS, PATIENT_STATUSES } from "#app/search-params/choices";
import type { StudyCard } from "#app/views/study-card.server";
import { patientSearchView } from "#app/views/patient-search.server";

export const meta: MetaFunction = ({ location }) => [
  { title: translator(langFromSearch(location.search)).t("patient.search.metaTitle") },
];

export const headers = publicPageHeaders;

export const handle = LIGHT_PAGE_WITH_SCRIPT;

export async function loader({ request }: LoaderFunctionArgs) {
  redirectToTidyQuery(request);
  return patientSearchView(new URL(request.url), new Date());
}

export default function PatientSearch() {
  const view = useLoaderData<typeof loader>();
  const translate = useTranslator();
  const { t, href, lang } = translate;
  const { params, problems } = view;
  const q = fieldProblem(problems, "q", "q-hint");
  const postcode = fieldProblem(problems, "postnummer", "postnummer-hint");
  const age = fieldProblem(problems, "alder", "alder-hint");
  const sex = fieldProblem(problems, "kjonn");
  const region = fieldProblem(problems, "region");
  const status = fieldProblem(problems, "status");
  const sort = fieldProblem(problems, "sortering", "sortering-hint");
  const moreOpen = Boolean(
    params.postnummer ||
    params.alder != null ||
    params.kjonn ||
    params.region ||
    params.sortering ||
    postcode.problem ||
    age.problem ||
    sex.problem ||
    region.problem,
  );

  return (
    <>
      <h1>{t("patient.search.title")}</h1>
      <p className="lead">{t("patient.search.lead")}</p>
      <div data-live-part="problems">
        <ProblemSummary problems={problems} />
      </div>
      {/* "#treff": a search lands on the results, not ~1,200 px above them on a phone (works without JavaScript). */}
      <form
        method="get"
        action={`/pasient#${PATIENT_RESULTS_ID}`}
        role="search"
        aria-label={t("patient.search.form")}
        className="search-form"
        data-live-search=""
      >
        {lang !== "nb" ? <input type="hidden" name="lang" value={lang} /> : null}
        <Field id="q" label={t("search.field.q")} hint={t("search.field.q.hint")} {...q.fieldProps}>
          <div className="search-row">
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={params.q}
              autoComplete="off"
              enterKeyHint="search"
              spellCheck={false}
              {...q.inputProps}
            />
            <button type="submit">{t("search.submit")}</button>
          </div>
        </Field>
        <StatusFilter
          t={t}
          label={t("search.field.status")}
          value={params.status}
          problem={status}
          statuses={PATIENT_STATUSES}
          defaultStatus={DEFAULT_PATIENT_STATUS}
        />
        <details className="more-filters" open={moreOpen}>
          <summary>{t("search.more")}</summary>
          <div className="field-grid">
            <Field
              id="postnummer"
              label={t("search.field.postcode")}
              hint={t("search.field.postcode.hint")}
              {...postcode.fieldProps}
            >
              <input
                id="postnummer"
                name="postnummer"
                type="text"
                inputMode="numeric"
                autoComplete="postal-code"
                size={6}
                defaultValue={view.raw.postnummer}
                {...postcode.inputProps}
              />
            </Field>
            <SelectField
              id="sortering"
              label={t("search.field.sort")}
              hint={t("search.field.sort.hint")}
              {...sort.fieldProps}
              control={{ name: "sortering", defaultValue: params.sortering ?? "", ...sort.inputProps }}
              options={[
                { value: "", label: t("search.sort.best") },
                { value: "naermest", label: t("search.sort.naermest") },
              ]}
            />
            <Field id="alder" label={t("search.field.age")} hint={t("search.field.age.hint")} {...age.fieldProps}>
              <input
                id="alder"
                name="alder"
                type="text"
                inputMode="numeric"
                size={4}
                defaultValue={view.raw.alder}
                {...age.inputProps}
              />
            </Field>
            <SexFilter t={t} label={t("search.field.sex")} value={params.kjonn} problem={sex} />
            <RegionFilter t={t} value={params.region} problem={region} regions={view.regions} />
          </div>
        </details>
      </form>

      <section aria-labelledby="treff-tittel" className="results" data-live-part="results">
        <h2 id="treff-tittel" className="visually-hidden">
          {t("patient.results.heading")}
        </h2>
        <p
          role="status"
          className="result-count"
          data-busy-text={t("search.updating")}
          id={PATIENT_RESULTS_ID}
          tabIndex={-1}
        >
          {view.countText}
        </p>
        {/* One line on the order (ADR 0024); outside the count, which screen readers announce. */}
        {view.total > 0 ? <p className="result-near">{view.orderText}</p> : null}
        {view.zero ? <ZeroResults zero={view.zero} /> : null}
        <ul className="cards">
          {view.cards.map((card) => (
            <StudyCardItem key={card.id} card={card} query={view.studyQuery} />
          ))}
        </ul>
        <Pagination page={view.page} pages={view.pages} previousHref={view.previousHref} nextHref={view.nextHref} />
        <LiveRegion message="" texts={SEARCH_LIVE_TEXTS} />
      </section>
      <p className="notice">{t("patient.study.talkToDoctor")}</p>
      <p className="muted small">
        <Link to={href("/helsepersonell")}>{t("site.nav.clinicians")}</Link>
      </p>
    </>
  );

  function ZeroResults({ zero }: { zero: NonNullable<typeof view.zero> }) {
    return (
      <div className="zero-results">
        <h3>{t("patient.zero.title")}</h3>
        {zero.emptyPortal ? (
          <p>{t("patient.zero.nothing")}</p>
        ) : (
          <>
            <p>{t("patient.zero.because")}</p>
            <ul>
              {zero.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </>
        )}
        {zero.widen.length ? (
          <>
            <h4>{t("patient.zero.widen")}</h4>
            <ul className="widen">
              {zero.widen.map((w) => (
                <li key={w.href}>
                  <Link to={w.href}>
                    {w.label} {t("patient.widen.hits", { count: translator(lang).plural("count.studies", w.count) })}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>{t("patient.zero.spelling")}</p>
      </div>
    );
  }
}

function StudyCardItem({ card, query }: { card: StudyCard; query: string }) {
  const { t, plural } = useTranslator();
  // The search goes along (its language too): distances on the study page and the way back.
  const to = `/pasient/studier/${card.id}${query}`;
  return (
    <li className="card" data-study-id={card.id}>
      <h3>
        <Link to={to}>
          <LocalizedText value={card.title} />
        </Link>
        {card.isDemo ? <DemoBadge /> : null}
      </h3>
      <p>
        <StatusBadge status={card.status} text={card.statusText} />
      </p>
      <p>
        <span className="muted">
          {card.site?.distanceKm != null ? t("patient.card.nearest") : t("patient.card.where")}:
        </span>{" "}
        {card.site ? (
          <>
            {card.site.name}
            {card.site.place && !card.site.name.includes(card.site.place) ? `, ${card.site.place}` : ""}
            {card.site.distanceKm != null ? ` – ${t("distance.km", { km: card.site.distanceKm })}` : ""}
            {card.site.placeNote ? ` (${card.site.placeNote})` : ""}
            {card.otherSites > 0 ? ` ${plural("patient.card.moreSites", card.otherSites)}` : ""}
          </>
        ) : (
          t("patient.card.noSites")
        )}
      </p>
      {card.categories.length ? (
        <p>
          <span className="muted">{t("patient.card.category")}:</span> {card.categories.join(", ")}
        </p>
      ) : null}
    </li>
  );
}

export function ErrorBoundary() {
  return (
    <ErrorPage
      texts={{
        notFoundTitle: "error.notFound.title",
        notFoundText: "error.notFound.text",
        title: "error.search.title",
        text: "error.search.text",
        link: { to: "/pasient", label: "error.study.toSearch" },
      }}
    />
  );
}
