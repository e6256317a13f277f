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
import { langFromRequest, langFromSearch } from "#app/i18n/languages";
import { translator, type Translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("feeds.metaTitle")} – ${t("site.titleSuffix")}` }, { name: "robots", content: "noindex" }];
};
export const headers = signedInHeaders;

function interval(seconds: number, tr: Translator): string {
  if (seconds % 3600 === 0) return tr.t("feeds.interval.hours", { n: seconds / 3600 });
  if (seconds % 60 === 0) return tr.t("feeds.interval.minutes", { n: seconds / 60 });
  return tr.t("feeds.interval.seconds", { n: seconds });
}

/** One skip reason as the page shows it: the reason, how many, and which records (bounded). */
function skipLine(
  s: { reason: string; count: number; records: { ref: string; externalId: string | null }[] },
  tr: Translator,
) {
  const shown = s.records
    .slice(0, 20)
    .map((r) => r.externalId ?? r.ref)
    .join(", ");
  const rest = s.count - s.records.slice(0, 20).length;
  return {
    reason: s.reason,
    count: s.count,
    records: rest > 0 ? tr.t("feeds.moreRecords", { records: shown, count: rest }) : shown,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!hasRole(page.user, "editor") && !isAdmin(page.user)) {
    throw new Response(translator(langFromRequest(request)).t("feeds.forbidden"), {
      status: 403,
      headers: { "Cache-Control": "no-store" },
    });
  }
  const db = getDb();
  const lang = langFromRequest(request);
  const tr = translator(lang);
  const when = (iso: string | null) => (iso ? formatInstant(iso, lang) : "–");
  const runStatus = (status: "running" | "finished" | "failed") => tr.t(`feeds.run.${status}`);
  const organisations = feedHealthOrganisations(db, page.user);
  const asked = new URL(request.url).searchParams.get("org");
  const orgId = asked ?? organisations[0]?.id;
  if (!orgId) throw new Response(tr.t("feeds.noOrganisation"), { status: 403 });
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
        mode: f.mode === "full" ? tr.t("feeds.mode.full") : tr.t("feeds.mode.partial"),
        interval: interval(f.intervalSeconds, tr),
        active: f.active,
        lastPolledAt: when(f.lastPolledAt),
        lastStatus: f.lastStatus ?? tr.t("feeds.notPolled"),
        failures: f.failures,
        lastError: f.lastError,
        nextPoll: !f.active
          ? tr.t("feeds.stopped")
          : new Date(f.nextPollAt) <= now
            ? tr.t("feeds.due")
            : formatInstant(f.nextPollAt, lang),
      })),
      runs: health.runs.map((r) => ({
        ...r,
        startedAt: when(r.startedAt),
        statusLabel: r.dryRun ? tr.t("feeds.run.dryRun", { status: runStatus(r.status) }) : runStatus(r.status),
        modeLabel: r.mode === "full" ? tr.t("feeds.runMode.full") : tr.t("feeds.runMode.partial"),
      })),
      rejections: health.rejections.map((j) => ({ ...j, startedAt: when(j.startedAt) })),
      rejectionsTruncated: health.rejectionsTruncated,
      skips: health.runs.flatMap((r) =>
        r.skippedReasons.map((s) => ({ runId: r.id, startedAt: when(r.startedAt), ...skipLine(s, tr) })),
      ),
      warnings: health.warnings.map((w) => ({ ...w, startedAt: when(w.startedAt) })),
      warningsTruncated: health.warningsTruncated,
      registryImports: health.registryImports.map((i) => ({
        id: i.id,
        format: i.format,
        startedAt: when(i.startedAt),
        statusLabel: runStatus(i.status),
        error: i.error,
        received: i.received,
        stored: i.stored,
        unchanged: i.unchanged,
        skipped: i.skipped,
        rejected: i.rejected,
        held: i.held,
        skips: i.skippedReasons.map((s) => skipLine(s, tr)),
      })),
    },
    { headers: page.headers },
  );
}

export default function FeedHealth() {
  const d = useLoaderData<typeof loader>();
  const { t, href, lang } = useTranslator();
  /** Reasons and messages are stored as the import wrote them, in bokmål. */
  const stored = lang === "nb" ? undefined : "nb";
  const organisation = d.organisation.name;
  return (
    <>
      <SignedInBar name={d.user.name} csrf={d.csrf} roles={d.user.roles} />
      <p>
        <Link to={href("/redaksjon")}>{t("review.back")}</Link>
      </p>
      <h1>{t("feeds.title", { organisation })}</h1>
      <p className="lead">{t("feeds.lead")}</p>
      {stored ? <p className="hint">{t("feeds.storedText")}</p> : null}
      {d.organisations.length ? (
        <Form method="get" className="inline-form">
          {lang === "nb" ? null : <input type="hidden" name="lang" value={lang} />}
          <label htmlFor="org">{t("feeds.organisation")}</label>{" "}
          <select id="org" name="org" defaultValue={d.organisation.id}>
            {d.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>{" "}
          <button type="submit">{t("feeds.show")}</button>
        </Form>
      ) : null}

      <section aria-labelledby="feeds">
        <h2 id="feeds">{t("feeds.feeds.title")}</h2>
        {d.feeds.length === 0 ? (
          <p>{t("feeds.feeds.none", { organisation })}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="feeds-tabell">
            <table>
              <caption id="feeds-tabell">{t("feeds.feeds.caption", { organisation })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("feeds.col.url")}</th>
                  <th scope="col">{t("feeds.col.format")}</th>
                  <th scope="col">{t("feeds.col.mode")}</th>
                  <th scope="col">{t("feeds.col.interval")}</th>
                  <th scope="col">{t("feeds.col.lastPolled")}</th>
                  <th scope="col">{t("feeds.col.lastStatus")}</th>
                  <th scope="col">{t("feeds.col.failures")}</th>
                  <th scope="col">{t("feeds.col.nextPoll")}</th>
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
                      {f.lastError ? (
                        <span className="field-error" lang={stored}>
                          {" "}
                          {f.lastError}
                        </span>
                      ) : null}
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
        <h2 id="innlesinger">{t("feeds.runs.title")}</h2>
        {d.runs.length === 0 ? (
          <p>{t("feeds.runs.none")}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="innlesinger-tabell">
            <table>
              <caption id="innlesinger-tabell">
                {t("feeds.runs.caption", { count: d.runs.length, organisation })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("feeds.col.started")}</th>
                  <th scope="col">{t("feeds.col.source")}</th>
                  <th scope="col">{t("feeds.col.format")}</th>
                  <th scope="col">{t("feeds.col.mode")}</th>
                  <th scope="col">{t("feeds.col.status")}</th>
                  <th scope="col">{t("feeds.col.received")}</th>
                  <th scope="col">{t("feeds.col.created")}</th>
                  <th scope="col">{t("feeds.col.changed")}</th>
                  <th scope="col">{t("feeds.col.unchanged")}</th>
                  <th scope="col">{t("feeds.col.withdrawn")}</th>
                  <th scope="col">{t("feeds.col.rejected")}</th>
                  <th scope="col">{t("feeds.col.skipped")}</th>
                  <th scope="col">{t("feeds.col.held")}</th>
                  <th scope="col">{t("feeds.col.warnings")}</th>
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
                      {r.error ? (
                        <span className="field-error" lang={stored}>
                          {" "}
                          {r.error}
                        </span>
                      ) : null}
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

      <p>{t("feeds.accounting")}</p>

      <section aria-labelledby="hoppet-over">
        <h2 id="hoppet-over">{t("feeds.skips.title")}</h2>
        {d.skips.length === 0 ? (
          <p>{t("feeds.skips.none")}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="hoppet-over-tabell">
            <table>
              <caption id="hoppet-over-tabell">{t("feeds.skips.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("feeds.col.runStarted")}</th>
                  <th scope="col">{t("feeds.col.reason")}</th>
                  <th scope="col">{t("feeds.col.count")}</th>
                  <th scope="col">{t("feeds.col.records")}</th>
                </tr>
              </thead>
              <tbody>
                {d.skips.map((s, i) => (
                  <tr key={i}>
                    <td>{s.startedAt}</td>
                    <th scope="row" lang={stored}>
                      {s.reason}
                    </th>
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
        <h2 id="avviste">{t("feeds.rejections.title")}</h2>
        {d.rejections.length === 0 ? (
          <p>{t("feeds.rejections.none")}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="avviste-tabell">
            <table>
              <caption id="avviste-tabell">
                {t("feeds.rejections.caption")}
                {d.rejectionsTruncated ? t("feeds.firstOnly", { count: d.rejections.length }) : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("feeds.col.runStarted")}</th>
                  <th scope="col">{t("feeds.col.record")}</th>
                  <th scope="col">{t("feeds.col.externalId")}</th>
                  <th scope="col">{t("feeds.col.field")}</th>
                  <th scope="col">{t("feeds.col.why")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rejections.map((j, i) => (
                  <tr key={i}>
                    <td>{j.startedAt}</td>
                    <th scope="row">{j.ref}</th>
                    <td>{j.externalId ?? "–"}</td>
                    <td>{j.field}</td>
                    <td lang={stored}>{j.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="varsler">
        <h2 id="varsler">{t("feeds.warnings.title")}</h2>
        {d.warnings.length === 0 ? (
          <p>{t("feeds.warnings.none")}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="varsler-tabell">
            <table>
              <caption id="varsler-tabell">
                {t("feeds.warnings.caption")}
                {d.warningsTruncated ? t("feeds.firstOnly", { count: d.warnings.length }) : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("feeds.col.runStarted")}</th>
                  <th scope="col">{t("feeds.col.record")}</th>
                  <th scope="col">{t("feeds.col.warning")}</th>
                </tr>
              </thead>
              <tbody>
                {d.warnings.map((w, i) => (
                  <tr key={i}>
                    <td>{w.startedAt}</td>
                    <th scope="row">{w.ref}</th>
                    <td lang={stored}>{w.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {d.registryImports.length ? (
        <section aria-labelledby="registerimporter">
          <h2 id="registerimporter">{t("feeds.imports.title")}</h2>
          <p>{t("feeds.imports.lead")}</p>
          {d.registryImports.map((i) => (
            <div key={i.id} className="table-wrap" tabIndex={0} role="region" aria-labelledby={`import-${i.id}`}>
              <table>
                <caption id={`import-${i.id}`}>
                  {t("feeds.imports.caption", { id: i.id, format: i.format, at: i.startedAt, status: i.statusLabel })}
                  {i.error ? <span lang={stored}>{` – ${i.error}`}</span> : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("feeds.col.received")}</th>
                    <th scope="col">{t("feeds.col.stored")}</th>
                    <th scope="col">{t("feeds.col.unchanged")}</th>
                    <th scope="col">{t("feeds.col.skipped")}</th>
                    <th scope="col">{t("feeds.col.rejected")}</th>
                    <th scope="col">{t("feeds.col.held")}</th>
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
                    {t("feeds.imports.skipped", { count: s.count, reason: s.reason, records: s.records })}
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
