/** /logg-inn: e-mail + password (app/auth/auth.server.ts), rate-limited, with a CSRF token. */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import {
  getCurrentUser,
  PRIVATE_HEADERS,
  requestClient,
  safeReturnPath,
  signInWithPassword,
} from "#app/auth/auth.server";
import { csrfToken, requireCsrf } from "#app/auth/csrf.server";
import { homePath } from "#app/auth/policy";
import { readForm, signedInHeaders } from "#app/auth/route.server";
import { CsrfField, FieldError } from "#app/components/SignedIn";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("signIn.title")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

/** The page asked for (made safe), or "" for the person's own home (homePath, after sign-in). */
const askedReturnPath = (value: unknown): string =>
  typeof value === "string" && value !== "" ? safeReturnPath(value) : "";

export async function loader({ request }: LoaderFunctionArgs) {
  const returnTo = askedReturnPath(new URL(request.url).searchParams.get("til"));
  const user = getCurrentUser(request);
  if (user)
    throw redirect(returnTo || withLang(homePath(user), langFromRequest(request)), { headers: PRIVATE_HEADERS });
  const { token, setCookie } = csrfToken(request);
  const headers = new Headers(PRIVATE_HEADERS);
  if (setCookie) headers.append("Set-Cookie", setCookie);
  return json({ csrf: token, returnTo }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  requireCsrf(request, form);
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const returnTo = askedReturnPath(form.get("til"));
  const { t } = translator(langFromRequest(request));
  const errors: { email?: string; password?: string; form?: string } = {};
  if (!email) errors.email = t("signIn.error.email");
  if (!password) errors.password = t("signIn.error.password");
  if (errors.email || errors.password) return json({ errors, email }, { status: 400, headers: PRIVATE_HEADERS });
  const result = await signInWithPassword(getDb(), { email, password, client: requestClient(request, context) });
  if (!result.ok) {
    const formErrors: typeof errors = { form: result.message };
    if (result.reason === "rate-limited") {
      return json(
        { errors: formErrors, email },
        { status: 429, headers: { ...PRIVATE_HEADERS, "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return json({ errors: formErrors, email }, { status: 401, headers: PRIVATE_HEADERS });
  }
  const headers = new Headers(PRIVATE_HEADERS);
  for (const c of result.setCookies) headers.append("Set-Cookie", c);
  return redirect(returnTo || withLang(homePath(result.user), langFromRequest(request)), { headers });
}

export default function SignIn() {
  const { csrf, returnTo } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = data?.errors ?? {};
  const { t } = useTranslator();
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.lead")}</p>
      {errors.form ? (
        <div className="problem-summary" role="alert">
          <p>{errors.form}</p>
        </div>
      ) : null}
      <Form method="post" className="auth-form" noValidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="til" value={returnTo} />
        <div>
          <label htmlFor="email">{t("signIn.email")}</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={data?.email ?? ""}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-feil" : undefined}
          />
          <FieldError id="email-feil" message={errors.email} />
        </div>
        <div>
          <label htmlFor="password">{t("signIn.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-feil" : undefined}
          />
          <FieldError id="password-feil" message={errors.password} />
        </div>
        <div>
          <button type="submit">{t("signIn.submit")}</button>
        </div>
      </Form>
      <p>{t("signIn.forgot")}</p>
    </>
  );
}
