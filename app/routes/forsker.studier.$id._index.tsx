/**
 * /forsker/studier/:id — one study for its researchers: status, what is missing, warnings, the
 * inclusion dates of each of their sites (the most common change: two fields and a button),
 * submit for approval (a draft, or a published study's pending revision), the editors' comments;
 * sites proposed for the user's organisation (accept or decline) and withdrawing an own site.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { canAnswerForSite, canEditSiteDates, canEditStudy } from "#app/auth/policy";
import { formText, guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { isCalendarDate } from "#app/domain/calendar-date";
import {
  acceptSite,
  confirmSite,
  declineSite,
  getStudyFor,
  openRevisionFor,
  submitStudy,
  updateSiteDates,
  withdrawSite,
} from "#app/models/study-work.server";
import { listStudyReviews } from "#app/models/user.server";
import { formatInstant, studyOverview } from "#app/views/researcher.server";
import { CsrfField, ProblemList, SignedInBar } from "#app/components/SignedIn";
import { FormField } from "#app/components/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.study.title ?? "Studie"} – Mine studier – Kliniske studier` },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const db = getDb();
  const record = guarded(() => getStudyFor(db, page.user, id));
  const study = studyOverview(record, new Date());
  const revision = openRevisionFor(db, page.user, id);
  const url = new URL(request.url);
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      study,
      canEdit: canEditStudy(page.user, record),
      editableSites: study.sites.filter((s) => canEditSiteDates(page.user, s)).map((s) => s.key),
      ownSites: study.sites.filter((s) => canAnswerForSite(page.user, s)).map((s) => s.key),
      answerable: study.pendingSites.filter((s) => canAnswerForSite(page.user, s)).map((s) => s.key),
      revision: revision
        ? {
            revision: revision.revision,
            state: revision.state,
            createdAt: formatInstant(revision.createdAt),
            by: revision.actorName,
          }
        : null,
      revisionSaved: url.searchParams.get("endring"),
      answered: url.searchParams.get("svar"),
      reviews: listStudyReviews(db, id).map((r) => ({ ...r, createdAt: formatInstant(r.createdAt) })),
      saved: url.searchParams.get("lagret"),
      confirmed: url.searchParams.get("bekreftet"),
    },
    { headers: page.headers },
  );
}

type ActionData = {
  site?: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  problems?: { field: string; message: string }[];
};

const dateOrNull = (value: string, label: string, errors: Record<string, string>, key: string) => {
  if (!value) return null;
  if (!isCalendarDate(value)) errors[key] = `${label} må være en dato (åååå-mm-dd), ikke «${value}».`;
  return value;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const db = getDb();
  const intent = formText(form, "intent");
  if (intent === "dates") {
    const site = formText(form, "site");
    const values = { inclusionStart: formText(form, "inclusionStart"), inclusionEnd: formText(form, "inclusionEnd") };
    const errors: Record<string, string> = {};
    const inclusionStart = dateOrNull(values.inclusionStart, "Inklusjonsstart", errors, "inclusionStart");
    const inclusionEnd = dateOrNull(values.inclusionEnd, "Inklusjonsslutt", errors, "inclusionEnd");
    if (Object.keys(errors).length) return json<ActionData>({ site, values, errors }, { status: 400 });
    const result = guarded(() => updateSiteDates(db, user, id, site, { inclusionStart, inclusionEnd }));
    if (!result.ok) {
      const fieldErrors = Object.fromEntries(result.problems.map((p) => [p.field, p.message]));
      return json<ActionData>({ site, values, errors: fieldErrors, problems: result.problems }, { status: 400 });
    }
    return redirect(`/forsker/studier/${id}?lagret=${result.changed ? result.version : "ingen"}`);
  }
  if (intent === "confirm-site") {
    // One click: the dates stand as they are. A history entry, no new version (ADR 0019).
    const site = formText(form, "site");
    guarded(() => confirmSite(db, user, id, site));
    return redirect(`/forsker/studier/${id}?bekreftet=${encodeURIComponent(site)}`);
  }
  if (intent === "submit") {
    const result = guarded(() => submitStudy(db, user, id));
    if (!result.ok) return json<ActionData>({ problems: result.problems }, { status: 400 });
    if (result.revision) return redirect(`/forsker/studier/${id}?endring=${result.revision}`);
    return redirect(`/forsker/studier/${id}?lagret=${result.version}`);
  }
  if (intent === "accept-site" || intent === "decline-site" || intent === "withdraw-site") {
    const site = formText(form, "site");
    const result = guarded(() =>
      intent === "accept-site"
        ? acceptSite(db, user, id, site)
        : intent === "decline-site"
          ? declineSite(db, user, id, site)
          : withdrawSite(db, user, id, site),
    );
    if (!result.ok) return json<ActionData>({ problems: result.problems }, { status: 400 });
    const answer = { "accept-site": "godtatt", "decline-site": "avslatt", "withdraw-site": "trukket" }[intent];
    return redirect(`/forsker/studier/${id}?svar=${answer}`);
  }
  throw new Response(`Ukjent handling «${intent}»`, { status: 400 });
}

const ANSWERED: Record<string, string> = {
  godtatt: "Studiestedet er godtatt og er nå en del av studien.",
  avslatt: "Studiestedet er avslått og vises ikke.",
  trukket: "Studiestedet er trukket fra studien.",
};

export default function ResearcherStudy() {
  const {
    user,
    csrf,
    study,
    canEdit,
    editableSites,
    ownSites,
    answerable,
    revision,
    revisionSaved,
    answered,
    reviews,
    saved,
    confirmed,
  } = useLoaderData<typeof loader>();
  const confirmedSite = confirmed ? study.sites.find((s) => s.key === confirmed) : undefined;
  const data = useActionData<typeof action>() as ActionData | undefined;
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to="/forsker/studier">← Mine studier</Link>
      </p>
      <h1>{study.title}</h1>
      <p>
        {study.stateLabel} · {study.statusLabel} · utført av {study.leadOrganisation} · versjon {study.version} ·{" "}
        <Link to={`/forsker/studier/${study.id}/historikk`}>Historikk</Link>
        {canEdit ? (
          <>
            {" · "}
            <Link to={`/forsker/studier/${study.id}/rediger`}>Rediger studien</Link>
          </>
        ) : null}
      </p>
      {saved ? (
        <p className="notice" role="status">
          {saved === "ingen" ? "Ingen endringer å lagre." : `Lagret som versjon ${saved}.`}
        </p>
      ) : null}
      {confirmedSite ? (
        <p className="notice" role="status">
          {`Datoene for ${confirmedSite.name} er bekreftet. ${confirmedSite.confirmedText}.`}
        </p>
      ) : null}
      {revisionSaved ? (
        <p className="notice" role="status">
          {`Endringene er lagret som endring ${revisionSaved}. Den publiserte studien er uendret til redaksjonen har godkjent dem.`}
        </p>
      ) : null}
      {answered && ANSWERED[answered] ? (
        <p className="notice" role="status">
          {ANSWERED[answered]}
        </p>
      ) : null}
      {data?.problems && !data.site ? <ProblemList problems={data.problems} /> : null}
      {revision ? (
        <section aria-labelledby="endring">
          <h2 id="endring">
            {revision.state === "submitted"
              ? `Endring ${revision.revision} venter på godkjenning`
              : `Endring ${revision.revision} er ikke sendt til godkjenning`}
          </h2>
          <p>
            {`Lagret ${revision.createdAt} av ${revision.by}. `}
            Publikum ser den publiserte versjonen {study.version} til redaksjonen har godkjent endringene.
          </p>
          {canEdit && revision.state === "draft" ? (
            <Form method="post">
              <CsrfField token={csrf} />
              <input type="hidden" name="intent" value="submit" />
              <button type="submit">Send endringene til godkjenning</button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {study.pendingSites.length ? (
        <section aria-labelledby="venter-svar">
          <h2 id="venter-svar">Studiesteder som venter på svar</h2>
          <p>Et studiested ved en annen organisasjon vises ikke offentlig før den organisasjonen har godtatt det.</p>
          <ul>
            {study.pendingSites.map((site) => (
              <li key={site.key}>
                {site.name}: {site.window}
                {answerable.includes(site.key) ? (
                  <Form method="post" className="inline-form" aria-label={`Svar for ${site.name}`}>
                    <CsrfField token={csrf} />
                    <input type="hidden" name="site" value={site.key} />
                    <button type="submit" name="intent" value="accept-site">
                      Godta studiestedet {site.name}
                    </button>{" "}
                    <button type="submit" name="intent" value="decline-site">
                      Avslå studiestedet {site.name}
                    </button>
                  </Form>
                ) : (
                  " (venter på svar fra organisasjonen)"
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {study.missing.length ? (
        <section aria-labelledby="mangler">
          <h2 id="mangler">Mangler før publisering</h2>
          <ul>
            {study.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {study.warnings.length ? (
        <section aria-labelledby="advarsler">
          <h2 id="advarsler">Advarsler</h2>
          <ul className="warning-list">
            {study.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="steder">
        <h2 id="steder">Studiesteder og inklusjonsperiode</h2>
        {study.sites.map((site, index) => {
          const mine = editableSites.includes(site.key);
          const errors = data?.site === site.key ? (data.errors ?? {}) : {};
          const values = data?.site === site.key ? (data.values ?? {}) : {};
          const fid = `sted-${index}`;
          return (
            <div key={site.key} className="site-form" id={`sted-${site.key}`}>
              <h3>{site.name}</h3>
              <p>
                {site.statusText}
                {site.paused && site.pauseReason ? ` (${site.pauseReason})` : ""}
              </p>
              <p>
                {site.confirmedText}
                {site.confirmedBy ? ` av ${site.confirmedBy}` : ""}
                {site.needsConfirmation ? " – bekreft at datoene fortsatt stemmer." : ""}
              </p>
              {mine ? (
                <Form method="post" aria-label={`Bekreft datoene for ${site.name}`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="confirm-site" />
                  <input type="hidden" name="site" value={site.key} />
                  <button type="submit">Bekreft at datoene for {site.name} stemmer</button>
                </Form>
              ) : null}
              {mine ? (
                <Form method="post" noValidate aria-label={`Inklusjonsperiode for ${site.name}`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="dates" />
                  <input type="hidden" name="site" value={site.key} />
                  <fieldset>
                    <legend className="visually-hidden">Inklusjonsperiode for {site.name}</legend>
                    <FormField
                      field={{
                        id: `${fid}-start`,
                        descriptionId: `${fid}-start-hjelp`,
                        errorId: `${fid}-start-feil`,
                        errors: errors.inclusionStart ? [errors.inclusionStart] : undefined,
                      }}
                      label="Inklusjonsstart"
                    >
                      <input
                        id={`${fid}-start`}
                        name="inclusionStart"
                        type="date"
                        defaultValue={values.inclusionStart ?? site.inclusionStart ?? ""}
                        aria-invalid={errors.inclusionStart ? true : undefined}
                        aria-describedby={errors.inclusionStart ? `${fid}-start-feil` : undefined}
                      />
                    </FormField>
                    <FormField
                      field={{
                        id: `${fid}-end`,
                        descriptionId: `${fid}-end-hjelp`,
                        errorId: `${fid}-end-feil`,
                        errors: errors.inclusionEnd ? [errors.inclusionEnd] : undefined,
                      }}
                      label="Inklusjonsslutt"
                    >
                      <input
                        id={`${fid}-end`}
                        name="inclusionEnd"
                        type="date"
                        defaultValue={values.inclusionEnd ?? site.inclusionEnd ?? ""}
                        aria-invalid={errors.inclusionEnd ? true : undefined}
                        aria-describedby={errors.inclusionEnd ? `${fid}-end-feil` : undefined}
                      />
                    </FormField>
                  </fieldset>
                  <p>
                    <button type="submit">Lagre datoer for {site.name}</button>
                  </p>
                </Form>
              ) : (
                <p>
                  {site.window} (datoene eies av {site.organisationName})
                </p>
              )}
              {ownSites.includes(site.key) ? (
                <Form method="post" aria-label={`Trekk ${site.name} fra studien`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="withdraw-site" />
                  <input type="hidden" name="site" value={site.key} />
                  <button type="submit">Trekk {site.name} fra studien</button>
                </Form>
              ) : null}
            </div>
          );
        })}
      </section>
      {canEdit && study.state === "draft" ? (
        <Form method="post">
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="submit" />
          <button type="submit">Send til godkjenning</button>
        </Form>
      ) : null}
      {reviews.length ? (
        <section aria-labelledby="vurderinger">
          <h2 id="vurderinger">Fra redaksjonen</h2>
          <ul>
            {reviews.map((r) => (
              <li key={r.id}>
                {r.createdAt}, {r.userName}: {r.decision === "approved" ? "godkjent" : "sendt tilbake"} (
                {r.revision ? `endring ${r.revision}, ` : ""}versjon {r.version}){r.comment ? ` – «${r.comment}»` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
