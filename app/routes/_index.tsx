import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { studyListItems } from "~/models/study-views.server";

export const meta: MetaFunction = () => [{ title: "Kliniske studier i Norge" }];

export async function loader() {
  const items = studyListItems(getDb(), new Date());
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    open: count("open"),
    planned: count("planned"),
    total: items.length,
    hospitals: new Set(items.flatMap((i) => i.siteNames)).size,
  };
}

export default function Index() {
  const facts = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Kliniske studier i Norge</h1>
      <p className="lead">
        Her finner du kliniske studier ved norske sykehus: hvilke som tar inn deltakere nå, hvor, og hvem du kan kontakte.
        Oversikten samler studiene fra alle helseforetak, og status regnes ut fra sykehusenes egne datoer.
      </p>
      <section aria-labelledby="tall-tittel">
        <h2 id="tall-tittel" className="visually-hidden">
          Studier i oversikten
        </h2>
        <div className="facts">
          <div>
            <strong>{facts.open}</strong> studier er åpne for inklusjon nå
          </div>
          <div>
            <strong>{facts.planned}</strong> studier er planlagt
          </div>
          <div>
            <strong>{facts.total}</strong> publiserte studier
          </div>
          <div>
            <strong>{facts.hospitals}</strong> sykehus og studiesteder
          </div>
        </div>
      </section>
      <ul className="audiences" aria-label="Velg hvem du er">
        <li className="audience">
          <h2>For pasienter og pårørende</h2>
          <p>Finn studier som er åpne nå for din diagnose, i nærheten av deg, forklart med vanlige ord.</p>
          <Link className="cta" to="/pasient">
            Finn en studie
          </Link>
        </li>
        <li className="audience">
          <h2>For helsepersonell</h2>
          <p>Søk på diagnose og behandling, se inklusjons- og eksklusjonskriterier, studiesteder og hvordan du henviser.</p>
          <Link className="cta" to="/helsepersonell">
            Se studier for henvisning
          </Link>
        </li>
        <li className="audience">
          <h2>For forskere og studiekoordinatorer</h2>
          <p>Registrer og oppdater studier, hold inklusjonsdatoene for hvert sted oppdatert, og se nasjonal statistikk.</p>
          <Link className="cta" to="/forsker">
            Gå til forskersidene
          </Link>
        </li>
      </ul>
    </>
  );
}
