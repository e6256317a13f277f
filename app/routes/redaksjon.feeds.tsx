/**
 * /redaksjon/feeds — the editor's organisation's feed health: its pull feeds (URL, last poll,
 * status, next due), the latest ingest runs with their counts (received = stored + unchanged +
 * skipped + rejected, and how many were held for an editor), why records were skipped, every
 * rejected record with which field and why, and the runs' warnings. A national admin also sees
 * the latest registry imports' whole-file accounts. Only the editor's own organisations (checked
 * in the model).
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { hasRole, isAdmin } from "#app/auth/policy";
import { guarded, signedInHeaders, signedInPage } from "#app/auth/route.server";
import { feedHealthFor, feedHealthOrganisations } from "#app/models/feed-health.server";
import { formatInstant } from "#app/views/researcher.server";
import { SignedInBar } from "#app/components/SignedIn";

export const meta: MetaFunction = () => [
  { title: "Innlesing – Redaksjon – Kliniske studier" },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

const RUN_STATUS = { running: "Pågår", finished: "Fullført", failed: "Feilet" } as const;
const when = (iso: string | null) => (iso ? formatInstant(iso) : "–");

function interval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} t`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** One skip reason as the page shows it: the reason, how many, and which records (bounded). */
function skipLine(s: { reason: string; count: number; records: { ref: string; externalId: string | null }[] }) {
  const shown = s.records.slice(0, 20).map((r) => r.externalId ?? r.ref);
  const rest = s.count - shown.length;
  return { reason: s.reason, count: s.count, records: shown.join(", ") + (rest > 0 ? ` og ${rest} til` : "") };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!hasRole(page.user, "editor") && !isAdmin(page.user)) {
    throw new Response("Innlesingen er for redaktører ved helseforetakene.", {
      status: 403,
      headers: { "Cache-Control": "no-store" },
    });
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
      skips: health.runs.flatMap((r) =>
        r.skippedReasons.map((s) => ({ runId: r.id, startedAt: when(r.startedAt), ...skipLine(s) })),
      ),
      warnings: health.warnings.map((w) => ({ ...w, startedAt: when(w.startedAt) })),
      warningsTruncated: health.warningsTruncated,
      registryImports: health.registryImports.map((i) => ({
        id: i.id,
        format: i.format,
        startedAt: when(i.startedAt),
        statusLabel: RUN_STATUS[i.status],
        error: i.error,
        received: i.received,
        stored: i.stored,
        unchanged: i.unchanged,
        skipped: i.skipped,
        rejected: i.rejected,
        held: i.held,
        skips: i.skippedReasons.map(skipLine),
      })),
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
          <p>
            Ingen feed-adresse er registrert for {d.organisation.name}. Studiene kommer inn gjennom API-et eller som fil
            (se siste innlesinger).
          </p>
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
              <caption id="innlesinger-tabell">
                De {d.runs.length} siste innlesingene for {d.organisation.name}, nyeste først
              </caption>
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
                  <th scope="col">Hoppet over</th>
                  <th scope="col">Holdt tilbake</th>
                  <th scope="col">Varsler</th>
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
                    <td>{r.skipped}</td>
                    <td>{r.held}</td>
                    <td>{r.warnings}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <p>
        Hver innlesing gjør rede for alle poster den mottok: mottatt = nye + endret + uendret + hoppet over + avvist.
        Poster som er holdt tilbake (ser ut som test- eller eksempelposter, eller lenker til adresser publikum ikke når)
        er lagret, men ikke publisert før en redaktør har sett på dem.
      </p>

      <section aria-labelledby="hoppet-over">
        <h2 id="hoppet-over">Poster som ble hoppet over</h2>
        {d.skips.length === 0 ? (
          <p>Ingen poster ble hoppet over i de siste innlesingene.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="hoppet-over-tabell">
            <table>
              <caption id="hoppet-over-tabell">Poster som ble hoppet over i de siste innlesingene, per grunn</caption>
              <thead>
                <tr>
                  <th scope="col">Innlesing startet</th>
                  <th scope="col">Grunn</th>
                  <th scope="col">Antall</th>
                  <th scope="col">Poster</th>
                </tr>
              </thead>
              <tbody>
                {d.skips.map((s, i) => (
                  <tr key={i}>
                    <td>{s.startedAt}</td>
                    <th scope="row">{s.reason}</th>
                    <td>{s.count}</td>
                    <td className="break">{s.records}</td>
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
                Avviste poster i de siste innlesingene
                {d.rejectionsTruncated ? ` (de ${d.rejections.length} første)` : ""}
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

      <section aria-labelledby="varsler">
        <h2 id="varsler">Varsler</h2>
        {d.warnings.length === 0 ? (
          <p>Ingen varsler i de siste innlesingene.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="varsler-tabell">
            <table>
              <caption id="varsler-tabell">
                Varsler fra de siste innlesingene{d.warningsTruncated ? ` (de ${d.warnings.length} første)` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Innlesing startet</th>
                  <th scope="col">Post</th>
                  <th scope="col">Varsel</th>
                </tr>
              </thead>
              <tbody>
                {d.warnings.map((w, i) => (
                  <tr key={i}>
                    <td>{w.startedAt}</td>
                    <th scope="row">{w.ref}</th>
                    <td>{w.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {d.registryImports.length ? (
        <section aria-labelledby="registerimporter">
          <h2 id="registerimporter">Registerimporter (hele filen)</h2>
          <p>
            En import fra ClinicalTrials.gov skrives som én innlesing per helseforetak med norske studiesteder; her er
            regnskapet for hele filen.
          </p>
          {d.registryImports.map((i) => (
            <div key={i.id} className="table-wrap" tabIndex={0} role="region" aria-labelledby={`import-${i.id}`}>
              <table>
                <caption id={`import-${i.id}`}>
                  Registerimport {i.id} ({i.format}), startet {i.startedAt}: {i.statusLabel}
                  {i.error ? ` – ${i.error}` : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Mottatt</th>
                    <th scope="col">Lagret</th>
                    <th scope="col">Uendret</th>
                    <th scope="col">Hoppet over</th>
                    <th scope="col">Avvist</th>
                    <th scope="col">Holdt tilbake</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>{i.received}</td>
                    <td>{i.stored}</td>
                    <td>{i.unchanged}</td>
                    <td>{i.skipped}</td>
                    <td>{i.rejected}</td>
                    <td>{i.held}</td>
                  </tr>
                </tbody>
              </table>
              <ul>
                {i.skips.map((s) => (
                  <li key={s.reason}>
                    Hoppet over {s.count}: {s.reason} ({s.records})
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
