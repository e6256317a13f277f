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
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getDb } from "#app/db.server";
import { guarded, parseId, signedInHeaders, signedInForm, signedInStudyPage } from "#app/auth/route.server";
import { approveStudy, publishHeldStudy, sendBackStudy, updateSiteLocal } from "#app/models/study-work.server";
import { reviewPage } from "#app/views/signed-in-study.server";
import { hiddenValues, parseReview, reviewPageForms } from "#app/forms/action-forms";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import type { MessageKey } from "#app/i18n/messages/nb";
import { useTranslator } from "#app/i18n/use-translator";
import { parseSiteLocal, siteFieldErrors } from "#app/forms/site-forms";
import { problemText } from "#app/forms/problem-text";
import { DiffTable } from "#app/components/DiffTable";
import { ClinicianStudyContent, PatientStudyContent } from "#app/components/StudyContent";
import { CsrfField, ProblemList, SignedInBar } from "#app/components/SignedIn";
import { ErrorList, FormField } from "#app/components/forms";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("review.metaTitle")} – ${t("site.titleSuffix")}` }, { name: "robots", content: "noindex" }];
};
export const headers = signedInHeaders;

export async function loader(args: LoaderFunctionArgs) {
  return signedInStudyPage(args, reviewPage);
}

type ActionData = {
  /** The site whose local-information form answered (its Conform result). */
  site?: string;
  result?: SubmissionResult<string[]>;
  /** The approve / send-back form's Conform result (the comment's problem on its field). */
  review?: SubmissionResult<string[]>;
  problems?: { field: string; message: string }[];
};

/** A model's site problems, on the local-information form's fields. */
const LOCAL_FIELDS: Record<string, string> = {
  "contact.email": "contactEmail",
  "contact.name": "contactName",
  "contact.phone": "contactPhone",
  pauseReason: "pauseReason",
  referral: "referral",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const db = getDb();
  const lang = langFromRequest(request);
  const tr = translator(lang);
  const here = (query: string) => withLang(`/redaksjon/studier/${id}?${query}`, lang);
  const post = hiddenValues(form, reviewPageForms, tr);
  if (post.intent === "publish-held") {
    const result = guarded(() => publishHeldStudy(db, user, id));
    if (!result.ok) {
      const problems = result.problems.map((p) => ({ ...p, message: problemText(p.message, tr) }));
      return json<ActionData>({ problems }, { status: 400 });
    }
    return redirect(here("ferdig=publisert-tross"));
  }
  if (post.intent === "local") {
    const { site } = post;
    const submission = parseSiteLocal(form, tr);
    if (submission.status !== "success") return json<ActionData>({ site, result: submission.reply() }, { status: 400 });
    const v = submission.value;
    const result = guarded(() =>
      updateSiteLocal(db, user, id, site, {
        contact: v.contactName
          ? { name: v.contactName, email: v.contactEmail || null, phone: v.contactPhone || null }
          : null,
        referral: v.referral || null,
        paused: v.paused === "on",
        pauseReason: v.pauseReason || null,
      }),
    );
    if (!result.ok) {
      const fieldErrors = siteFieldErrors(result.problems, LOCAL_FIELDS, (m) => problemText(m, tr));
      return json<ActionData>({ site, result: submission.reply({ fieldErrors }) }, { status: 400 });
    }
    return redirect(here("ferdig=lagret"));
  }
  const submission = parseReview(form, tr);
  if (submission.status !== "success") return json<ActionData>({ review: submission.reply() }, { status: 400 });
  const { intent, comment } = submission.value;
  const reviewed = { version: post.version ?? null, revision: post.revision ?? null };
  const result = guarded(() =>
    intent === "approve"
      ? approveStudy(db, user, id, reviewed, comment || null)
      : sendBackStudy(db, user, id, comment ?? ""),
  );
  // 409: what the editor reviewed is no longer what would be published; the page shows the new version.
  if (!result.ok) {
    const conflict = result.problems.some((p) => p.field === "reviewedVersion");
    const problems = result.problems.map((p) => ({
      ...p,
      message: p.field === "reviewedVersion" && lang !== "nb" ? tr.t("review.conflict") : problemText(p.message, tr),
    }));
    return json<ActionData>({ problems, review: submission.reply() }, { status: conflict ? 409 : 400 });
  }
  return redirect(here(`ferdig=${intent === "approve" ? "godkjent" : "sendt-tilbake"}`));
}

const DONE: Record<string, MessageKey> = {
  "publisert-tross": "review.done.publisert-tross",
  godkjent: "review.done.godkjent",
  "sendt-tilbake": "review.done.sendt-tilbake",
  lagret: "review.done.lagret",
};

type LocalSite = {
  key: string;
  name: string;
  contact: { name: string; email?: string | null; phone?: string | null } | null;
  referral: string | null;
  paused: boolean;
  pauseReason: string | null;
};

/** An editor's local information for one of their sites (Conform + zod, problems on each field). */
function LocalSiteForm({
  csrf,
  site,
  index,
  lastResult,
}: {
  csrf: string;
  site: LocalSite;
  index: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const tr = useTranslator();
  const { t } = tr;
  const [form, fields] = useForm({
    id: `lokal-${index}`,
    lastResult,
    defaultValue: {
      contactName: site.contact?.name ?? "",
      contactEmail: site.contact?.email ?? "",
      contactPhone: site.contact?.phone ?? "",
      referral: site.referral ?? "",
      paused: site.paused ? "on" : "",
      pauseReason: site.pauseReason ?? "",
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseSiteLocal(formData, tr),
  });
  const text = (
    name: "contactName" | "contactEmail" | "contactPhone" | "pauseReason",
    type: "text" | "email" | "tel",
  ) => <input {...getInputProps(fields[name], { type })} key={fields[name].key} />;
  return (
    <Form
      method="post"
      className="site-form"
      {...getFormProps(form)}
      noValidate
      aria-label={t("review.local.form", { site: site.name })}
    >
      <h3>{site.name}</h3>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value="local" />
      <input type="hidden" name="site" value={site.key} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <FormField field={fields.contactName} label={t("review.local.contactName")}>
        {text("contactName", "text")}
      </FormField>
      <FormField field={fields.contactEmail} label={t("review.local.contactEmail")}>
        {text("contactEmail", "email")}
      </FormField>
      <FormField field={fields.contactPhone} label={t("review.local.contactPhone")}>
        {text("contactPhone", "tel")}
      </FormField>
      <FormField field={fields.referral} label={t("review.local.referral")}>
        <textarea {...getTextareaProps(fields.referral)} key={fields.referral.key} rows={3} />
      </FormField>
      <div className="checkbox">
        <input {...getInputProps(fields.paused, { type: "checkbox" })} key={fields.paused.key} />{" "}
        <label htmlFor={fields.paused.id} className="inline-label">
          {t("review.local.paused")}
        </label>
      </div>
      <FormField field={fields.pauseReason} label={t("review.local.pauseReason")}>
        {text("pauseReason", "text")}
      </FormField>
      <p>
        <button type="submit">{t("review.local.save", { site: site.name })}</button>
      </p>
    </Form>
  );
}

/** Approve exactly the version (or revision) shown, or send it back with a comment (Conform + zod, the problem on the comment). */
function ReviewForm({
  csrf,
  reviewing,
  lastResult,
}: {
  csrf: string;
  reviewing: { version: number; revision: { revision: number } | null };
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const tr = useTranslator();
  const { t } = tr;
  const [form, fields] = useForm({
    id: "vurdering",
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseReview(formData, tr),
  });
  return (
    <Form method="post" className="review-form" {...getFormProps(form)} noValidate aria-describedby="gjennomgar">
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={reviewing.version} />
      <input type="hidden" name="revision" value={reviewing.revision?.revision ?? ""} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <FormField field={fields.comment} label={t("review.comment")}>
        <textarea {...getTextareaProps(fields.comment)} key={fields.comment.key} rows={3} />
      </FormField>
      <p>
        <button type="submit" name="intent" value="approve">
          {reviewing.revision
            ? t("review.approveRevision", { revision: reviewing.revision.revision })
            : t("review.approveVersion", { version: reviewing.version })}
        </button>{" "}
        <button type="submit" name="intent" value="send-back">
          {t("review.sendBack")}
        </button>
      </p>
    </Form>
  );
}

export default function Review() {
  const { user, csrf, study, sinceVersion, changes, reviewing, canReview, localSites, done, hold, preview } =
    useLoaderData<typeof loader>();
  const { t, href, lang } = useTranslator();
  const waiting = reviewing.revision ? reviewing.revision.state === "submitted" : study.state === "submitted";
  const data = useActionData<typeof action>() as ActionData | undefined;
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={href("/redaksjon")}>{t("review.back")}</Link>
      </p>
      <h1>{study.title}</h1>
      <p>
        {study.stateLabel} · {study.statusLabel} · {t("study.facts.ledBy", { organisation: study.leadOrganisation })} ·{" "}
        {t("study.facts.version", { version: study.version })}
      </p>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {t(DONE[done])}
        </p>
      ) : null}
      {data?.problems && !data.site ? <ProblemList problems={data.problems} /> : null}
      {hold ? (
        <section aria-labelledby="holdt-tilbake" className={hold.released ? undefined : "notice"}>
          <h2 id="holdt-tilbake">{hold.released ? t("review.hold.released") : t("review.hold.held")}</h2>
          <p>
            {hold.released
              ? t("review.hold.releasedText", { at: hold.heldAt, released: hold.released })
              : t("review.hold.heldText", { at: hold.heldAt })}
          </p>
          {/* The reasons are stored as the import wrote them, in bokmål. */}
          <ul lang={lang === "nb" ? undefined : "nb"}>
            {hold.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {!hold.released && canReview && study.state === "submitted" ? (
            <Form method="post" noValidate>
              <CsrfField token={csrf} />
              <p>{t("review.hold.publishHint")}</p>
              <button type="submit" name="intent" value="publish-held">
                {t("review.hold.publish")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      <p className="lead" id="gjennomgar">
        {reviewing.revision
          ? t(
              reviewing.revision.state === "submitted" ? "review.reviewing.revision" : "review.reviewing.revisionDraft",
              {
                revision: reviewing.revision.revision,
                at: reviewing.revision.createdAt,
                name: reviewing.revision.by,
                version: reviewing.version,
              },
            )
          : t("review.reviewing.version", { version: reviewing.version })}
      </p>
      <section aria-labelledby="endringer">
        <h2 id="endringer">
          {sinceVersion ? t("review.changes.since", { version: sinceVersion }) : t("review.changes.never")}
        </h2>
        {sinceVersion && changes.length === 0 ? <p>{t("review.changes.none")}</p> : null}
        {changes.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="endringer">
            <DiffTable
              changes={changes}
              fieldHeading={t("review.changes.field")}
              fromHeading={t("review.changes.from")}
              toHeading={t("review.changes.to")}
            />
          </div>
        ) : null}
        {study.missing.length ? <p>{t("review.missing", { items: study.missing.join(", ") })}</p> : null}
      </section>
      <section aria-labelledby="forhandsvisning" className="preview">
        <h2 id="forhandsvisning">{t("review.preview.title")}</h2>
        <p>{waiting ? t("review.preview.waiting") : t("review.preview.current")}</p>
        <details className="preview-frame" open>
          <summary>{t("review.preview.patient")}</summary>
          <article className="study-page" aria-label={t("review.preview.patient")}>
            <PatientStudyContent s={preview.patient} idPrefix="forhand-pasient-" titleAs="h2" />
          </article>
        </details>
        <details className="preview-frame" open>
          <summary>{t("review.preview.clinician")}</summary>
          <article className="study-page clinician-study" aria-label={t("review.preview.clinician")}>
            <ClinicianStudyContent s={preview.clinician} idPrefix="forhand-helse-" titleAs="h2" />
          </article>
        </details>
      </section>
      {canReview && waiting ? <ReviewForm csrf={csrf} reviewing={reviewing} lastResult={data?.review} /> : null}
      {localSites.length ? (
        <section aria-labelledby="lokalt">
          <h2 id="lokalt">{t("review.local.title")}</h2>
          {localSites.map((site, index) => (
            <LocalSiteForm
              key={site.key}
              csrf={csrf}
              site={site}
              index={index}
              lastResult={data?.site === site.key ? data.result : undefined}
            />
          ))}
        </section>
      ) : null}
    </>
  );
}
