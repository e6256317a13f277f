import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DemoBadge, StatusBadge } from "~/components/StatusBadge";
import { getDb } from "~/db.server";
import { studyListItems } from "~/models/study-views.server";

export const meta: MetaFunction = () => [{ title: "Finn en klinisk studie – for pasienter og pårørende" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const showAll = url.searchParams.get("status") === "alle";
  const items = studyListItems(getDb(), new Date());
  const shown = showAll ? items : items.filter((i) => i.status === "open");
  return {
    showAll,
    studies: shown.map((i) => ({
      id: i.id,
      title: i.shortTitle ?? i.title,
      status: i.status,
      statusText: i.statusText,
      where: i.openSites.length ? i.openSites.map((s) => s.name) : i.siteNames,
      isDemo: i.isDemo,
    })),
  };
}

export default function PatientIndex() {
  const { studies, showAll } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Finn en studie</h1>
      <p className="lead">
        Kliniske studier prøver ut nye behandlinger og måter å følge opp sykdom på. Her ser du studier ved norske sykehus.
        Snakk med legen din om en studie kan passe for deg.
      </p>
      <Form method="get" className="filters" aria-label="Vis studier">
        <label htmlFor="status">Vis</label>
        <select id="status" name="status" defaultValue={showAll ? "alle" : "apen"}>
          <option value="apen">Bare studier som er åpne nå</option>
          <option value="alle">Alle studier</option>
        </select>
        <button type="submit">Vis studier</button>
      </Form>
      <p aria-live="polite">
        {studies.length} {studies.length === 1 ? "studie" : "studier"}
        {showAll ? "" : " er åpne for inklusjon nå"}
      </p>
      <ul className="cards">
        {studies.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={`/studier/${s.id}`}>{s.title}</Link>
              {s.isDemo ? <DemoBadge /> : null}
            </h2>
            <p>
              <StatusBadge status={s.status} text={s.statusText} />
            </p>
            <p>
              <span className="muted">Hvor:</span> {s.where.join(", ")}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
