/**
 * /forsker/studier/:id — one study for its researchers: status, what is missing, warnings, the
 * inclusion dates of each of their sites (the most common change: two fields and a button),
 * submit for approval (a draft, or a published study's pending revision), the editors' comments;
 * sites proposed for the user's organisation (accept or decline) and withdrawing an own site.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getDb } from "#app/db.server";
import { guarded, parseId, signedInHeaders, signedInForm, signedInStudyPage } from "#app/auth/route.server";
import {
  acceptSite,
  confirmSite,
  declineSite,
  submitStudy,
  updateSiteDates,
  withdrawSite,
} from "#app/models/study-work.server";
import { researcherStudyPage } from "#app/views/signed-in-study.server";
import { hiddenValues, researcherStudyForms } from "#app/forms/action-forms";
import { parseSiteDates, siteFieldErrors } from "#app/forms/site-forms";
import { problemText } from "#app/forms/problem-text";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import type { MessageKey } from "#app/i18n/messages/nb";
import { useTranslator } from "#app/i18n/use-translator";
import { CsrfField, ProblemList, SignedInBar } from "#app/components/SignedIn";
import { ErrorList, FormField } from "#app/components/forms";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [
    { title: `${t("study.metaTitle", { title: data?.study.title ?? "" })} – ${t("site.titleSuffix")}` },
    { name: "robots", content: "noindex" },
  ];
};
export const headers = signedInHeaders;

export async function loader(args: LoaderFunctionArgs) {
  return signedInStudyPage(args, researcherStudyPage);
}

type ActionData = {
  /** The site whose dates form answered (its Conform result). */
  site?: string;
  result?: SubmissionResult<string[]>;
  problems?: { field: string; message: string }[];
};

/** The site problems a model names, on the dates form's fields. */
const DATE_FIELDS: Record<string, string> = { inclusionStart: "inclusionStart", inclusionEnd: "inclusionEnd" };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const db = getDb();
  const lang = langFromRequest(request);
  const tr = translator(lang);
  const here = (query: string) => withLang(`/forsker/studier/${id}?${query}`, lang);
  const problemsInLang = (problems: { field: string; message: string }[]) =>
    problems.map((p) => ({ ...p, message: problemText(p.message, tr) }));
  const post = hiddenValues(form, researcherStudyForms, tr);
  if (post.intent === "dates") {
    const { site } = post;
    const submission = parseSiteDates(form, tr);
    if (submission.status !== "success") {
      return json<ActionData>({ site, result: submission.reply() }, { status: 400 });
    }
    const { inclusionStart, inclusionEnd } = submission.value;
    const result = guarded(() =>
      updateSiteDates(db, user, id, site, {
        inclusionStart: inclusionStart ?? null,
        inclusionEnd: inclusionEnd ?? null,
      }),
    );
    if (!result.ok) {
      const fieldErrors = siteFieldErrors(result.problems, DATE_FIELDS, (m) => problemText(m, tr));
      return json<ActionData>({ site, result: submission.reply({ fieldErrors }) }, { status: 400 });
    }
    return redirect(here(`lagret=${result.changed ? result.version : "ingen"}`));
  }
  if (post.intent === "confirm-site") {
    // One click: the dates stand as they are. A history entry, no new version (ADR 0019).
    guarded(() => confirmSite(db, user, id, post.site));
    return redirect(here(`bekreftet=${encodeURIComponent(post.site)}`));
  }
  if (post.intent === "submit") {
    const result = guarded(() => submitStudy(db, user, id));
    if (!result.ok) return json<ActionData>({ problems: problemsInLang(result.problems) }, { status: 400 });
    if (result.revision) return redirect(here(`endring=${result.revision}`));
    return redirect(here(`lagret=${result.version}`));
  }
  const { intent, site } = post;
  const result = guarded(() =>
    intent === "accept-site"
      ? acceptSite(db, user, id, site)
      : intent === "decline-site"
        ? declineSite(db, user, id, site)
        : withdrawSite(db, user, id, site),
  );
  if (!result.ok) return json<ActionData>({ problems: problemsInLang(result.problems) }, { status: 400 });
  const answer = { "accept-site": "godtatt", "decline-site": "avslatt", "withdraw-site": "trukket" }[intent];
  return redirect(here(`svar=${answer}`));
}

