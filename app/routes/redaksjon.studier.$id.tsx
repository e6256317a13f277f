/**
 * /redaksjon/studier/:id — review a submitted study (or a published study's pending revision)
 * with the diff since the last published version; approve exactly the version or revision shown
 * (the form carries its number, and a later change by the researcher makes the approval fail
 * with a clear message, ADR 0014) or send back with a comment; complete the local information of the
 * editor's own sites (contact, referral note, pause with a reason). Before the approve button the
 * editor sees the full patient and clinician pages as they will be published ("Forhåndsvisning",
 * the public pages' own components and view builders, app/views/study-preview.server.ts). A study the ingest held back
 * (looks like a test or an example, or links to a host the public cannot reach) shows why, and
 * the editor can publish it deliberately.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { canEditSiteLocal, canReviewStudy } from "#app/auth/policy";
import { formText, guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import {
  approveStudy,
  changesSincePublished,
  getStudyFor,
  publishHeldStudy,
  sendBackStudy,
  studyHoldFor,
  updateSiteLocal,
} from "#app/models/study-work.server";
import { diffWordsFor, formatInstant } from "#app/views/researcher.server";
import { studyPreview } from "#app/views/study-preview.server";
import { langFromRequest } from "#app/i18n/languages";
import { describeChange } from "#app/views/version-diff";
import { studyOverview } from "#app/views/researcher.server";
import { DiffTable } from "#app/components/DiffTable";
import { ClinicianStudyContent, PatientStudyContent } from "#app/components/StudyContent";
import { CsrfField, FieldError, ProblemList, SignedInBar } from "#app/components/SignedIn";
import { FormField } from "#app/components/forms";

export const meta: MetaFunction = () => [
  { title: "Gjennomgang – Redaksjon – Kliniske studier" },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const db = getDb();
  const record = guarded(() => getStudyFor(db, page.user, id));
  const since = changesSincePublished(db, page.user, id);
  const study = studyOverview(record, new Date());
  const hold = studyHoldFor(db, page.user, id);
  const lang = langFromRequest(request);
  const preview = studyPreview(db, record, since.revision, lang);
  const words = diffWordsFor(db, record, lang);
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      study,
      sinceVersion: since.sinceVersion,
      changes: since.changes.map((c) => describeChange(c, words)),
      reviewing: {
        version: since.version,
        revision: since.revision
          ? {
              revision: since.revision.revision,
              state: since.revision.state,
              by: since.revision.actorName,
              createdAt: formatInstant(since.revision.createdAt),
            }
          : null,
      },
      canReview: canReviewStudy(page.user, record),
      hold: hold
        ? {
            reasons: hold.reasons,
            heldAt: formatInstant(hold.heldAt),
            released: hold.releasedAt ? `${formatInstant(hold.releasedAt)} av ${hold.releasedBy ?? "ukjent"}` : null,
          }
        : null,
      preview,
      localSites: study.sites.filter((s) => canEditSiteLocal(page.user, s)),
      done: new URL(request.url).searchParams.get("ferdig"),
    },
    { headers: page.headers },
  );
}

const wholeNumber = (value: string): number | null => (/^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : null);

type ActionData = {
  site?: string;
  errors?: Record<string, string>;
  problems?: { field: string; message: string }[];
  values?: Record<string, string>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const db = getDb();
  const intent = formText(form, "intent");
  const comment = formText(form, "comment");
  if (intent === "approve" || intent === "send-back") {
    if (intent === "send-back" && !comment) {
      return json<ActionData>(
        { errors: { comment: "Skriv hva forskeren må rette før studien kan godkjennes." } },
        { status: 400 },
      );
    }
    const reviewed = {
      version: wholeNumber(formText(form, "version")),
      revision: wholeNumber(formText(form, "revision")),
    };
    const result = guarded(() =>
      intent === "approve"
        ? approveStudy(db, user, id, reviewed, comment || null)
        : sendBackStudy(db, user, id, comment),
    );
    // 409: what the editor reviewed is no longer what would be published; the page shows the new version.
    if (!result.ok)
      return json<ActionData>(
        { problems: result.problems, values: { comment } },
        { status: result.problems.some((p) => p.field === "reviewedVersion") ? 409 : 400 },
      );
    return redirect(`/redaksjon/studier/${id}?ferdig=${intent === "approve" ? "godkjent" : "sendt-tilbake"}`);
  }
  if (intent === "publish-held") {
    const result = guarded(() => publishHeldStudy(db, user, id));
    if (!result.ok) return json<ActionData>({ problems: result.problems }, { status: 400 });
    return redirect(`/redaksjon/studier/${id}?ferdig=publisert-tross`);
  }
  if (intent === "local") {
    const site = formText(form, "site");
    const values = {
      contactName: formText(form, "contactName"),
      contactEmail: formText(form, "contactEmail"),
      contactPhone: formText(form, "contactPhone"),
      referral: formText(form, "referral"),
      pauseReason: formText(form, "pauseReason"),
      paused: form.get("paused") === "on" ? "on" : "",
    };
    const errors: Record<string, string> = {};
    if ((values.contactEmail || values.contactPhone) && !values.contactName)
      errors.contactName = "Skriv navnet på kontaktpersonen.";
    if (values.contactName && !values.contactEmail && !values.contactPhone)
      errors.contactEmail = "En kontakt må ha e-post eller telefon.";
    if (values.paused && !values.pauseReason) errors.pauseReason = "En pause må ha en begrunnelse.";
    if (Object.keys(errors).length) return json<ActionData>({ site, errors, values }, { status: 400 });
    const result = guarded(() =>
      updateSiteLocal(db, user, id, site, {
        contact: values.contactName
          ? { name: values.contactName, email: values.contactEmail || null, phone: values.contactPhone || null }
          : null,
        referral: values.referral || null,
        paused: values.paused === "on",
        pauseReason: values.pauseReason || null,
      }),
    );
    if (!result.ok) {
      const map: Record<string, string> = {
        "contact.email": "contactEmail",
        "contact.name": "contactName",
        pauseReason: "pauseReason",
        referral: "referral",
      };
      const fieldErrors = Object.fromEntries(result.problems.map((p) => [map[p.field] ?? p.field, p.message]));
      return json<ActionData>({ site, errors: fieldErrors, problems: result.problems, values }, { status: 400 });
    }
    return redirect(`/redaksjon/studier/${id}?ferdig=lagret`);
  }
  throw new Response(`Ukjent handling «${intent}»`, { status: 400 });
}

const DONE: Record<string, string> = {
  "publisert-tross": "Studien er publisert. Senere innlesinger holder den ikke tilbake igjen for de samme grunnene.",
  godkjent: "Studien er godkjent og publisert.",
  "sendt-tilbake": "Studien er sendt tilbake til forskeren.",
  lagret: "Lokal informasjon er lagret.",
};

export default function Review() {
  const { user, csrf, study, sinceVersion, changes, reviewing, canReview, localSites, done, hold, preview } =
    useLoaderData<typeof loader>();
  const waiting = reviewing.revision ? reviewing.revision.state === "submitted" : study.state === "submitted";
  const data = useActionData<typeof action>() as ActionData | undefined;
  const reviewErrors = data && !data.site ? (data.errors ?? {}) : {};
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to="/redaksjon">← Redaksjon</Link>
      </p>
      <h1>{study.title}</h1>
      <p>
        {study.stateLabel} · {study.statusLabel} · utført av {study.leadOrganisation} · versjon {study.version}
      </p>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      {data?.problems && !data.site ? <ProblemList problems={data.problems} /> : null}
      {hold ? (
        <section aria-labelledby="holdt-tilbake" className={hold.released ? undefined : "notice"}>
          <h2 id="holdt-tilbake">{hold.released ? "Publisert tross merknad" : "Holdt tilbake: ikke publisert"}</h2>
          <p>
            {hold.released
              ? `Innlesingen holdt studien tilbake ${hold.heldAt}; den ble publisert ${hold.released}. Grunn:`
              : `Innlesingen lagret studien ${hold.heldAt}, men publiserte den ikke fordi:`}
          </p>
          <ul>
            {hold.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {!hold.released && canReview && study.state === "submitted" ? (
            <Form method="post" noValidate>
              <CsrfField token={csrf} />
              <p>Se over studien. Er den ekte og lenkene riktige, kan du publisere den likevel.</p>
              <button type="submit" name="intent" value="publish-held">
                Publiser likevel
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      <p className="lead" id="gjennomgar">
        {reviewing.revision
          ? `Du gjennomgår endring ${reviewing.revision.revision} (lagret ${reviewing.revision.createdAt} av ${reviewing.revision.by}${reviewing.revision.state === "submitted" ? "" : ", ikke sendt til godkjenning"}). Publikum ser publisert versjon ${reviewing.version} til du godkjenner.`
          : `Du gjennomgår versjon ${reviewing.version}.`}
      </p>
      <section aria-labelledby="endringer">
        <h2 id="endringer">
          {sinceVersion ? `Endringer siden publisert versjon ${sinceVersion}` : "Aldri publisert før"}
        </h2>
        {sinceVersion && changes.length === 0 ? <p>Ingen endringer i innholdet.</p> : null}
        {changes.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="endringer">
            <DiffTable changes={changes} fromHeading="Publisert" toHeading="Nå" />
          </div>
        ) : null}
        {study.missing.length ? <p>Mangler før publisering: {study.missing.join(", ")}.</p> : null}
      </section>
      <section aria-labelledby="forhandsvisning" className="preview">
        <h2 id="forhandsvisning">Forhåndsvisning: slik blir studien publisert</h2>
        <p>
          {waiting
            ? "Slik ser sidene ut for publikum når du godkjenner. Lenker og verktøy på sidene virker ikke i forhåndsvisningen."
            : "Slik ser sidene ut for publikum med innholdet du ser på nå."}
        </p>
        <details className="preview-frame" open>
          <summary>Forhåndsvisning av pasientsiden</summary>
          <article className="study-page" aria-label="Forhåndsvisning av pasientsiden">
            <PatientStudyContent s={preview.patient} idPrefix="forhand-pasient-" titleAs="h2" />
          </article>
        </details>
        <details className="preview-frame" open>
          <summary>Forhåndsvisning av siden for helsepersonell</summary>
          <article className="study-page clinician-study" aria-label="Forhåndsvisning av siden for helsepersonell">
            <ClinicianStudyContent s={preview.clinician} idPrefix="forhand-helse-" titleAs="h2" />
          </article>
        </details>
      </section>
      {canReview && waiting ? (
        <Form method="post" className="review-form" noValidate aria-describedby="gjennomgar">
          <CsrfField token={csrf} />
          <input type="hidden" name="version" value={reviewing.version} />
          <input type="hidden" name="revision" value={reviewing.revision?.revision ?? ""} />
          <label htmlFor="comment">Kommentar til forskeren (påkrevd når du sender tilbake)</label>
          <textarea
            id="comment"
            name="comment"
            rows={3}
            defaultValue={data?.values?.comment ?? ""}
            aria-invalid={reviewErrors.comment ? true : undefined}
            aria-describedby={reviewErrors.comment ? "comment-feil" : undefined}
          />
          <FieldError id="comment-feil" message={reviewErrors.comment} />
          <p>
            <button type="submit" name="intent" value="approve">
              {reviewing.revision
                ? `Godkjenn og publiser endring ${reviewing.revision.revision}`
                : `Godkjenn og publiser versjon ${reviewing.version}`}
            </button>{" "}
            <button type="submit" name="intent" value="send-back">
              Send tilbake
            </button>
          </p>
        </Form>
      ) : null}
      {localSites.length ? (
        <section aria-labelledby="lokalt">
          <h2 id="lokalt">Lokal informasjon for dine studiesteder</h2>
          {localSites.map((site, index) => {
            const errors = data?.site === site.key ? (data.errors ?? {}) : {};
            const v = data?.site === site.key ? (data.values ?? {}) : {};
            const fid = `lokal-${index}`;
            const field = (name: string, label: string, value: string, type = "text") => {
              const meta = {
                id: `${fid}-${name}`,
                descriptionId: `${fid}-${name}-hjelp`,
                errorId: `${fid}-${name}-feil`,
                errors: errors[name] ? [errors[name]] : undefined,
              };
              return (
                <FormField field={meta} label={label}>
                  <input
                    id={meta.id}
                    name={name}
                    type={type}
                    defaultValue={v[name] ?? value}
                    aria-invalid={errors[name] ? true : undefined}
                    aria-describedby={errors[name] ? meta.errorId : undefined}
                  />
                </FormField>
              );
            };
            return (
              <Form
                key={site.key}
                method="post"
                className="site-form"
                noValidate
                aria-label={`Lokal informasjon for ${site.name}`}
              >
                <h3>{site.name}</h3>
                <CsrfField token={csrf} />
                <input type="hidden" name="intent" value="local" />
                <input type="hidden" name="site" value={site.key} />
                {field("contactName", "Lokal kontaktperson", site.contact?.name ?? "")}
                {field("contactEmail", "E-post", site.contact?.email ?? "", "email")}
                {field("contactPhone", "Telefon", site.contact?.phone ?? "", "tel")}
                <div>
                  <label htmlFor={`${fid}-referral`}>Slik henviser du (praktisk informasjon)</label>
                  <textarea
                    id={`${fid}-referral`}
                    name="referral"
                    rows={3}
                    defaultValue={v.referral ?? site.referral ?? ""}
                  />
                </div>
                <div>
                  <input
                    id={`${fid}-paused`}
                    name="paused"
                    type="checkbox"
                    defaultChecked={v.paused ? v.paused === "on" : site.paused}
                  />{" "}
                  <label htmlFor={`${fid}-paused`} className="inline-label">
                    Inklusjonen er midlertidig stanset
                  </label>
                </div>
                {field("pauseReason", "Begrunnelse for pause", site.pauseReason ?? "")}
                <p>
                  <button type="submit">Lagre lokal informasjon for {site.name}</button>
                </p>
              </Form>
            );
          })}
        </section>
      ) : null}
    </>
  );
}
