import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { DemoBadge, StatusBadge } from "~/components/StatusBadge";
import { getDb } from "~/db.server";
import { siteStatus } from "~/domain/inclusion-status";
import { ageRangeText, PHASE_LABEL, SEX_LABEL, STUDY_TYPE_LABEL } from "~/domain/labels";
import { formatCalendarDate, formatInstant, siteStatusText, studyStatusText } from "~/domain/status-text";
import { getStudy } from "~/models/study.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Kliniske studier` : "Studien finnes ikke – Kliniske studier" },
];

const PUBLIC_STATES = new Set(["published", "withdrawn"]);

export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!/^\d{1,12}$/.test(params.id ?? "") || !Number.isSafeInteger(id)) throw new Response("Not found", { status: 404 });
  const study = getStudy(getDb(), id);
  // Drafts and studies awaiting approval are not public.
  if (!study || !PUBLIC_STATES.has(study.publicationState)) throw new Response("Not found", { status: 404 });
  const now = new Date();
  const activeSites = study.sites.filter((s) => !s.withdrawn);
  const overall = studyStatusText(activeSites, now);
  return {
    id: study.id,
    title: study.title.nb,
    shortTitle: study.shortTitle.nb ?? null,
    titleEn: study.title.en ?? null,
    summary: study.summary.nb,
    participation: study.participation.nb ?? null,
    scientificSummary: study.scientificSummary.nb ?? null,
    inclusionCriteria: study.eligibility.inclusionCriteria.nb ?? null,
    exclusionCriteria: study.eligibility.exclusionCriteria.nb ?? null,
    withdrawn: study.publicationState === "withdrawn",
    isDemo: study.isDemo,
    status: overall.status,
    statusText: overall.text,
    type: STUDY_TYPE_LABEL[study.studyType],
    phase: study.phase ? PHASE_LABEL[study.phase] : null,
    age: ageRangeText(study.eligibility.minAgeYears, study.eligibility.maxAgeYears),
    sex: SEX_LABEL[study.eligibility.sex],
    healthyVolunteers: study.eligibility.healthyVolunteers,
    categories: study.categories.map((c) => study.categoryNames[c] ?? c),
    conditions: study.conditions,
    icd10: study.icd10.map((code) => ({ code, name: study.icd10Names[code] ?? null })),
    interventions: study.interventions,
    identifiers: study.identifiers,
    lead: study.leadOrganisation.name,
    region: study.leadOrganisation.regionName,
    sponsor: study.sponsor,
    pi: study.principalInvestigator,
    contacts: study.contacts,
    links: study.links,
    targetEnrolment: study.targetEnrolment,
    updated: formatInstant(study.updatedAt),
    version: study.currentVersion,
    sites: activeSites.map((s) => ({
      id: s.id,
      organisation: s.organisationName,
      hospital: s.hospitalName,
      municipality: s.municipality,
      status: siteStatus(s, now),
      statusText: siteStatusText(s, now),
      window: `${s.inclusionStart ? formatCalendarDate(s.inclusionStart) : "ikke satt"} – ${
        s.inclusionEnd ? formatCalendarDate(s.inclusionEnd) : "ingen sluttdato"
      }`,
      pauseReason: s.paused ? s.pauseReason : null,
      contact: s.contact,
      referral: s.referral,
    })),
  };
}

