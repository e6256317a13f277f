/** /redaksjon — the editor's queue: submitted studies led by their organisation, oldest first. */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { hasRole, isAdmin } from "~/auth/policy";
import { signedInHeaders, signedInPage } from "~/auth/route.server";
import { reviewQueue } from "~/models/study-work.server";
import { formatInstant, studyOverview } from "~/views/researcher.server";
import { SignedInBar } from "~/components/SignedIn";

export const meta: MetaFunction = () => [{ title: "Redaksjon – Kliniske studier" }, { name: "robots", content: "noindex" }];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!hasRole(page.user, "editor") && !isAdmin(page.user)) {
    throw new Response("Redaksjonen er for redaktører ved helseforetakene.", { status: 403 });
  }
  const now = new Date();
  const queue = reviewQueue(getDb(), page.user).map((s) => ({ ...studyOverview(s, now), updatedAt: formatInstant(s.updatedAt) }));
  return json({ user: page.user, csrf: page.csrf, queue }, { headers: page.headers });
}

export default function EditorQueue() {
  const { user, csrf, queue } = useLoaderData<typeof loader>();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <h1>Redaksjon</h1>
      <p className="lead">Studier som venter på godkjenning fra din organisasjon.</p>
      {queue.length === 0 ? <p>Ingen studier venter på godkjenning.</p> : null}
      <ul className="cards">
        {queue.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={`/redaksjon/studier/${s.id}`}>{s.title}</Link>
            </h2>
            <p>
              Sendt inn {s.updatedAt} · versjon {s.version} · {s.missing.length ? `mangler: ${s.missing.join(", ")}` : "klar til publisering"}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
