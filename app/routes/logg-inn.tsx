/**
 * /logg-inn: e-mail + password (app/auth/auth.server.ts), rate-limited, with a CSRF token. The form
 * is read with Conform + zod (app/forms/sign-in-form.ts); problems on their fields in the page's
 * language, and one message for a wrong e-mail or password (never whether the account exists).
 */
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
import { getFormProps, useForm } from "@conform-to/react";
import { CsrfField } from "#app/components/SignedIn";
import { InputField } from "#app/components/forms";
import { parseSignInForm } from "#app/forms/sign-in-form";
import type { MessageKey } from "#app/i18n/messages/nb";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

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
  const submission = parseSignInForm(form);
  // The password never comes back to the page.
  const hideFields = ["password"];
  if (submission.status !== "success")
    return json({ reply: submission.reply({ hideFields }), waitMinutes: 0 }, { status: 400, headers: PRIVATE_HEADERS });
  const { email, password, til } = submission.value;
  const returnTo = askedReturnPath(til);
  const result = await signInWithPassword(getDb(), { email, password, client: requestClient(request, context) });
  if (!result.ok) {
    // One message whether or not the account exists.
    if (result.reason === "rate-limited") {
      return json(
        {
          reply: submission.reply({ formErrors: ["signIn.error.rateLimited"], hideFields }),
          waitMinutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)),
        },
        { status: 429, headers: { ...PRIVATE_HEADERS, "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return json(
      { reply: submission.reply({ formErrors: ["signIn.error.invalid"], hideFields }), waitMinutes: 0 },
      { status: 401, headers: PRIVATE_HEADERS },
    );
  }
  const headers = new Headers(PRIVATE_HEADERS);
  for (const c of result.setCookies) headers.append("Set-Cookie", c);
  return redirect(returnTo || withLang(homePath(result.user), langFromRequest(request)), { headers });
}

export default function SignIn() {
  const { csrf, returnTo } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, plural } = useTranslator();
  const [form, fields] = useForm<{ email: string; password: string; til: string }>({
    id: "logg-inn",
    lastResult: data?.reply,
    shouldRevalidate: "onInput",
  });
  const tk = (key: string) => t(key as MessageKey);
  const formErrors = (form.errors ?? []).map((key) =>
    key === "signIn.error.rateLimited" ? plural("signIn.error.rateLimited", data?.waitMinutes ?? 1) : tk(key),
  );
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.lead")}</p>
      {formErrors.length ? (
        <div className="problem-summary" role="alert" id={form.errorId}>
          <p>{formErrors.join(" ")}</p>
        </div>
      ) : null}
      <Form method="post" className="auth-form" {...getFormProps(form)}>
        <CsrfField token={csrf} />
        <input type="hidden" name="til" value={returnTo} />
        <InputField
          field={fields.email}
          label={t("signIn.email")}
          type="email"
          errorText={tk}
          autoComplete="username"
          required
        />
        <InputField
          field={fields.password}
          label={t("signIn.password")}
          type="password"
          errorText={tk}
          autoComplete="current-password"
          required
        />
        <div>
          <button type="submit">{t("signIn.submit")}</button>
        </div>
      </Form>
      <p>{t("signIn.forgot")}</p>
    </>
  );
}
