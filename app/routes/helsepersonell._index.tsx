/**
 * /helsepersonell: a dense, sortable list for a doctor with a patient in front of them. Filters
 * for ICD-10 (code or name, autocomplete from the portal's Norwegian ICD-10 list), treatment or
 * free text, organisation, region, phase, study type, open now / closing within 30 days, and the
 * patient's age and sex. A plain GET form: every filter set is a URL that can be bookmarked. The
 * list refreshes by itself when a study changes (use-live-updates).
 */
import { Pagination } from "#app/components/Pagination";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { LocalizedText } from "#app/components/LocalizedText";
import { Field, SelectField } from "#app/components/fields";
import { RegionFilter, SexFilter, StatusFilter } from "#app/components/search-fields";
import { fieldProblem, ProblemSummary } from "#app/components/ProblemSummary";
import { DemoBadge, StatusBadge } from "#app/components/StatusBadge";
import { publicPageHeaders } from "#app/http/cache-headers";
import { redirectToTidyQuery } from "#app/http/tidy-query";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { LiveRegion } from "#app/components/LiveRegion";
import { concernsSearch, describeResults } from "#app/components/live-announcements";
import { useLiveSearch } from "#app/components/use-live-search";
import { useLiveUpdates } from "#app/components/use-live-updates";
import { CLINICIAN_SORTS, SORT_FOR_ENGINE, STATUS_PARAMS } from "#app/search-params/choices";
import { clinicianSearchHref } from "#app/search-params/clinician-links";
import { clinicianSearchView } from "#app/views/clinician-search.server";

export const meta: MetaFunction = ({ location }) => [
  { title: translator(langFromSearch(location.search)).t("clinician.search.metaTitle") },
];

export const headers = publicPageHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  redirectToTidyQuery(request);
  return clinicianSearchView(new URL(request.url), new Date());
}

