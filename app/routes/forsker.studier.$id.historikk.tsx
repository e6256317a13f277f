/** /forsker/studier/:id/historikk — every version with who, when and a readable diff; restore one as a new version. */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { canEditStudy } from "#app/auth/policy";
import { formText, guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { listSiteConfirmations, listStudyVersions } from "#app/models/study.server";
import { getStudyFor, restoreVersion } from "#app/models/study-work.server";
import { confirmationViews, diffWordsFor, versionViews } from "#app/views/researcher.server";
import { langFromRequest } from "#app/i18n/languages";
import { DiffTable } from "#app/components/DiffTable";
import { CsrfField, SignedInBar } from "#app/components/SignedIn";

export const meta: MetaFunction = () => [
  { title: "Historikk – Mine studier – Kliniske studier" },
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
  const version = Number(formText(form, "version"));
  if (!Number.isInteger(version) || version < 1) throw new Response("Ugyldig versjonsnummer", { status: 400 });
  const result = guarded(() => restoreVersion(getDb(), user, id, version));
  if (!result.ok)
    throw new Response(result.problems.map((p) => `${p.field}: ${p.message}`).join("\n"), { status: 400 });
  return redirect(`/forsker/studier/${id}/historikk?gjenopprettet=${version}`);
}

export default function History() {
  const { user, csrf, id, title, current, versions, confirmations, canRestore } = useLoaderData<typeof loader>();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={`/forsker/studier/${id}`}>← {title}</Link>
      </p>
      <h1>Historikk: {title}</h1>
      <p className="lead">
        Hver endring er en versjon. Å gjenopprette en eldre versjon lager en ny versjon; ingenting slettes.
      </p>
      {confirmations.length ? (
        <section aria-labelledby="bekreftelser">
          <h2 id="bekreftelser">Bekreftede datoer</h2>
          <p>En bekreftelse av uendrede datoer lager ingen ny versjon, men står her.</p>
          <ul>
            {confirmations.map((c, i) => (
              <li key={i}>{`${c.at} · ${c.actorName} bekreftet datoene for ${c.site}: ${c.window}`}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <ol reversed className="version-list">
        {versions.map((v) => (
          <li key={v.version}>
            <h2>{`Versjon ${v.version}${v.version === current ? " (gjeldende)" : ""}`}</h2>
            <p>
              {v.createdAt} · {v.actorName} · {v.summary}
            </p>
            {v.changes.length ? (
              <div className="table-wrap" tabIndex={0} role="region" aria-label={`Endringer i versjon ${v.version}`}>
                <DiffTable
                  changes={v.changes}
                  caption={`Endringer i versjon ${v.version}`}
                  fromHeading="Før"
                  toHeading="Etter"
                />
              </div>
            ) : null}
            {canRestore && v.version !== current ? (
              <Form method="post" className="inline-form">
                <CsrfField token={csrf} />
                <input type="hidden" name="version" value={v.version} />
                <button type="submit">Gjenopprett versjon {v.version}</button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
