/** /nytt-passord?token=…: set a password with a one-time token from `npm run user:reset-password`. */
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { PRIVATE_HEADERS } from "#app/auth/auth.server";
import { csrfToken, requireCsrf } from "#app/auth/csrf.server";
import { passwordProblem } from "#app/auth/password.server";
import { resetPassword, userForResetToken } from "#app/auth/reset.server";
import { readForm, signedInHeaders } from "#app/auth/route.server";
import { CsrfField, FieldError } from "#app/components/SignedIn";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("password.title")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
// The token is in the address: never send it on, not even to our own pages (signedInHeaders says
// "same-origin"; this page, its errors and its answers say "no-referrer").
export const headers: HeadersFunction = (args) => {
  const h = signedInHeaders(args) as Headers;
  h.set("Referrer-Policy", "no-referrer");
  return h;
};

const NO_REFERRER = { ...PRIVATE_HEADERS, "Referrer-Policy": "no-referrer" };

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const user = token ? userForResetToken(getDb(), token) : null;
  const csrf = csrfToken(request);
  const headers = new Headers(NO_REFERRER);
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  return json({ csrf: csrf.token, token, valid: user !== null, email: user?.email ?? null }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  requireCsrf(request, form);
  const token = String(form.get("token") ?? "");
  const password = String(form.get("password") ?? "");
  const repeat = String(form.get("repeat") ?? "");
  const lang = langFromRequest(request);
  const { t } = translator(lang);
  const problem = passwordProblem(password) ?? (password !== repeat ? t("password.error.different") : null);
  if (problem) return json({ error: problem }, { status: 400, headers: NO_REFERRER });
  const user = await resetPassword(getDb(), token, password);
  if (!user) return json({ error: t("password.error.used") }, { status: 400, headers: NO_REFERRER });
  return redirect(withLang("/logg-inn", lang), { headers: NO_REFERRER });
}

export default function NewPassword() {
  const { csrf, token, valid, email } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslator();
  return (
    <>
      <h1>{t("password.title")}</h1>
      {!valid ? (
        <p className="problem-summary" role="alert">
          {t("password.invalid")}
        </p>
      ) : (
        <Form method="post" className="auth-form" noValidate>
          <p>{t("password.for", { email: email ?? "" })}</p>
          <CsrfField token={csrf} />
          <input type="hidden" name="token" value={token} />
          <div>
            <label htmlFor="password">{t("password.new")}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby={data?.error ? "pw-feil" : undefined}
            />
          </div>
          <div>
            <label htmlFor="repeat">{t("password.repeat")}</label>
            <input id="repeat" name="repeat" type="password" autoComplete="new-password" required />
          </div>
          <FieldError id="pw-feil" message={data?.error} />
          <div>
            <button type="submit">{t("password.save")}</button>
          </div>
        </Form>
      )}
    </>
  );
}
