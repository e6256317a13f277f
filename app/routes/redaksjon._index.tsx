/**
 * /redaksjon — the editor's queue (submitted studies led by their organisation, oldest first),
 * a link to their organisation's feed health, and their own sites in published and submitted
 * studies, each with its status now and a pause / resume (with a reason) — a version like
 * every change, shown to patients on the public page. Studies the ingest held back (test or
 * example records, unreachable links) are listed with the reason.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getDb } from "#app/db.server";
import { getConfig } from "#app/config.server";
import { canAnswerForSite, canEditSiteLocal, hasRole, isAdmin, orgsWithRole } from "#app/auth/policy";
import { guarded, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import {
  confirmSite,
  editorSiteStudies,
  heldStudiesFor,
  reviewQueue,
  setSitePause,
  sitesAwaitingAnswer,
} from "#app/models/study-work.server";
import { formatInstant, studyOverview } from "#app/views/researcher.server";
import { CsrfField, ProblemList, SignedInBar } from "#app/components/SignedIn";
import { FormField } from "#app/components/forms";
import { parseSitePause } from "#app/forms/site-forms";
import { editorQueueForms, hiddenValues } from "#app/forms/action-forms";
import { problemText } from "#app/forms/problem-text";
import { Reminders } from "#app/components/Reminders";
import {
  issueReminderFeedToken,
  organisationName,
  reminderFeedTokenCreatedAt,
  remindersForUser,
} from "#app/models/reminders.server";
import { useTranslator } from "#app/i18n/use-translator";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("editorial.title")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!hasRole(page.user, "editor") && !isAdmin(page.user)) {
    throw new Response("Redaksjonen er for redaktører ved helseforetakene.", { status: 403 });
  }
  const now = new Date();
  const db = getDb();
  const lang = langFromRequest(request);
  const queue = reviewQueue(db, page.user).map((s) => ({
    ...studyOverview(s, now, lang),
    updatedAt: formatInstant(s.updatedAt, lang),
  }));
  const sites = editorSiteStudies(db, page.user).flatMap((record) => {
    const s = studyOverview(record, now, lang);
    return s.sites
      .filter((site) => canEditSiteLocal(page.user, site))
      .map((site) => ({ studyId: s.id, title: s.title, stateLabel: s.stateLabel, ...site }));
  });
  // Sites other organisations proposed for this editor's organisation: accepted or declined on the study page.
  const proposed = sitesAwaitingAnswer(db, page.user).flatMap((record) => {
    const s = studyOverview(record, now, lang);
    return s.pendingSites
      .filter((site) => canAnswerForSite(page.user, site))
      .map((site) => ({ studyId: s.id, title: s.title, leadOrganisation: s.leadOrganisation, ...site }));
  });
  const done = new URL(request.url).searchParams.get("ferdig");
  const held = heldStudiesFor(db, page.user).map((h) => ({
    studyId: h.studyId,
    title: h.title,
    reasons: h.reasons,
    heldAt: formatInstant(h.heldAt, lang),
  }));
  const reminders = remindersForUser(db, page.user, now);
  // The editor's organisations' reminder feeds (Atom, iCalendar): a secret link per organisation.
  const base = getConfig().BASE_URL.replace(/\/$/, "");
  const subscriptions = orgsWithRole(page.user, "editor").map((id) => {
    const at = reminderFeedTokenCreatedAt(db, id);
    return { id, name: organisationName(db, id) ?? id, since: at };
  });
  return json(
    { user: page.user, csrf: page.csrf, queue, sites, held, proposed, done, reminders, subscriptions, base },
    { headers: page.headers },
  );
}

type ActionData = {
  formKey: string;
  /** The pause/resume form's Conform result (its problem on the reason field). */
  result?: SubmissionResult<string[]>;
  problems?: { field: string; message: string }[];
  /** A new reminder-feed secret, shown once (for this organisation). */
  feed?: { organisationId: string; token: string };
};

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const lang = langFromRequest(request);
  const tr = translator(lang);
  const post = hiddenValues(form, editorQueueForms, tr);
  if (post.intent === "confirm-site") {
    // One click: the site's dates stand as they are. A history entry, no new version (ADR 0019).
    guarded(() => confirmSite(getDb(), user, post.study, post.site));
    return redirect(withLang("/redaksjon?ferdig=bekreftet", lang));
  }
  if (post.intent === "reminder-feed") {
    // A new secret link for the organisation's reminder feeds; only an editor there (or an admin).
    const organisationId = post.organisation;
    if (!orgsWithRole(user, "editor").includes(organisationId) && !isAdmin(user)) {
      throw new Response("Bare redaktører ved organisasjonen kan lage abonnementslenker for den.", { status: 403 });
    }
    if (organisationName(getDb(), organisationId) == null) {
      throw new Response(`Ukjent organisasjon «${organisationId}».`, { status: 400 });
    }
    const token = issueReminderFeedToken(getDb(), organisationId, user.id);
    return json<ActionData>({ formKey: `feed:${organisationId}`, feed: { organisationId, token } });
  }
  const { intent, study: studyId, site } = post;
  const formKey = `${studyId}:${site}`;
  const submission = parseSitePause(form, tr);
  if (submission.status !== "success")
    return json<ActionData>({ formKey, result: submission.reply() }, { status: 400 });
  const reason = submission.value.pauseReason ?? "";
  const result = guarded(() =>
    setSitePause(getDb(), user, studyId, site, { paused: intent === "pause", reason: reason || null }),
  );
  if (!result.ok) {
    const problems = result.problems.map((p) => ({ ...p, message: problemText(p.message, tr) }));
    return json<ActionData>({ formKey, problems, result: submission.reply() }, { status: 400 });
  }
  return redirect(withLang(`/redaksjon?ferdig=${intent === "pause" ? "stanset" : "gjenopptatt"}`, lang));
}

