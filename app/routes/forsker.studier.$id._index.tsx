/**
 * /forsker/studier/:id — one study for its researchers: status, what is missing, warnings, the
 * inclusion dates of each of their sites (the most common change: two fields and a button),
 * submit for approval, and the editors' comments.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { canEditSiteDates, canEditStudy } from "~/auth/policy";
import { formText, guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "~/auth/route.server";
import { isCalendarDate } from "~/domain/calendar-date";
import { getStudyFor, submitStudy, updateSiteDates } from "~/models/study-work.server";
import { listStudyReviews } from "~/models/user.server";
import { formatInstant, studyOverview } from "~/views/researcher.server";
import { CsrfField, FieldError, ProblemList, SignedInBar } from "~/components/SignedIn";

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
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      study,
      canEdit: canEditStudy(page.user, record),
      editableSites: study.sites.filter((s) => canEditSiteDates(page.user, s)).map((s) => s.key),
      reviews: listStudyReviews(db, id).map((r) => ({ ...r, createdAt: formatInstant(r.createdAt) })),
      saved: new URL(request.url).searchParams.get("lagret"),
    },
    { headers: page.headers },
  );
}

type ActionData = { site?: string; values?: Record<string, string>; errors?: Record<string, string>; problems?: { field: string; message: string }[] };

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
  if (intent === "submit") {
    const result = guarded(() => submitStudy(db, user, id));
    if (!result.ok) return json<ActionData>({ problems: result.problems }, { status: 400 });
    return redirect(`/forsker/studier/${id}?lagret=${result.version}`);
  }
  throw new Response(`Ukjent handling «${intent}»`, { status: 400 });
}

export default function ResearcherStudy() {
  const { user, csrf, study, canEdit, editableSites, reviews, saved } = useLoaderData<typeof loader>();
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
      {data?.problems && !data.site ? <ProblemList problems={data.problems} /> : null}
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
          const errors = data?.site === site.key ? data.errors ?? {} : {};
          const values = data?.site === site.key ? data.values ?? {} : {};
          const fid = `sted-${index}`;
          return (
            <div key={site.key} className="site-form">
              <h3>{site.name}</h3>
              <p>
                {site.status}
                {site.paused && site.pauseReason ? ` (${site.pauseReason})` : ""}
              </p>
              {mine ? (
                <Form method="post" noValidate aria-label={`Inklusjonsperiode for ${site.name}`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="dates" />
                  <input type="hidden" name="site" value={site.key} />
                  <fieldset>
                    <legend className="visually-hidden">Inklusjonsperiode for {site.name}</legend>
                    <div>
                      <label htmlFor={`${fid}-start`}>Inklusjonsstart</label>
                      <input
                        id={`${fid}-start`}
                        name="inclusionStart"
                        type="date"
                        defaultValue={values.inclusionStart ?? site.inclusionStart ?? ""}
                        aria-invalid={errors.inclusionStart ? true : undefined}
                        aria-describedby={errors.inclusionStart ? `${fid}-start-feil` : undefined}
                      />
                      <FieldError id={`${fid}-start-feil`} message={errors.inclusionStart} />
                    </div>
                    <div>
                      <label htmlFor={`${fid}-end`}>Inklusjonsslutt</label>
                      <input
                        id={`${fid}-end`}
                        name="inclusionEnd"
                        type="date"
                        defaultValue={values.inclusionEnd ?? site.inclusionEnd ?? ""}
                        aria-invalid={errors.inclusionEnd ? true : undefined}
                        aria-describedby={errors.inclusionEnd ? `${fid}-end-feil` : undefined}
                      />
                      <FieldError id={`${fid}-end-feil`} message={errors.inclusionEnd} />
                    </div>
                  </fieldset>
                  <p>
                    <button type="submit">Lagre datoer for {site.name}</button>
                  </p>
                </Form>
              ) : (
                <p>
                  {site.inclusionStart ?? "–"} til {site.inclusionEnd ?? "–"} (eies av {site.organisationId})
                </p>
              )}
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
                {r.createdAt}, {r.userName}: {r.decision === "approved" ? "godkjent" : "sendt tilbake"} (versjon {r.version})
                {r.comment ? ` – «${r.comment}»` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
