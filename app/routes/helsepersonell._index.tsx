import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DemoBadge, StatusBadge } from "~/components/StatusBadge";
import { getDb } from "~/db.server";
import { formatCalendarDate } from "~/domain/status-text";
import { PHASE_LABEL, STUDY_TYPE_LABEL } from "~/domain/labels";
import { studyListItems } from "~/models/study-views.server";

export const meta: MetaFunction = () => [{ title: "Kliniske studier for helsepersonell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const showAll = url.searchParams.get("status") === "alle";
  const items = studyListItems(getDb(), new Date());
  const shown = (showAll ? items : items.filter((i) => i.status === "open")).sort((a, b) =>
    // Closing soonest first: what a referring doctor must act on now.
    (a.openUntil ?? "9999").localeCompare(b.openUntil ?? "9999"),
  );
  return {
    showAll,
    studies: shown.map((i) => ({
      id: i.id,
      title: i.title,
      icd10: i.icd10,
      phase: i.phase ? PHASE_LABEL[i.phase] : "–",
      type: STUDY_TYPE_LABEL[i.studyType],
      openSites: i.openSites.length,
      openUntil: i.openUntil ? formatCalendarDate(i.openUntil) : i.status === "open" ? "Ingen sluttdato" : "–",
      lead: i.leadOrganisation,
      status: i.status,
      statusText: i.statusText,
      isDemo: i.isDemo,
    })),
  };
}

export default function ClinicianIndex() {
  const { studies, showAll } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Studier for helsepersonell</h1>
      <p className="lead">
        Studier ved norske sykehus med diagnosekoder, fase, åpne studiesteder og siste inklusjonsdag. Åpne studien for
        kriterier, kontaktpersoner og henvisning.
      </p>
      <Form method="get" className="filters" aria-label="Vis studier">
        <label htmlFor="status">Vis</label>
        <select id="status" name="status" defaultValue={showAll ? "alle" : "apen"}>
          <option value="apen">Åpne for inklusjon nå</option>
          <option value="alle">Alle studier</option>
        </select>
        <button type="submit">Vis</button>
      </Form>
      <div className="table-wrap">
        <table>
          <caption>
            {studies.length} {showAll ? "studier" : "studier åpne for inklusjon, den som stenger først øverst"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Studie</th>
              <th scope="col">ICD-10</th>
              <th scope="col">Type og fase</th>
              <th scope="col">Status</th>
              <th scope="col">Åpne steder</th>
              <th scope="col">Inklusjon til</th>
              <th scope="col">Utført av</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/studier/${s.id}`}>{s.title}</Link>
                  {s.isDemo ? <DemoBadge /> : null}
                </td>
                <td>{s.icd10.join(", ") || "–"}</td>
                <td>
                  {s.type}, {s.phase}
                </td>
                <td>
                  <StatusBadge status={s.status} text={s.statusText} />
                </td>
                <td>{s.openSites}</td>
                <td>{s.openUntil}</td>
                <td>{s.lead}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
