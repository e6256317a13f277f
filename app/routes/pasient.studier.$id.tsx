/**
 * /pasient/studier/:id — a study for patients and relatives, in plain language: what it is about,
 * who can take part, what taking part means, where and until when (each site with its own
 * window, nearest first when a postcode came along from the search), whom to contact, and the
 * fixed advice to talk to their doctor. A missing or unpublished study is a real 404.
 * A light page (issue 24, app/light/): not hydrated; its small script (app/light/patient-page.ts)
 * replaces the article when the study changes and says so in the live region.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/ErrorPage";
import { HealthyVolunteersText, MoreInfoAtHospital } from "~/components/StudyFacts";
import { LiveRegion, STUDY_LIVE_TEXTS } from "~/components/LiveRegion";
import { FallbackNote, LocalizedText } from "~/components/LocalizedText";
import { DemoBadge, StatusBadge } from "~/components/StatusBadge";
import { publicPageHeaders } from "~/http/cache-headers";
import { langFromSearch } from "~/i18n/languages";
import { translator } from "~/i18n/translate";
import { LIGHT_PAGE_WITH_SCRIPT } from "~/light/pages";
import { useTranslator } from "~/i18n/use-translator";
import { patientStudyPage } from "~/views/study-page-request.server";

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${data ? data.title.text : t("error.study.notFound.title")} – ${t("site.titleSuffix")}` }];
};

export const headers = publicPageHeaders;

export const handle = LIGHT_PAGE_WITH_SCRIPT;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return patientStudyPage(request, params.id);
}

export default function PatientStudyPage() {
  const s = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  // Sites come nearest first when the search carried a postcode.
  const nearest = s.postcode && s.sites[0]?.distanceKm != null ? s.sites[0] : null;
  const nearestContact = nearest?.contact ?? s.contacts[0] ?? null;
  return (
    <article
      aria-labelledby="studie-tittel"
      className="study-page"
      data-live-part="study"
      data-live-study=""
      data-study-id={s.id}
      data-withdrawn={s.withdrawn ? "" : undefined}
    >
      <p className="muted">
        {s.type}
        {s.categories.length ? ` · ${s.categories.join(", ")}` : ""}
      </p>
      <h1 id="studie-tittel">
        <LocalizedText value={s.title} />
        {s.isDemo ? <DemoBadge /> : null}
      </h1>
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
      <FallbackNote values={[s.title, s.summary, s.participation]} />
      {nearest && !s.withdrawn ? (
        // A phone's first screen: the nearest site, its status and whom to call, before the details.
        <section className="nearest" aria-labelledby="naermest-tittel">
          <h2 id="naermest-tittel">{t("patient.study.nearest")}</h2>
          <p>
            <strong>{nearest.name}</strong>
            {nearest.place && !nearest.name.includes(nearest.place) ? `, ${nearest.place}` : ""} –{" "}
            {t("patient.study.distance", { km: nearest.distanceKm!, postcode: s.postcode! })}
          </p>
          <p>
            <StatusBadge status={nearest.status} text={nearest.statusText} />
          </p>
          {nearestContact ? <ContactLine contact={nearestContact} /> : null}
          <p>
            <a href="#steder-tittel">{t("patient.study.allSites")}</a>
          </p>
        </section>
      ) : null}

      <h2>{t("patient.study.about")}</h2>
      {s.summary ? <LocalizedText as="p" value={s.summary} /> : null}
      {s.moreInfoAtHospital ? <MoreInfoAtHospital link={s.moreInfoAtHospital.link} /> : null}
      {s.fullTitle ? (
        <p className="muted">
          {t("patient.study.fullTitle")}: <LocalizedText value={s.fullTitle} />
        </p>
      ) : null}
      <p className="notice">{t("patient.study.talkToDoctor")}</p>

      <h2>{t("patient.study.who")}</h2>
      <dl className="meta">
        <dt>{t("patient.study.age")}</dt>
        <dd>{s.age}</dd>
        <dt>{t("patient.study.sex")}</dt>
        <dd>{s.sex}</dd>
        <dt>{t("patient.study.healthy")}</dt>
        <dd>
          <HealthyVolunteersText value={s.healthyVolunteers} />
        </dd>
        {s.conditions.length ? (
          <>
            <dt>{t("patient.study.conditions")}</dt>
            <dd lang="nb">{s.conditions.join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {s.inclusion ? (
        <>
          <h3>{t("patient.study.mainCriteria")}</h3>
          <ul lang={s.inclusion.lang}>
            {s.inclusion.items.map((item, i) => (
              <li key={i}>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
      {s.exclusion ? (
        <>
          <h3>{t("patient.study.notIf")}</h3>
          <ul lang={s.exclusion.lang}>
            {s.exclusion.items.map((item, i) => (
              <li key={i}>{item}</li>
            ))}
          </ul>
        </>
      ) : null}

      {s.participation ? (
        <>
          <h2>{t("patient.study.participation")}</h2>
          <LocalizedText as="p" value={s.participation} />
        </>
      ) : null}

      <h2 id="steder-tittel">{t("patient.study.where")}</h2>
      <ul className="site-list" aria-label={t("patient.study.sites")}>
        {s.sites.map((site) => (
          <li key={site.id} className="site">
            <h3>{site.name}</h3>
            {site.organisation || site.place || site.placeNote ? (
              <p className="muted">{[site.place, site.organisation, site.placeNote].filter(Boolean).join(" · ")}</p>
            ) : null}
            {s.withdrawn ? null : (
              <p>
                <StatusBadge status={site.status} text={site.statusText} />
              </p>
            )}
            {site.pauseReason ? (
              <p className="muted">{t("patient.study.pauseReason", { reason: site.pauseReason })}</p>
            ) : null}
            <p>
              <span className="muted">{t("patient.study.window")}:</span> {site.window}
            </p>
            {site.confirmedText && !s.withdrawn ? <p className="muted">{site.confirmedText}</p> : null}
            {site.distanceKm != null && s.postcode ? (
              <p>{t("patient.study.distance", { km: site.distanceKm, postcode: s.postcode })}</p>
            ) : null}
            {site.contact ? (
              <ContactLine contact={site.contact} />
            ) : site.status === "open" || site.status === "planned" ? (
              <p className="muted">{t("patient.study.noSiteContact")}</p>
            ) : null}
            {site.moreContacts.map((c, i) => (
              <p key={i}>
                <span className="muted">{t("patient.study.siteContact")}:</span>{" "}
                {[c.name, c.phone, c.email].filter(Boolean).join(", ")}
              </p>
            ))}
          </li>
        ))}
      </ul>

      {s.contacts.length ? (
        <>
          <h2>{t("patient.study.contact")}</h2>
          <ul>
            {s.contacts.map((c, i) => (
              <li key={i}>
                {c.name}
                {c.phone ? (
                  <>
                    , <a href={`tel:${c.phone.replace(/\s+/g, "")}`}>{c.phone}</a>
                  </>
                ) : null}
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
      {s.links.length ? (
        <>
          <h2>{t("patient.study.links")}</h2>
          <ul>
            {s.links.map((l, i) => (
              <li key={i}>
                <a href={l.url} lang="nb">
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <ul className="page-links">
        <li>
          <Link to={href(`/helsepersonell/studier/${s.id}`)}>{t("patient.study.clinicianLink")}</Link>
        </li>
        <li>
          <Link to={s.backHref}>{t("patient.study.back")}</Link>
        </li>
      </ul>
      <LiveRegion message="" texts={STUDY_LIVE_TEXTS} />
    </article>
  );
}

/** A contact with a name and a phone number and e-mail address one tap can use. */
function ContactLine({ contact }: { contact: { name: string; phone: string | null; email: string | null } }) {
  const { t } = useTranslator();
  return (
    <p>
      <span className="muted">{t("patient.study.siteContact")}:</span> {contact.name}
      {contact.phone ? (
        <>
          , <a href={`tel:${contact.phone.replace(/\s+/g, "")}`}>{contact.phone}</a>
        </>
      ) : null}
      {contact.email ? (
        <>
          , <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </>
      ) : null}
    </p>
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
        link: { to: "/pasient", label: "error.study.toSearch" },
      }}
    />
  );
}