export default function ClinicianSearch() {
  const view = useLoaderData<typeof loader>();
  const translate = useTranslator();
  const { t, href, lang } = translate;
  const { params, problems, options } = view;
  const announcement = useLiveUpdates({
    data: view,
    relevant: (event) => concernsSearch(event, new Set(view.rows.map((r) => r.id)), view.params.helseforetak ?? null),
    describe: (before, after) => describeResults(translate, rowsOf(before), rowsOf(after)),
  });
  // Only the tidy submit: a doctor sets several filters, then asks for the list.
  const { formRef, onSubmit } = useLiveSearch();
  const field = (name: string, hint?: string) => fieldProblem(problems, name, hint);
  const q = field("q");
  const icd10 = field("icd10", "icd10-hint");
  const org = field("helseforetak");
  const region = field("region");
  const phase = field("fase");
  const type = field("type");
  const status = field("status");
  const age = field("alder");
  const sex = field("kjonn");
  const sort = field("sortering");
  const sortedByClosing = view.sort === "stenger";

  return (
    <>
      <h1>{t("clinician.search.title")}</h1>
      <p className="lead">{t("clinician.search.lead")}</p>
      <ProblemSummary problems={problems} />
      <Form
        method="get"
        action="/helsepersonell"
        className="clinician-filters"
        aria-label={t("clinician.search.form")}
        ref={formRef}
        onSubmit={onSubmit}
      >
        {lang !== "nb" ? <input type="hidden" name="lang" value={lang} /> : null}
        <fieldset>
          <legend>{t("clinician.filter.study")}</legend>
          <div className="field-grid dense">
            <Field
              id="icd10"
              label={t("clinician.filter.icd10")}
              hint={t("clinician.filter.icd10.hint")}
              {...icd10.fieldProps}
            >
              <input
                id="icd10"
                name="icd10"
                type="text"
                list="icd10-liste"
                autoComplete="off"
                defaultValue={params.icd10}
                {...icd10.inputProps}
              />
              <datalist id="icd10-liste">
                {options.icd10.map((c) => (
                  <option key={c.code} value={`${c.code} ${c.name}`} />
                ))}
              </datalist>
            </Field>
            <Field id="q" label={t("clinician.filter.q")} {...q.fieldProps}>
              <input id="q" name="q" type="search" defaultValue={params.q} {...q.inputProps} />
            </Field>
            <StatusFilter
              t={t}
              label={t("clinician.filter.status")}
              value={params.status}
              problem={status}
              statuses={STATUS_PARAMS}
              defaultStatus="apen"
            />
            <Field id="helseforetak" label={t("clinician.filter.organisation")} {...org.fieldProps}>
              <select
                id="helseforetak"
                name="helseforetak"
                defaultValue={params.helseforetak ?? ""}
                {...org.inputProps}
              >
                <option value="">{t("clinician.filter.organisation.all")}</option>
                {options.organisationGroups.map((g) => (
                  <optgroup key={g.regionId} label={g.regionName}>
                    {g.organisations.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </Field>
            <RegionFilter t={t} value={params.region} problem={region} regions={options.regions} />
            <SelectField
              id="fase"
              label={t("clinician.filter.phase")}
              {...phase.fieldProps}
              control={{ name: "fase", defaultValue: params.fase ?? "", ...phase.inputProps }}
              options={[
                { value: "", label: t("clinician.filter.phase.all") },
                ...options.phases.map((p) => ({ value: p.id, label: p.name })),
              ]}
            />
            <SelectField
              id="type"
              label={t("clinician.filter.type")}
              {...type.fieldProps}
              control={{ name: "type", defaultValue: params.type ?? "", ...type.inputProps }}
              options={[
                { value: "", label: t("clinician.filter.type.all") },
                ...options.types.map((p) => ({ value: p.id, label: p.name })),
              ]}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("clinician.filter.patient")}</legend>
          <div className="field-grid dense">
            <Field id="alder" label={t("clinician.filter.age")} {...age.fieldProps}>
              <input
                id="alder"
                name="alder"
                type="text"
                inputMode="numeric"
                size={4}
                defaultValue={params.alder ?? ""}
                {...age.inputProps}
              />
            </Field>
            <SexFilter t={t} label={t("clinician.filter.sex")} value={params.kjonn} problem={sex} />
            <SelectField
              id="sortering"
              label={t("clinician.filter.sort")}
              {...sort.fieldProps}
              control={{
                name: "sortering",
                defaultValue: view.sort,
                "data-default": params.q ? "relevans" : "stenger",
                ...sort.inputProps,
              }}
              options={CLINICIAN_SORTS.map((s) => ({ value: s, label: t(`clinician.sort.${SORT_FOR_ENGINE[s]}`) }))}
            />
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit">{t("clinician.filter.submit")}</button>
          <Link to={href("/helsepersonell")}>{t("clinician.filter.reset")}</Link>
        </div>
      </Form>
      {view.notes.map((n) => (
        <p key={n} className="notice">
          {n}
        </p>
      ))}
      {view.icd10Codes.length ? (
        <p className="muted">{t("clinician.icd10.matched", { codes: view.icd10Codes.join(", ") })}</p>
      ) : null}

      {view.rows.length === 0 ? <p className="notice">{t("clinician.zero")}</p> : null}
      {view.widen?.length ? (
        <div className="zero-results">
          <h2>{t("clinician.zero.widen")}</h2>
          <ul className="widen">
            {view.widen.map((w) => (
              <li key={w.href}>
                <Link to={w.href}>
                  {w.label} {t("patient.widen.hits", { count: translate.plural("count.studies", w.count) })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="studietabell-tittel">
        <table className="dense-table">
          <caption id="studietabell-tittel">{view.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("clinician.col.study")}</th>
              <th scope="col">{t("clinician.col.icd10")}</th>
              <th scope="col">{t("clinician.col.phase")}</th>
              <th scope="col">{t("clinician.col.status")}</th>
              <th scope="col">{t("clinician.col.openSites")}</th>
              <th scope="col" aria-sort={sortedByClosing ? "ascending" : undefined}>
                {sortedByClosing ? (
                  t("clinician.col.until")
                ) : (
                  <Link to={clinicianSearchHref({ ...params, sortering: "stenger", side: 1 }, lang)}>
                    {t("clinician.col.until")}
                  </Link>
                )}
              </th>
              <th scope="col">{t("clinician.col.lead")}</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link to={href(`/helsepersonell/studier/${row.id}${view.checkQuery}`)}>
                    <LocalizedText value={row.title} />
                  </Link>
                  {row.isDemo ? <DemoBadge /> : null}
                </td>
                <td data-label={t("clinician.col.icd10")}>{row.icd10.join(", ") || "–"}</td>
                <td data-label={t("clinician.col.phase")}>{row.typeAndPhase}</td>
                <td data-label={t("clinician.col.status")}>
                  <StatusBadge status={row.status} text={row.statusText} />
                </td>
                <td data-label={t("clinician.col.openSites")}>{row.openSites}</td>
                <td data-label={t("clinician.col.until")}>{row.until}</td>
                <td data-label={t("clinician.col.lead")}>{row.lead}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={view.page} pages={view.pages} previousHref={view.previousHref} nextHref={view.nextHref} />
      <LiveRegion message={announcement} />
    </>
  );
}

const rowsOf = (view: { rows: { id: number }[] }) => ({ ids: view.rows.map((r) => r.id), json: JSON.stringify(view) });

export function ErrorBoundary() {
  return (
    <ErrorPage
      texts={{
        notFoundTitle: "error.notFound.title",
        notFoundText: "error.notFound.text",
        title: "error.search.title",
        text: "error.search.text",
        link: { to: "/helsepersonell", label: "error.study.toSearch" },
      }}
    />
  );
}
