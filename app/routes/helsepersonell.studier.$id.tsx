/**
 * /helsepersonell/studier/:id — everything a doctor needs to refer: full inclusion and exclusion
 * criteria, every site with status, window, local contact and how to refer, registry identifiers
 * (linked), lead investigator, last updated, a referral summary to copy or print on one A4 page,
 * and the quick age/sex check (`?alder=54&kjonn=kvinne`, never stored).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EligibilityCheck } from "~/components/EligibilityCheck";
import { ErrorPage } from "~/components/ErrorPage";
import { HealthyVolunteersText, MoreInfoAtHospital } from "~/components/StudyFacts";
import { LiveRegion } from "~/components/LiveRegion";
import { useStudyPageUpdates } from "~/components/use-live-updates";
import { FallbackNote, LocalizedText } from "~/components/LocalizedText";
import { ReferralSummary } from "~/components/ReferralSummary";
import { DemoBadge, StatusBadge } from "~/components/StatusBadge";
import { publicPageHeaders } from "~/http/cache-headers";
import { langFromSearch } from "~/i18n/languages";
import { translator } from "~/i18n/translate";
import { useTranslator } from "~/i18n/use-translator";
import { clinicianStudyPage } from "~/views/study-page-request.server";

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [
    {
      title: `${data ? data.title.text : t("error.study.notFound.title")} – ${t("site.nav.clinicians")} – ${t("site.titleSuffix")}`,
    },
  ];
};

export const headers = publicPageHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return clinicianStudyPage(request, params.id);
}

export default function ClinicianStudyPage() {
  const s = useLoaderData<typeof loader>();
  const translate = useTranslator();
  const { t, href } = translate;
  const announcement = useStudyPageUpdates(s, translate);
  const path = `/helsepersonell/studier/${s.id}`;
  return (
    <article aria-labelledby="studie-tittel" className="study-page clinician-study print-only-referral">
      <p className="muted">
        {[s.type, s.phase].filter(Boolean).join(", ")}
        {s.categories.length ? ` · ${s.categories.join(", ")}` : ""}
      </p>
      <h1 id="studie-tittel">
        <LocalizedText value={s.title} />
        {s.isDemo ? <DemoBadge /> : null}
      </h1>
      {s.fullTitle ? <LocalizedText as="p" className="lead" value={s.fullTitle} /> : null}
      {s.isDemo ? <p className="notice notice-warning">{t("demo.notice")}</p> : null}
      {s.withdrawn ? (
        <p className="notice notice-warning">
          {s.withdrawn.date
            ? t("patient.study.withdrawn", { date: s.withdrawn.date })
            : t("patient.study.withdrawnNoDate")}
        </p>
      ) : (
        <p>
          <StatusBadge status={s.status} text={s.statusText} />
        </p>
      )}
      <FallbackNote values={[s.title, s.summary, s.scientificSummary]} />
      <ul className="page-links">
        <li>
          <Link to={href(`/pasient/studier/${s.id}`)}>{t("clinician.study.patientLink")}</Link>
        </li>
        <li>
          <a href="#henvisning">{t("referral.title")}</a>
        </li>
        <li>
          <a href="#sjekk">{t("check.title")}</a>
        </li>
      </ul>

      {s.scientificSummary || s.summary ? (
        <>
          <h2>{t(s.scientificSummary ? "clinician.study.scientific" : "clinician.study.summary")}</h2>
          <LocalizedText as="p" value={(s.scientificSummary ?? s.summary)!} />
        </>
      ) : s.moreInfoAtHospital ? (
        <MoreInfoAtHospital link={s.moreInfoAtHospital.link} />
      ) : null}

      <h2>{t("clinician.study.criteria")}</h2>
      <dl className="meta">
        <dt>{t("patient.study.age")}</dt>
        <dd>{s.age}</dd>
        <dt>{t("patient.study.sex")}</dt>
        <dd>{s.sex}</dd>
        <dt>{t("patient.study.healthy")}</dt>
        <dd>
          <HealthyVolunteersText value={s.healthyVolunteers} />
        </dd>
      </dl>
      <h3>{t("clinician.study.inclusion")}</h3>
      {s.inclusion ? (
        <ul lang={s.inclusion.lang}>
          {s.inclusion.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      ) : (
        <p>{t("clinician.study.notGiven")}</p>
      )}
      <h3>{t("clinician.study.exclusion")}</h3>
      {s.exclusion ? (
        <ul lang={s.exclusion.lang}>
          {s.exclusion.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      ) : (
        <p>{t("clinician.study.notGiven")}</p>
      )}

      <EligibilityCheck study={s} action={path} />

      <h2>{t("clinician.study.sites")}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="steder-tabell">
        <table>
          <caption id="steder-tabell">{t("clinician.study.sitesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("clinician.study.col.site")}</th>
              <th scope="col">{t("clinician.study.col.status")}</th>
              <th scope="col">{t("clinician.study.col.window")}</th>
              <th scope="col">{t("clinician.study.col.contact")}</th>
              <th scope="col">{t("clinician.study.col.referral")}</th>
            </tr>
          </thead>
          <tbody>
            {s.sites.map((site) => (
              <tr key={site.id}>
                <th scope="row">
                  {site.name}
                  <div className="muted">
                    {[site.organisation, site.region, site.placeNote].filter(Boolean).join(", ")}
                  </div>
                </th>
                <td>
                  <StatusBadge status={site.status} text={site.statusText} />
                  {site.pauseReason ? (
                    <div className="muted">{t("patient.study.pauseReason", { reason: site.pauseReason })}</div>
                  ) : null}
                </td>
                <td>
                  {site.window}
                  {site.confirmedText ? <div className="muted">{site.confirmedText}</div> : null}
                </td>
                <td>
                  {site.contact ? (
                    <>
                      {site.contact.name}
                      {site.contact.phone ? <div>{site.contact.phone}</div> : null}
                      {site.contact.email ? (
                        <div>
                          <a href={`mailto:${site.contact.email}`}>{site.contact.email}</a>
                        </div>
                      ) : null}
                    </>
                  ) : (
                    "–"
                  )}
                  {site.moreContacts.map((c, i) => (
                    <div key={i}>{[c.name, c.phone, c.email].filter(Boolean).join(", ")}</div>
                  ))}
                </td>
                <td lang={site.referral ? "nb" : undefined}>{site.referral ?? t("clinician.study.noReferral")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("clinician.study.facts")}</h2>
      <dl className="meta">
        <dt>{t("clinician.study.identifiers")}</dt>
        <dd>
          <ul className="plain-list">
            {s.identifiers.map((id) => (
              <li key={`${id.label} ${id.value}`}>
                {id.label}:{" "}
                {id.url ? (
                  <a href={id.url} rel="noreferrer">
                    {id.value}
                  </a>
                ) : (
                  <>
                    {id.value} {s.isDemo ? <span className="muted">{t("clinician.study.demoLink")}</span> : null}
                  </>
                )}
              </li>
            ))}
          </ul>
        </dd>
        {s.officialTitle ? (
          <>
            <dt>{t("clinician.study.officialTitle")}</dt>
            <dd lang="en">{s.officialTitle}</dd>
          </>
        ) : null}
        {s.keywords.length ? (
          <>
            <dt>{t("clinician.study.keywords")}</dt>
            <dd lang="en">{s.keywords.join(", ")}</dd>
          </>
        ) : null}
        <dt>{t("clinician.study.lead")}</dt>
        <dd>{s.lead}</dd>
        <dt>{t("clinician.study.owner")}</dt>
        <dd>
          {s.owner} ({s.region})
        </dd>
        {s.pi ? (
          <>
            <dt>{t("clinician.study.pi")}</dt>
            <dd>{s.pi}</dd>
          </>
        ) : null}
        {s.sponsor ? (
          <>
            <dt>{t("clinician.study.sponsor")}</dt>
            <dd>{s.sponsor}</dd>
          </>
        ) : null}
        {s.icd10.length ? (
          <>
            <dt>{t("clinician.study.icd10")}</dt>
            <dd>{s.icd10.map((c) => (c.name ? `${c.code} ${c.name}` : c.code)).join("; ")}</dd>
          </>
        ) : null}
        {s.interventions.length ? (
          <>
            <dt>{t("clinician.study.interventions")}</dt>
            <dd lang="nb">{s.interventions.join("; ")}</dd>
          </>
        ) : null}
        {s.targetEnrolment != null ? (
          <>
            <dt>{t("clinician.study.target")}</dt>
            <dd>{s.targetEnrolment}</dd>
          </>
        ) : null}
        <dt>{t("clinician.study.updated")}</dt>
        <dd>{t("clinician.study.version", { date: s.updated, version: s.version })}</dd>
      </dl>
      {s.contacts.length ? (
        <>
          <h2>{t("clinician.study.contacts")}</h2>
          <ul>
            {s.contacts.map((c, i) => (
              <li key={i}>
                {c.name}
                {c.phone ? `, ${c.phone}` : ""}
                {c.email ? (
                  <>
                    , <a href={`mailto:${c.email}`}>{c.email}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <ReferralSummary text={s.referralText} downloadHref={href(`${path}/henvisning.txt`)} />
      <p className="no-print">
        <Link to={href("/helsepersonell")}>{t("patient.study.back")}</Link>
      </p>
      <LiveRegion message={announcement} />
    </article>
  );
}

export function ErrorBoundary() {
  return (
    <ErrorPage
      texts={{
        notFoundTitle: "error.study.notFound.title",
        notFoundText: "error.study.notFound.text",
        title: "error.study.generic.title",
        text: "error.study.generic.text",
        link: { to: "/helsepersonell", label: "error.study.toSearch" },
      }}
    />
  );
}
