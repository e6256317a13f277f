/** Small pieces of the signed-in pages: the CSRF field, who is signed in, field errors. */
import { Form, Link } from "@remix-run/react";
import { useTranslator } from "#app/i18n/use-translator";
import { problemFieldLabel } from "#app/forms/field-label";
import { ErrorText } from "./fields";

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
  const { t, href } = useTranslator();
  const label = (r: { role: string; organisationId: string | null }) => {
    const role = t(
      r.role === "researcher"
        ? "signedIn.role.researcher"
        : r.role === "editor"
          ? "signedIn.role.editor"
          : "signedIn.role.admin",
    );
    return r.organisationId ? t("signedIn.role.at", { role, organisation: r.organisationId }) : role;
  };
  const isEditor = roles.some((r) => r.role === "editor" || r.role === "admin");
  const isAdmin = roles.some((r) => r.role === "admin");
  return (
    <div className="signed-in-bar">
      <p>
        {t("signedIn.as")} <strong>{name}</strong> ({roles.map(label).join(", ")}).
      </p>
      <nav aria-label={t("signedIn.nav")}>
        <ul className="inline-list">
          <li>
            <Link to={href("/forsker/studier")}>{t("signedIn.myStudies")}</Link>
          </li>
          {isEditor ? (
            <li>
              <Link to={href("/redaksjon")}>{t("signedIn.editorial")}</Link>
            </li>
          ) : null}
          {isAdmin ? (
            <li>
              <Link to={href("/admin/kontoer")}>{t("accounts.nav")}</Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <Form method="post" action={href("/logg-ut")}>
        <CsrfField token={csrf} />
        <button type="submit">{t("signedIn.signOut")}</button>
      </Form>
    </div>
  );
}

/** One field's problem (the plain ErrorText of ./fields.tsx with a single message). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return <ErrorText id={id} errors={message ? [message] : null} />;
}

/**
 * A model's problems with a change: each with the name people know its field by, in the page's
 * language; a problem about the whole study (or an internal field) is its sentence alone.
 */
export function ProblemList({ problems }: { problems: { field: string; message: string }[] }) {
  const tr = useTranslator();
  if (problems.length === 0) return null;
  return (
    <div className="problem-summary" role="alert">
      <h2>{tr.t("signedIn.notSaved")}</h2>
      <ul>
        {problems.map((p, i) => {
          const label = problemFieldLabel(p.field, tr);
          return <li key={i}>{label ? `${label}: ${p.message}` : p.message}</li>;
        })}
      </ul>
    </div>
  );
}