export default function StudyPage() {
  const s = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="studie-tittel">
      <p className="muted">
        {s.type}
        {s.phase ? `, ${s.phase}` : ""} · {s.categories.join(", ")}
      </p>
      <h1 id="studie-tittel">
        {s.title}
        {s.isDemo ? <DemoBadge /> : null}
      </h1>
      {s.shortTitle && s.shortTitle !== s.title ? <p className="lead">{s.shortTitle}</p> : null}
      {s.isDemo ? (
        <p className="notice notice-warning">Dette er en fiktiv demostudie. Den finnes ikke, og du kan ikke delta.</p>
      ) : null}
      {s.withdrawn ? (
        <p className="notice notice-warning">Studien er trukket tilbake og tar ikke inn deltakere.</p>
      ) : null}
      <p>
        <StatusBadge status={s.status} text={s.statusText} />
      </p>

      <h2>Om studien</h2>
      <p>{s.summary}</p>
      <p className="notice">Snakk med legen din før du melder interesse. Legen kan vurdere om studien passer for deg og henvise deg.</p>

      <h2>Hvem kan delta</h2>
      <dl className="meta">
        <dt>Alder</dt>
        <dd>{s.age}</dd>
        <dt>Kjønn</dt>
        <dd>{s.sex}</dd>
        <dt>Friske frivillige</dt>
        <dd>{s.healthyVolunteers ? "Ja, også friske kan delta" : "Nei"}</dd>
        {s.conditions.length ? (
          <>
            <dt>Tilstand</dt>
            <dd>{s.conditions.join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {s.inclusionCriteria ? (
        <>
          <h3>Inklusjonskriterier</h3>
          <p className="criteria">{s.inclusionCriteria}</p>
        </>
      ) : null}
      {s.exclusionCriteria ? (
        <>
          <h3>Eksklusjonskriterier</h3>
          <p className="criteria">{s.exclusionCriteria}</p>
        </>
      ) : null}

      {s.participation ? (
        <>
          <h2>Hva innebærer det å delta</h2>
          <p>{s.participation}</p>
        </>
      ) : null}

      <h2>Hvor og når</h2>
      <div className="table-wrap">
        <table>
          <caption>Studiesteder og inklusjonsperiode for hvert sted</caption>
          <thead>
            <tr>
              <th scope="col">Sted</th>
              <th scope="col">Status</th>
              <th scope="col">Inklusjonsperiode</th>
              <th scope="col">Kontakt</th>
            </tr>
          </thead>
          <tbody>
            {s.sites.map((site) => (
              <tr key={site.id}>
                <th scope="row">
                  {site.hospital ?? site.organisation}
                  {site.hospital ? <div className="muted">{site.organisation}</div> : null}
                </th>
                <td>
                  <StatusBadge status={site.status} text={site.statusText} />
                  {site.pauseReason ? <div className="muted">Årsak: {site.pauseReason}</div> : null}
                </td>
                <td>{site.window}</td>
                <td>
                  {site.contact ? (
                    <>
                      {site.contact.name}
                      {site.contact.email ? (
                        <div>
                          <a href={`mailto:${site.contact.email}`}>{site.contact.email}</a>
                        </div>
                      ) : null}
                      {site.contact.phone ? <div>{site.contact.phone}</div> : null}
                    </>
                  ) : (
                    "–"
                  )}
                  {site.referral ? <div className="muted">{site.referral}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {s.contacts.length ? (
        <>
          <h2>Kontakt</h2>
          <ul>
            {s.contacts.map((c, i) => (
              <li key={i}>
                {c.name}
                {c.email ? (
                  <>
                    , <a href={`mailto:${c.email}`}>{c.email}</a>
                  </>
                ) : null}
                {c.phone ? `, ${c.phone}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>For helsepersonell og forskere</h2>
      {s.scientificSummary ? <p>{s.scientificSummary}</p> : null}
      <dl className="meta">
        <dt>Utført av</dt>
        <dd>
          {s.lead} ({s.region})
        </dd>
        {s.pi ? (
          <>
            <dt>Studieansvarlig</dt>
            <dd>
              {s.pi.name}
              {s.pi.title ? `, ${s.pi.title}` : ""}
            </dd>
          </>
        ) : null}
        {s.sponsor ? (
          <>
            <dt>Sponsor</dt>
            <dd>{s.sponsor}</dd>
          </>
        ) : null}
        {s.icd10.length ? (
          <>
            <dt>Diagnoser (ICD-10)</dt>
            <dd>{s.icd10.map((c) => (c.name ? `${c.code} ${c.name}` : c.code)).join("; ")}</dd>
          </>
        ) : null}
        {s.interventions.length ? (
          <>
            <dt>Behandling / tiltak</dt>
            <dd>{s.interventions.map((x) => x.name).join("; ")}</dd>
          </>
        ) : null}
        {s.targetEnrolment != null ? (
          <>
            <dt>Planlagt antall deltakere</dt>
            <dd>{s.targetEnrolment}</dd>
          </>
        ) : null}
        {s.identifiers.rek ? (
          <>
            <dt>REK-nummer</dt>
            <dd>{s.identifiers.rek}</dd>
          </>
        ) : null}
        {s.identifiers.nct ? (
          <>
            <dt>ClinicalTrials.gov</dt>
            <dd>
              {s.isDemo ? s.identifiers.nct : <a href={`https://clinicaltrials.gov/study/${s.identifiers.nct}`}>{s.identifiers.nct}</a>}
            </dd>
          </>
        ) : null}
        {s.identifiers.euCt ? (
          <>
            <dt>EU CT-nummer</dt>
            <dd>
              {s.isDemo ? (
                s.identifiers.euCt
              ) : (
                <a href={`https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=${s.identifiers.euCt}`}>{s.identifiers.euCt}</a>
              )}
            </dd>
          </>
        ) : null}
        <dt>Sist oppdatert</dt>
        <dd>
          {s.updated} (versjon {s.version})
        </dd>
      </dl>
      {s.links.length ? (
        <ul>
          {s.links.map((l, i) => (
            <li key={i}>
              <a href={l.url}>{l.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to="/pasient">Tilbake til studiene</Link>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section aria-labelledby="feil-tittel">
      <h1 id="feil-tittel">{notFound ? "Studien finnes ikke" : "Studien kan ikke vises akkurat nå"}</h1>
      <p>
        {notFound
          ? "Vi fant ingen publisert studie med denne adressen. Den kan være et utkast som ennå ikke er godkjent, eller adressen kan være feil."
          : "Noe gikk galt da vi hentet studien. Prøv igjen om litt."}
      </p>
      <p>
        <Link to="/pasient">Se alle studier som er åpne nå</Link>
      </p>
    </section>
  );
}