const ANSWERED: Record<string, MessageKey> = {
  godtatt: "study.answered.godtatt",
  avslatt: "study.answered.avslatt",
  trukket: "study.answered.trukket",
};

/** A site's inclusion dates: two fields and a button (Conform + zod, checked as you leave a field). */
function SiteDatesForm({
  csrf,
  site,
  index,
  lastResult,
}: {
  csrf: string;
  site: { key: string; name: string; inclusionStart: string | null; inclusionEnd: string | null };
  index: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const tr = useTranslator();
  const { t } = tr;
  const [form, fields] = useForm({
    id: `sted-${index}`,
    lastResult,
    defaultValue: { inclusionStart: site.inclusionStart ?? "", inclusionEnd: site.inclusionEnd ?? "" },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseSiteDates(formData, tr),
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate aria-label={t("study.sites.datesForm", { site: site.name })}>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value="dates" />
      <input type="hidden" name="site" value={site.key} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <fieldset>
        <legend className="visually-hidden">{t("study.sites.datesForm", { site: site.name })}</legend>
        <FormField field={fields.inclusionStart} label={t("study.sites.start")}>
          <input {...getInputProps(fields.inclusionStart, { type: "date" })} key={fields.inclusionStart.key} />
        </FormField>
        <FormField field={fields.inclusionEnd} label={t("study.sites.end")}>
          <input {...getInputProps(fields.inclusionEnd, { type: "date" })} key={fields.inclusionEnd.key} />
        </FormField>
      </fieldset>
      <p>
        <button type="submit">{t("study.sites.saveDates", { site: site.name })}</button>
      </p>
    </Form>
  );
}

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
  const { t, href } = useTranslator();
  const confirmedSite = confirmed ? study.sites.find((s) => s.key === confirmed) : undefined;
  const data = useActionData<typeof action>() as ActionData | undefined;
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={href("/forsker/studier")}>{t("study.back")}</Link>
      </p>
      <h1>{study.title}</h1>
      <p>
        {study.stateLabel} · {study.statusLabel} · {t("study.facts.ledBy", { organisation: study.leadOrganisation })} ·{" "}
        {t("study.facts.version", { version: study.version })} ·{" "}
        <Link to={href(`/forsker/studier/${study.id}/historikk`)}>{t("study.history")}</Link>
        {canEdit ? (
          <>
            {" · "}
            <Link to={href(`/forsker/studier/${study.id}/rediger`)}>{t("study.edit")}</Link>
          </>
        ) : null}
      </p>
      {saved ? (
        <p className="notice" role="status">
          {saved === "ingen" ? t("study.savedNothing") : t("study.saved", { version: saved })}
        </p>
      ) : null}
      {confirmedSite ? (
        <p className="notice" role="status">
          {t("study.confirmed", { site: confirmedSite.name, confirmed: confirmedSite.confirmedText })}
        </p>
      ) : null}
      {revisionSaved ? (
        <p className="notice" role="status">
          {t("study.revisionSaved", { revision: revisionSaved })}
        </p>
      ) : null}
      {answered && ANSWERED[answered] ? (
        <p className="notice" role="status">
          {t(ANSWERED[answered])}
        </p>
      ) : null}
      {data?.problems ? <ProblemList problems={data.problems} /> : null}
      {revision ? (
        <section aria-labelledby="endring">
          <h2 id="endring">
            {revision.state === "submitted"
              ? t("study.revision.submitted", { revision: revision.revision })
              : t("study.revision.draft", { revision: revision.revision })}
          </h2>
          <p>{t("study.revision.lead", { at: revision.createdAt, name: revision.by, version: study.version })}</p>
          {canEdit && revision.state === "draft" ? (
            <Form method="post">
              <CsrfField token={csrf} />
              <input type="hidden" name="intent" value="submit" />
              <button type="submit">{t("study.revision.submit")}</button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {study.pendingSites.length ? (
        <section aria-labelledby="venter-svar">
          <h2 id="venter-svar">{t("study.pending.title")}</h2>
          <p>{t("study.pending.lead")}</p>
          <ul>
            {study.pendingSites.map((site) => (
              <li key={site.key}>
                {site.name}: {site.window}
                {answerable.includes(site.key) ? (
                  <Form
                    method="post"
                    className="inline-form"
                    aria-label={t("study.pending.answerFor", { site: site.name })}
                  >
                    <CsrfField token={csrf} />
                    <input type="hidden" name="site" value={site.key} />
                    <button type="submit" name="intent" value="accept-site">
                      {t("study.pending.accept", { site: site.name })}
                    </button>{" "}
                    <button type="submit" name="intent" value="decline-site">
                      {t("study.pending.decline", { site: site.name })}
                    </button>
                  </Form>
                ) : (
                  ` ${t("study.pending.waiting")}`
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {study.missing.length ? (
        <section aria-labelledby="mangler">
          <h2 id="mangler">{t("study.missing")}</h2>
          <ul>
            {study.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {study.warnings.length ? (
        <section aria-labelledby="advarsler">
          <h2 id="advarsler">{t("study.warnings")}</h2>
          <ul className="warning-list">
            {study.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="steder">
        <h2 id="steder">{t("study.sites.title")}</h2>
        {study.sites.map((site, index) => {
          const mine = editableSites.includes(site.key);
          return (
            <div key={site.key} className="site-form" id={`sted-${site.key}`}>
              <h3>{site.name}</h3>
              <p>
                {site.statusText}
                {site.paused && site.pauseReason ? ` (${site.pauseReason})` : ""}
              </p>
              <p>
                {site.confirmedText}
                {site.confirmedBy ? ` ${t("study.sites.by", { name: site.confirmedBy })}` : ""}
                {site.needsConfirmation ? ` ${t("study.sites.needsConfirmation")}` : ""}
              </p>
              {mine ? (
                <Form method="post" aria-label={t("study.sites.confirmForm", { site: site.name })}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="confirm-site" />
                  <input type="hidden" name="site" value={site.key} />
                  <button type="submit">{t("study.sites.confirm", { site: site.name })}</button>
                </Form>
              ) : null}
              {mine ? (
                <SiteDatesForm
                  csrf={csrf}
                  site={site}
                  index={index}
                  lastResult={data?.site === site.key ? data.result : undefined}
                />
              ) : (
                <p>{t("study.sites.ownedBy", { window: site.window, organisation: site.organisationName })}</p>
              )}
              {ownSites.includes(site.key) ? (
                <Form method="post" aria-label={t("study.sites.withdraw", { site: site.name })}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="intent" value="withdraw-site" />
                  <input type="hidden" name="site" value={site.key} />
                  <button type="submit">{t("study.sites.withdraw", { site: site.name })}</button>
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
          <button type="submit">{t("study.submit")}</button>
        </Form>
      ) : null}
      {reviews.length ? (
        <section aria-labelledby="vurderinger">
          <h2 id="vurderinger">{t("study.reviews.title")}</h2>
          <ul>
            {reviews.map((r) => (
              <li key={r.id}>
                {t("study.reviews.line", {
                  at: r.createdAt,
                  name: r.userName,
                  decision: r.decision === "approved" ? t("study.reviews.approved") : t("study.reviews.sentBack"),
                  revision: r.revision ? t("study.reviews.revision", { revision: r.revision }) : "",
                  version: r.version,
                })}
                {r.comment ? t("study.reviews.comment", { comment: r.comment }) : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
