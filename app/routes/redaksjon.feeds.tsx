/**
 * /redaksjon/feeds — the editor's organisation's feed health: its pull feeds (URL, last poll,
 * status, next due), the latest ingest runs with their counts, and every rejected record with
 * which field and why. Only the editor's own organisations (checked in the model).
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { hasRole, isAdmin } from "~/auth/policy";
import { guarded, signedInHeaders, signedInPage } from "~/auth/route.server";
import { feedHealthFor, feedHealthOrganisations } from "~/models/feed-health.server";
import { formatInstant } from "~/views/researcher.server";
import { SignedInBar } from "~/components/SignedIn";

export const meta: MetaFunction = () => [{ title: "Innlesing – Redaksjon – Kliniske studier" }, { name: "robots", content: "noindex" }];
export const headers = signedInHeaders;

const RUN_STATUS = { running: "Pågår", finished: "Fullført", failed: "Feilet" } as const;
const when = (iso: string | null) => (iso ? formatInstant(iso) : "–");

function interval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} t`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!hasRole(page.user, "editor") && !isAdmin(page.user)) {
    throw new Response("Innlesingen er for redaktører ved helseforetakene.", { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  const db = getDb();
  const organisations = feedHealthOrganisations(db, page.user);
  const asked = new URL(request.url).searchParams.get("org");
  const orgId = asked ?? organisations[0]?.id;
  if (!orgId) throw new Response("Du er ikke redaktør ved noen organisasjon.", { status: 403 });
  const health = guarded(() => feedHealthFor(db, page.user, orgId));
  const now = new Date();
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      organisations: organisations.length > 1 ? organisations : [],
      organisation: health.organisation,
      feeds: health.feeds.map((f) => ({
        id: f.id,
        url: f.url,
        format: f.format,
        mode: f.mode === "full" ? "Full liste" : "Delvis",
        interval: interval(f.intervalSeconds),
        active: f.active,
        lastPolledAt: when(f.lastPolledAt),
        lastStatus: f.lastStatus ?? "Ikke hentet ennå",
        failures: f.failures,
        lastError: f.lastError,
        nextPoll: !f.active ? "Stanset" : new Date(f.nextPollAt) <= now ? "Nå (forfalt)" : formatInstant(f.nextPollAt),
      })),
      runs: health.runs.map((r) => ({
        ...r,
        startedAt: when(r.startedAt),
        statusLabel: RUN_STATUS[r.status] + (r.dryRun ? " (prøvekjøring)" : ""),
        modeLabel: r.mode === "full" ? "Full" : "Delvis",
      })),
      rejections: health.rejections.map((j) => ({ ...j, startedAt: when(j.startedAt) })),
      rejectionsTruncated: health.rejectionsTruncated,
    },
    { headers: page.headers },
  );
}

export default function FeedHealth() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <SignedInBar name={d.user.name} csrf={d.csrf} roles={d.user.roles} />
      <p>
        <Link to="/redaksjon">← Redaksjon</Link>
      </p>
      <h1>Innlesing: {d.organisation.name}</h1>
      <p className="lead">Feeds, siste innlesinger og poster som ble avvist, med felt og grunn.</p>
      {d.organisations.length ? (
        <Form method="get" className="inline-form">
          <label htmlFor="org">Organisasjon</label>{" "}
          <select id="org" name="org" defaultValue={d.organisation.id}>
            {d.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>{" "}
          <button type="submit">Vis</button>
        </Form>
      ) : null}

      <section aria-labelledby="feeds">
        <h2 id="feeds">Feeds som hentes</h2>
        {d.feeds.length === 0 ? (
          <p>Ingen feed-adresse er registrert for {d.organisation.name}. Studiene kommer inn gjennom API-et eller som fil (se siste innlesinger).</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="feeds-tabell">
            <table>
              <caption id="feeds-tabell">Feeds for {d.organisation.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Adresse</th>
                  <th scope="col">Format</th>
                  <th scope="col">Liste</th>
                  <th scope="col">Hentes hvert</th>
                  <th scope="col">Sist hentet</th>
                  <th scope="col">Siste status</th>
                  <th scope="col">Feil på rad</th>
                  <th scope="col">Neste henting</th>
                </tr>
              </thead>
              <tbody>
                {d.feeds.map((f) => (
                  <tr key={f.id}>
                    <th scope="row" className="break">
                      {f.url}
                    </th>
                    <td>{f.format}</td>
                    <td>{f.mode}</td>
                    <td>{f.interval}</td>
                    <td>{f.lastPolledAt}</td>
                    <td>
                      {f.lastStatus}
                      {f.lastError ? <span className="field-error"> {f.lastError}</span> : null}
                    </td>
                    <td>{f.failures}</td>
                    <td>{f.nextPoll}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="innlesinger">
        <h2 id="innlesinger">Siste innlesinger</h2>
        {d.runs.length === 0 ? (
          <p>Ingen innlesinger ennå.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="innlesinger-tabell">
            <table>
              <caption id="innlesinger-tabell">De {d.runs.length} siste innlesingene for {d.organisation.name}, nyeste først</caption>
              <thead>
                <tr>
                  <th scope="col">Startet</th>
                  <th scope="col">Kilde</th>
                  <th scope="col">Format</th>
                  <th scope="col">Liste</th>
                  <th scope="col">Status</th>
                  <th scope="col">Mottatt</th>
                  <th scope="col">Nye</th>
                  <th scope="col">Endret</th>
                  <th scope="col">Uendret</th>
                  <th scope="col">Trukket</th>
                  <th scope="col">Avvist</th>
                </tr>
              </thead>
              <tbody>
                {d.runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.startedAt}</th>
                    <td>{r.sourceName}</td>
                    <td>{r.format}</td>
                    <td>{r.modeLabel}</td>
                    <td>
                      {r.statusLabel}
                      {r.error ? <span className="field-error"> {r.error}</span> : null}
                    </td>
                    <td>{r.received}</td>
                    <td>{r.created}</td>
                    <td>{r.changed}</td>
                    <td>{r.unchanged}</td>
                    <td>{r.withdrawn}</td>
                    <td>{r.rejected}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="avviste">
        <h2 id="avviste">Avviste poster</h2>
        {d.rejections.length === 0 ? (
          <p>Ingen poster ble avvist i de siste innlesingene.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="avviste-tabell">
            <table>
              <caption id="avviste-tabell">
                Avviste poster i de siste innlesingene{d.rejectionsTruncated ? ` (de ${d.rejections.length} første)` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Innlesing startet</th>
                  <th scope="col">Post</th>
                  <th scope="col">Egen id</th>
                  <th scope="col">Felt</th>
                  <th scope="col">Hvorfor</th>
                </tr>
              </thead>
              <tbody>
                {d.rejections.map((j, i) => (
                  <tr key={i}>
                    <td>{j.startedAt}</td>
                    <th scope="row">{j.ref}</th>
                    <td>{j.externalId ?? "–"}</td>
                    <td>{j.field}</td>
                    <td>{j.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
