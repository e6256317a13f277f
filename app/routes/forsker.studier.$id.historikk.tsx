/** /forsker/studier/:id/historikk — every version with who, when and a readable diff; restore one as a new version. */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { canEditStudy } from "#app/auth/policy";
import { guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { listSiteConfirmations, listStudyVersions } from "#app/models/study.server";
import { getStudyFor, restoreVersion } from "#app/models/study-work.server";
import { confirmationViews, diffWordsFor, versionViews } from "#app/views/researcher.server";
import { hiddenValues, restoreVersionForm } from "#app/forms/action-forms";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { DiffTable } from "#app/components/DiffTable";
import { CsrfField, SignedInBar } from "#app/components/SignedIn";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  {
    title: [
      translator(langFromSearch(location.search)).t("history.metaTitle"),
      translator(langFromSearch(location.search)).t("myStudies.title"),
      translator(langFromSearch(location.search)).t("site.titleSuffix"),
    ].join(" – "),
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const db = getDb();
  const record = guarded(() => getStudyFor(db, page.user, id));
  const lang = langFromRequest(request);
  const words = diffWordsFor(db, record, lang);
  const versions = versionViews(listStudyVersions(db, id), words).map((v) => ({
    ...v,
    createdAt: words.tr.instant(v.createdAt),
  }));
  const confirmations = confirmationViews(listSiteConfirmations(db, id), record, words.tr);
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      id,
      title: record.title.nb,
      current: record.currentVersion,
      versions,
      confirmations,
      canRestore: canEditStudy(page.user, record),
    },
    { headers: page.headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const lang = langFromRequest(request);
  const { version } = hiddenValues(form, restoreVersionForm, translator(lang));
  const result = guarded(() => restoreVersion(getDb(), user, id, version));
  if (!result.ok)
    throw new Response(result.problems.map((p) => `${p.field}: ${p.message}`).join("\n"), { status: 400 });
  return redirect(withLang(`/forsker/studier/${id}/historikk?gjenopprettet=${version}`, lang));
}

export default function History() {
  const { user, csrf, id, title, current, versions, confirmations, canRestore } = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={href(`/forsker/studier/${id}`)}>← {title}</Link>
      </p>
      <h1>{t("history.title", { title })}</h1>
      <p className="lead">{t("history.lead")}</p>
      {confirmations.length ? (
        <section aria-labelledby="bekreftelser">
          <h2 id="bekreftelser">{t("history.confirmations.title")}</h2>
          <p>{t("history.confirmations.lead")}</p>
          <ul>
            {confirmations.map((c, i) => (
              <li key={i}>
                {t("history.confirmation", { at: c.at, name: c.actorName, site: c.site, window: c.window })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ol reversed className="version-list">
        {versions.map((v) => (
          <li key={v.version}>
            <h2>{t(v.version === current ? "history.version.current" : "history.version", { version: v.version })}</h2>
            <p>
              {v.createdAt} · {v.actorName} · {v.summary}
            </p>
            {v.changes.length ? (
              <div
                className="table-wrap"
                tabIndex={0}
                role="region"
                aria-label={t("history.changes", { version: v.version })}
              >
                <DiffTable
                  changes={v.changes}
                  caption={t("history.changes", { version: v.version })}
                  fieldHeading={t("review.changes.field")}
                  fromHeading={t("history.before")}
                  toHeading={t("history.after")}
                />
              </div>
            ) : null}
            {canRestore && v.version !== current ? (
              <Form method="post" className="inline-form">
                <CsrfField token={csrf} />
                <input type="hidden" name="version" value={v.version} />
                <button type="submit">{t("history.restore", { version: v.version })}</button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
