import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { STATUS_LABEL } from "~/domain/status-text";
import type { StudyStatus } from "~/domain/inclusion-status";
import { studyListItems } from "~/models/study-views.server";

export const meta: MetaFunction = () => [{ title: "For forskere og studiekoordinatorer – Kliniske studier" }];

const STATUSES: StudyStatus[] = ["open", "planned", "paused", "closed"];

export async function loader() {
  const items = studyListItems(getDb(), new Date());
  const regions = [...new Set(items.map((i) => i.region))].sort((a, b) => a.localeCompare(b, "nb"));
  return {
    statuses: STATUSES.map((s) => ({ status: s, label: STATUS_LABEL[s] })),
    rows: regions.map((region) => ({
      region,
      counts: STATUSES.map((s) => items.filter((i) => i.region === region && i.status === s).length),
      total: items.filter((i) => i.region === region).length,
    })),
    totals: STATUSES.map((s) => items.filter((i) => i.status === s).length),
    total: items.length,
  };
}

export default function ResearcherIndex() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>For forskere og studiekoordinatorer</h1>
      <p className="lead">
        Her skal du kunne registrere studier, holde inklusjonsdatoene for hvert studiested oppdatert og se nasjonal
        statistikk. Innlogging og registrering kommer; under ser du dagens nasjonale oversikt.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Publiserte studier etter regionalt helseforetak (utført av) og status i dag</caption>
          <thead>
            <tr>
              <th scope="col">Region</th>
              {data.statuses.map((s) => (
                <th scope="col" key={s.status}>
                  {s.label}
                </th>
              ))}
              <th scope="col">Totalt</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.region}>
                <th scope="row">{r.region}</th>
                {r.counts.map((n, i) => (
                  <td key={i}>{n}</td>
                ))}
                <td>{r.total}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Hele landet</th>
              {data.totals.map((n, i) => (
                <td key={i}>{n}</td>
              ))}
              <td>{data.total}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
