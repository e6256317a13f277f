/**
 * The content of the two public study pages (patient and clinician), from their view builders
 * (app/views/study-page.server.ts). The public routes render it, and so does the editor's review
 * page as a preview of a pending revision ("Forhåndsvisning", issue 18 item 4): what the editor
 * approves is what the public will read. In a preview the ids get a prefix (two previews on one
 * page) and the public page's tools (links between the pages, the quick check) are left out.
 */
import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { EligibilityCheck } from "#app/components/EligibilityCheck";
import { HealthyVolunteersText, MoreInfoAtHospital } from "#app/components/StudyFacts";
import { FallbackNote, LocalizedText } from "#app/components/LocalizedText";
import { DemoBadge, StatusBadge } from "#app/components/StatusBadge";
import { useTranslator } from "#app/i18n/use-translator";
import type { ClinicianStudyView, PatientStudyView, StudyPageBase } from "#app/views/study-page-types";

type TitleTag = "h1" | "h2";

/** The patient page's article content (without the page's own links and live region). */
export function PatientStudyContent({
  s,
  idPrefix = "",
  titleAs = "h1",
}: {
  s: SerializeFrom<PatientStudyView>;
  idPrefix?: string;
  titleAs?: TitleTag;
}) {
  const { t } = useTranslator();
  const Title = titleAs;
  // Sites come nearest first when the search carried a postcode.
  const nearest = s.postcode && s.sites[0]?.distanceKm != null ? s.sites[0] : null;
  const nearestContact = nearest?.contact ?? s.contacts[0] ?? null;
  return (
    <>
      <p className="muted">
        {s.type}
        {s.categories.length ? ` · ${s.categories.join(", ")}` : ""}
      </p>
      <Title id={`${idPrefix}studie-tittel`}>
        <LocalizedText value={s.title} />
        {s.isDemo ? <DemoBadge /> : null}
      </Title>
      <DemoAndStatus s={s} />
      <FallbackNote values={[s.title, s.summary, s.participation]} />
      {nearest && !s.withdrawn ? (
        // A phone's first screen: the nearest site, its status and whom to call, before the details.
        <section className="nearest" aria-labelledby={`${idPrefix}naermest-tittel`}>
          <h2 id={`${idPrefix}naermest-tittel`}>{t("patient.study.nearest")}</h2>
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
            <a href={`#${idPrefix}steder-tittel`}>{t("patient.study.allSites")}</a>
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

      <h2 id={`${idPrefix}steder-tittel`}>{t("patient.study.where")}</h2>
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
    </>
  );
}

/**
 * The clinician page's article content. `tools` (the public page only): the links to the patient
 * page, the referral summary and the quick check, and the check itself.
 */
export function ClinicianStudyContent({
  s,
  idPrefix = "",
  titleAs = "h1",
  tools,
}: {
  s: SerializeFrom<ClinicianStudyView>;
  idPrefix?: string;
  titleAs?: TitleTag;
  tools?: { checkAction: string };
}) {
  const { t, href } = useTranslator();
  const Title = titleAs;
  return (
    <>
      <p className="muted">
        {[s.type, s.phase].filter(Boolean).join(", ")}
        {s.categories.length ? ` · ${s.categories.join(", ")}` : ""}
      </p>
      <Title id={`${idPrefix}studie-tittel`}>
        <LocalizedText value={s.title} />
        {s.isDemo ? <DemoBadge /> : null}
      </Title>
      {s.fullTitle ? <LocalizedText as="p" className="lead" value={s.fullTitle} /> : null}
      <DemoAndStatus s={s} />
      <FallbackNote values={[s.title, s.summary, s.scientificSummary]} />
      {tools ? (
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
      ) : null}

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

      {tools ? <EligibilityCheck study={s} action={tools.checkAction} /> : null}

      <h2>{t("clinician.study.sites")}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`${idPrefix}steder-tabell`}>
        <table>
          <caption id={`${idPrefix}steder-tabell`}>{t("clinician.study.sitesCaption")}</caption>
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
    </>
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

/** Under the title on both pages: the demo notice, then "withdrawn" or the study's status. */
function DemoAndStatus({ s }: { s: Pick<StudyPageBase, "isDemo" | "withdrawn" | "status" | "statusText"> }) {
  const { t } = useTranslator();
  return (
    <>
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
    </>
  );
}
