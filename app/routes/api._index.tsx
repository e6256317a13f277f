/**
 * /api — the readable API documentation, rendered from the same OpenAPI document that
 * /api/openapi.json serves (Norwegian, with the English summaries of the document).
 */
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import { openApiDocument } from "#app/api/endpoints.server";
import { apiPageView } from "#app/api/openapi-view";
import { ErrorPage } from "#app/components/ErrorPage";
import { publicPageHeaders } from "#app/http/cache-headers";
import { publicBaseUrl } from "#app/http/api-read.server";

export const meta: MetaFunction = () => [
  { title: "Åpent API – Kliniske studier" },
  {
    name: "description",
    content:
      "Åpent REST-API for kliniske studier i norske sykehus: søk, studier, versjoner, endringslogg og eksport, med OpenAPI 3.1.",
  },
];

export const headers = publicPageHeaders;

export function loader() {
  return apiPageView(openApiDocument(publicBaseUrl()) as Record<string, unknown>);
}

/** **bold** and `code` in the document's descriptions. */
function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/g).map((part, i) => {
    if (part.startsWith("**") && part.endsWith("**")) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`")) return <code key={i}>{part.slice(1, -1)}</code>;
    return <Fragment key={i}>{part}</Fragment>;
  });
}

const anchor = (name: string) => `type-${name}`;

/** Type names of component schemas become links to their section. */
function typeNode(type: string, schemaNames: Set<string>): ReactNode {
  return type.split(/(\b[A-Z][A-Za-z]+\b)/g).map((part, i) =>
    schemaNames.has(part) ? (
      <a key={i} href={`#${anchor(part)}`}>
        {part}
      </a>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

export default function ApiDocumentation() {
  const view = useLoaderData<typeof loader>();
  const names = new Set(view.schemas.map((s) => s.name));
  const example = `${view.baseUrl}/api/v1/studies?q=brystkreft&status=open&perPage=5`;
  return (
    <article aria-labelledby="api-tittel">
      <h1 id="api-tittel">Åpent API</h1>
      <p className="lead">
        Alt portalen vet om publiserte kliniske studier, åpent og uten innlogging, for helsenorge.no, sykehusenes
        nettsteder, apper og forskere.
      </p>
      <p lang="en">
        <strong>In English:</strong> {view.summary} Summaries below are in English; the OpenAPI 3.1 document is at{" "}
        <a href="/api/openapi.json">/api/openapi.json</a>.
      </p>

      <h2>Kom i gang</h2>
      <p>
        Versjon {view.version}. Maskinlesbar beskrivelse: <a href="/api/openapi.json">OpenAPI 3.1 (JSON)</a>. Eksempel:
      </p>
      <pre>
        <code>curl &apos;{example}&apos;</code>
      </pre>

      <h2>Slik virker API-et</h2>
      {view.description.split("\n\n").map((p, i) => (
        <p key={i}>{inline(p)}</p>
      ))}

      <h2>Endepunkter</h2>
      <nav aria-label="Endepunkter">
        <ul>
          {view.endpoints.map((e) => (
            <li key={e.id}>
              <a href={`#${e.id}`}>
                <code>
                  {e.method} {e.path}
                </code>
              </a>{" "}
              – <span lang="en">{e.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      {view.endpoints.map((e) => (
        <section key={e.id} aria-labelledby={e.id}>
          <h3 id={e.id}>
            <code>
              {e.method} {e.path}
            </code>
          </h3>
          <p lang="en">
            <em>{e.summary}</em>
          </p>
          <p>{inline(e.description)}</p>
          {e.params.length > 0 && (
            <div className="table-wrap">
              <table className="dense-table">
                <caption>Parametere</caption>
                <thead>
                  <tr>
                    <th scope="col">Navn</th>
                    <th scope="col">Type</th>
                    <th scope="col">Beskrivelse</th>
                    <th scope="col">Eksempel</th>
                  </tr>
                </thead>
                <tbody>
                  {e.params.map((p) => (
                    <tr key={p.name}>
                      <th scope="row">
                        <code>{p.name}</code>
                        {p.required ? " (påkrevd)" : ""}
                      </th>
                      <td>
                        <code>{typeNode(p.type, names)}</code>
                      </td>
                      <td>{p.description}</td>
                      <td>{p.example != null ? <code>{p.example}</code> : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h4>Svar</h4>
          <ul>
            {e.responses.map((r) => (
              <li key={r.status}>
                <strong>{r.status}</strong> {r.description}
                {r.type ? (
                  <>
                    {" "}
                    <code>{typeNode(r.type, names)}</code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}

      <h2>Datatyper</h2>
      {view.schemas.map((s) => (
        <section key={s.name} aria-labelledby={anchor(s.name)}>
          <h3 id={anchor(s.name)}>{s.name}</h3>
          {s.description && <p>{s.description}</p>}
          {s.fields.length > 0 && (
            <div className="table-wrap">
              <table className="dense-table">
                <caption>Felt i {s.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Felt</th>
                    <th scope="col">Type</th>
                    <th scope="col">Alltid med</th>
                  </tr>
                </thead>
                <tbody>
                  {s.fields.map((f) => (
                    <tr key={f.name}>
                      <th scope="row">
                        <code>{f.name}</code>
                      </th>
                      <td>
                        <code>{typeNode(f.type, names)}</code>
                      </td>
                      <td>{f.required ? "ja" : "nei"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
