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

export const meta: MetaFunction = () => [
  { title: "Mine studier – Kliniske studier" },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const now = new Date();
  const db = getDb();
  const studies = listMyStudies(db, page.user).map((s) => studyOverview(s, now));
  const reminders = remindersForUser(db, page.user, now);
  return json({ user: page.user, csrf: page.csrf, studies, reminders }, { headers: page.headers });
}

export default function MyStudies() {
  const { user, csrf, studies, reminders } = useLoaderData<typeof loader>();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <h1>Mine studier</h1>
      <p className="lead">
        Studier ved organisasjonene dine: status i dag, hva som mangler før publisering, og hva du bør se på.
      </p>
      <Reminders reminders={reminders} csrf={csrf} />
      <p>
        <Link to="/forsker/studier/ny">Registrer ny studie</Link>
      </p>
      {studies.length === 0 ? <p>Du har ingen studier ennå.</p> : null}
      <ul className="cards">
        {studies.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={`/forsker/studier/${s.id}`}>{s.title}</Link>
            </h2>
            <p>
              {s.stateLabel} · {s.statusLabel} · utført av {s.leadOrganisation} · versjon {s.version}
              {s.isDemo ? " · Demodata" : ""}
            </p>
            {s.pendingSites.length ? (
              <p>Studiesteder som venter på svar: {s.pendingSites.map((p) => p.name).join(", ")}.</p>
            ) : null}
            {s.missing.length ? (
              <>
                <h3>Mangler før publisering</h3>
                <ul>
                  {s.missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {s.warnings.length ? (
              <>
                <h3>Advarsler</h3>
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
