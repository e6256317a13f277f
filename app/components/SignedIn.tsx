/** Small pieces of the signed-in pages: the CSRF field, who is signed in, field errors. */
import { Form, Link } from "@remix-run/react";

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

export function SignedInBar({
  name,
  csrf,
  roles,
}: {
  name: string;
  csrf: string;
  roles: { role: string; organisationId: string | null }[];
}) {
  const label = (r: { role: string; organisationId: string | null }) =>
    `${r.role === "researcher" ? "forsker" : r.role === "editor" ? "redaktør" : "nasjonal administrator"}${r.organisationId ? ` ved ${r.organisationId}` : ""}`;
  const isEditor = roles.some((r) => r.role === "editor" || r.role === "admin");
  const isAdmin = roles.some((r) => r.role === "admin");
  return (
    <div className="signed-in-bar">
      <p>
        Innlogget som <strong>{name}</strong> ({roles.map(label).join(", ")}).
      </p>
      <nav aria-label="Forsker og redaksjon">
        <ul className="inline-list">
          <li>
            <Link to="/forsker/studier">Mine studier</Link>
          </li>
          {isEditor ? (
            <li>
              <Link to="/redaksjon">Redaksjon</Link>
            </li>
          ) : null}
          {isAdmin ? (
            <li>
              <Link to="/admin/kontoer">Kontoer</Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <Form method="post" action="/logg-ut">
        <CsrfField token={csrf} />
        <button type="submit">Logg ut</button>
      </Form>
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

export function ProblemList({ problems }: { problems: { field: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="problem-summary" role="alert">
      <h2>Endringen ble ikke lagret</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.field}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