const DONE = {
  stanset: "editorial.done.stanset",
  gjenopptatt: "editorial.done.gjenopptatt",
  bekreftet: "editorial.done.bekreftet",
} as const;
const isDone = (v: string | null): v is keyof typeof DONE => v != null && Object.hasOwn(DONE, v);

export default function EditorQueue() {
  const { user, csrf, queue, sites, held, proposed, done, reminders, subscriptions, base } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const { t, instant, href } = useTranslator();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <h1>{t("editorial.title")}</h1>
      {isDone(done) ? (
        <p className="notice" role="status">
          {t(DONE[done])}
        </p>
      ) : null}
      <Reminders reminders={reminders} csrf={csrf} />
      {subscriptions.map((o) => (
        <section key={o.id} aria-labelledby={`abonner-${o.id}`}>
          <h2 id={`abonner-${o.id}`}>{t("reminders.feeds", { organisation: o.name })}</h2>
          <p>{t("reminders.feeds.lead")}</p>
          {o.since ? <p>{t("reminders.feeds.since", { at: instant(o.since) })}</p> : null}
          {data?.feed?.organisationId === o.id ? (
            <div className="notice" role="status">
              <p>{t("reminders.feeds.made")}</p>
              <ul>
                <li>
                  {t("reminders.feeds.atom")}:{" "}
                  <code>{`${base}/feeds/paminnelser/${o.id}/${data.feed.token}.atom`}</code>
                </li>
                <li>
                  {t("reminders.feeds.ics")}: <code>{`${base}/feeds/paminnelser/${o.id}/${data.feed.token}.ics`}</code>
                </li>
              </ul>
            </div>
          ) : null}
          <Form method="post">
            <CsrfField token={csrf} />
            <input type="hidden" name="intent" value="reminder-feed" />
            <input type="hidden" name="organisation" value={o.id} />
            <button type="submit">
              {t("reminders.feeds.make")}
              <span className="visually-hidden">{` (${o.name})`}</span>
            </button>
          </Form>
        </section>
      ))}
      <p>
        <Link to={href("/redaksjon/feeds")}>{t("editorial.feedsLink")}</Link>
      </p>
      {held.length ? (
        <section aria-labelledby="holdt">
          <h2 id="holdt">{t("editorial.held.title")}</h2>
          <p>{t("editorial.held.lead")}</p>
          <ul className="cards">
            {held.map((h) => (
              <li key={h.studyId} className="card">
                <h3>
                  <Link to={href(`/redaksjon/studier/${h.studyId}`)}>
                    {h.title || t("editorial.held.study", { id: h.studyId })}
                  </Link>
                </h3>
                <p>{t("editorial.held.at", { at: h.heldAt })}</p>
                <ul>
                  {h.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="ko">
        <h2 id="ko">{t("editorial.queue.title")}</h2>
        <p>{t("editorial.queue.lead")}</p>
        {queue.length === 0 ? <p>{t("editorial.queue.none")}</p> : null}
        <ul className="cards">
          {queue.map((s) => (
            <li key={s.id} className="card">
              <h3>
                <Link to={href(`/redaksjon/studier/${s.id}`)}>{s.title}</Link>
              </h3>
              <p>
                {t("editorial.queue.sent", { at: s.updatedAt })} · {t("myStudies.version", { version: s.version })} ·{" "}
                {s.missing.length
                  ? t("editorial.queue.missing", { items: s.missing.join(", ") })
                  : t("editorial.queue.ready")}
              </p>
            </li>
          ))}
        </ul>
      </section>
      {proposed.length ? (
        <section aria-labelledby="foreslatte">
          <h2 id="foreslatte">{t("editorial.proposed.title")}</h2>
          <p>{t("editorial.proposed.lead")}</p>
          <ul>
            {proposed.map((p) => (
              <li key={`${p.studyId}:${p.key}`}>
                <Link to={href(`/forsker/studier/${p.studyId}`)}>{p.title}</Link> ({p.leadOrganisation}): {p.name},{" "}
                {p.window}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {sites.length ? (
        <section aria-labelledby="steder">
          <h2 id="steder">{t("editorial.sites.title")}</h2>
          <p>{t("editorial.sites.lead")}</p>
          <ul className="cards">
            {sites.map((site, i) => {
              const key = `${site.studyId}:${site.key}`;
              const mine = data?.formKey === key ? data : undefined;
              const fid = `pause-${i}`;
              return (
                <li key={key} className="card">
                  <h3>
                    <Link to={href(`/redaksjon/studier/${site.studyId}`)}>{site.title}</Link>
                  </h3>
                  <p>
                    {site.name} · {site.stateLabel} · {site.status}
                    {site.paused && site.pauseReason
                      ? ` · ${t("editorial.sites.reason", { reason: site.pauseReason })}`
                      : ""}
                  </p>
                  <p>
                    {site.confirmedText}
                    {site.confirmedBy ? ` ${t("editorial.sites.by", { name: site.confirmedBy })}` : ""}
                    {site.needsConfirmation ? ` – ${t("editorial.sites.needsConfirmation")}` : ""}
                  </p>
                  <Form
                    method="post"
                    aria-label={t("editorial.sites.confirmForm", { site: site.name ?? "", study: site.title })}
                  >
                    <CsrfField token={csrf} />
                    <input type="hidden" name="intent" value="confirm-site" />
                    <input type="hidden" name="study" value={site.studyId} />
                    <input type="hidden" name="site" value={site.key} />
                    <button type="submit">
                      {t("reminders.confirm")}
                      <span className="visually-hidden">{` ${t("reminders.confirmFor", { site: site.name ?? "", study: site.title })}`}</span>
                    </button>
                  </Form>
                  {mine?.problems ? <ProblemList problems={mine.problems} /> : null}
                  <PauseForm csrf={csrf} site={site} id={fid} lastResult={mine?.result} />
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** Pause inclusion at one of the editor's sites (the reason is shown to patients), or resume it: Conform + zod. */
function PauseForm({
  csrf,
  site,
  id,
  lastResult,
}: {
  csrf: string;
  site: { studyId: number; key: string; name: string; title: string; paused: boolean };
  id: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const tr = useTranslator();
  const { t } = tr;
  const [form, fields] = useForm({
    id,
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseSitePause(formData, tr),
  });
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      noValidate
      aria-label={t(site.paused ? "editorial.sites.resumeForm" : "editorial.sites.pauseForm", {
        site: site.name,
        study: site.title,
      })}
    >
      <CsrfField token={csrf} />
      <input type="hidden" name="study" value={site.studyId} />
      <input type="hidden" name="site" value={site.key} />
      <input type="hidden" name="intent" value={site.paused ? "resume" : "pause"} />
      {site.paused ? (
        <button type="submit">{t("editorial.sites.resume")}</button>
      ) : (
        <>
          <FormField field={fields.pauseReason} label={t("editorial.sites.pauseReason")}>
            <input {...getInputProps(fields.pauseReason, { type: "text" })} key={fields.pauseReason.key} />
          </FormField>
          <p>
            <button type="submit">{t("editorial.sites.pause")}</button>
          </p>
        </>
      )}
    </Form>
  );
}
