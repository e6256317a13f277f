import type { LinksFunction, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Kliniske studier i Norge" },
  { name: "description", content: "Finn kliniske studier ved norske sykehus: for pasienter, helsepersonell og forskere." },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="nb">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#innhold">
          Hopp til hovedinnholdet
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to="/" className="site-name">
              Kliniske studier
            </Link>
            <nav aria-label="Hovedmeny">
              <ul className="nav-list">
                <li>
                  <NavLink to="/pasient">For pasienter</NavLink>
                </li>
                <li>
                  <NavLink to="/helsepersonell">For helsepersonell</NavLink>
                </li>
                <li>
                  <NavLink to="/forsker">For forskere</NavLink>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="innhold" tabIndex={-1} className="wrap">
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>
              Kliniske studier er en nasjonal oversikt over kliniske studier ved norske sykehus. Status for inklusjon
              regnes ut fra datoene hvert sykehus har oppgitt, i det øyeblikket du ser på siden.
            </p>
            <p>
              Studier merket <strong>Demodata</strong> er fiktive eksempler og finnes ikke. Snakk alltid med legen din
              før du melder interesse for en studie.
            </p>
          </div>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section aria-labelledby="feil-tittel">
      <h1 id="feil-tittel">{notFound ? "Siden finnes ikke" : "Noe gikk galt"}</h1>
      <p>
        {notFound
          ? "Vi fant ikke siden du lette etter. Den kan være flyttet, eller adressen kan være skrevet feil."
          : "Vi klarte ikke å vise siden akkurat nå. Prøv igjen om litt."}
      </p>
      <p>
        <Link to="/">Gå til forsiden</Link>
      </p>
    </section>
  );
}
