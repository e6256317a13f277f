/** /forsker/studier — "Mine studier": the signed-in user's studies with status, what is missing and warnings. */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { signedInHeaders, signedInPage } from "#app/auth/route.server";
import { listMyStudies } from "#app/models/study-work.server";
import { studyOverview } from "#app/views/researcher.server";
import { SignedInBar } from "#app/components/SignedIn";
import { Reminders } from "#app/components/Reminders";
import { remindersForUser } from "#app/models/reminders.server";
import { langFromRequest, langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("myStudies.title")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const now = new Date();
  const db = getDb();
  const lang = langFromRequest(request);
  const studies = listMyStudies(db, page.user).map((s) => studyOverview(s, now, lang));
  const reminders = remindersForUser(db, page.user, now);
  return json({ user: page.user, csrf: page.csrf, studies, reminders }, { headers: page.headers });
}

export default function MyStudies() {
  const { user, csrf, studies, reminders } = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <h1>{t("myStudies.title")}</h1>
      <p className="lead">{t("myStudies.lead")}</p>
      <Reminders reminders={reminders} csrf={csrf} />
      <p>
        <Link to={href("/forsker/studier/ny")}>{t("myStudies.new")}</Link>
      </p>
      {studies.length === 0 ? <p>{t("myStudies.none")}</p> : null}
      <ul className="cards">
        {studies.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={href(`/forsker/studier/${s.id}`)}>{s.title}</Link>
            </h2>
            <p>
              {s.stateLabel} · {s.statusLabel} · {t("myStudies.ledBy", { organisation: s.leadOrganisation })} ·{" "}
              {t("myStudies.version", { version: s.version })}
              {s.isDemo ? ` · ${t("demo.badge")}` : ""}
            </p>
            {s.pendingSites.length ? (
              <p>{t("myStudies.pending", { sites: s.pendingSites.map((p) => p.name).join(", ") })}</p>
            ) : null}
            {s.missing.length ? (
              <>
                <h3>{t("myStudies.missing")}</h3>
                <ul>
                  {s.missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {s.warnings.length ? (
              <>
                <h3>{t("myStudies.warnings")}</h3>
                <ul className="warning-list">
                  {s.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
