/**
 * /nytt-passord?token=…: set a password with a one-time token (an invitation, or `npm run
 * user:reset-password`). Read with Conform + zod (app/forms/sign-in-form.ts): 12–1024 characters,
 * typed the same twice; each problem on its field in the page's language.
 */
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
import { resetPassword, userForResetToken } from "#app/auth/reset.server";
import { readForm, signedInHeaders } from "#app/auth/route.server";
import { getFormProps, useForm } from "@conform-to/react";
import { CsrfField } from "#app/components/SignedIn";
import { ErrorList, InputField } from "#app/components/forms";
import { parseNewPasswordForm } from "#app/forms/sign-in-form";
import type { MessageKey } from "#app/i18n/messages/nb";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

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
  const submission = parseNewPasswordForm(form);
  // Neither password comes back to the page.
  const hideFields = ["password", "repeat"];
  if (submission.status !== "success")
    return json({ reply: submission.reply({ hideFields }) }, { status: 400, headers: NO_REFERRER });
  const user = await resetPassword(getDb(), submission.value.token, submission.value.password);
  if (!user)
    return json(
      { reply: submission.reply({ formErrors: ["password.error.used"], hideFields }) },
      { status: 400, headers: NO_REFERRER },
    );
  return redirect(withLang("/logg-inn", langFromRequest(request)), { headers: NO_REFERRER });
}

export default function NewPassword() {
  const { csrf, token, valid, email } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslator();
  const tk = (key: string) => t(key as MessageKey);
  const [form, fields] = useForm<{ token: string; password: string; repeat: string }>({
    id: "nytt-passord",
    lastResult: data?.reply,
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <h1>{t("password.title")}</h1>
      {!valid ? (
        <p className="problem-summary" role="alert">
          {t("password.invalid")}
        </p>
      ) : (
        <Form method="post" className="auth-form" {...getFormProps(form)}>
          <p>{t("password.for", { email: email ?? "" })}</p>
          <CsrfField token={csrf} />
          <input type="hidden" name="token" value={token} />
          {form.errors?.length ? (
            <div className="problem-summary" role="alert">
              <ErrorList id={form.errorId} errors={form.errors.map(tk)} />
            </div>
          ) : null}
          {([fields.password, fields.repeat] as const).map((field, i) => (
            <InputField
              key={field.name}
              field={field}
              label={t(i === 0 ? "password.new" : "password.repeat")}
              type="password"
              errorText={tk}
              autoComplete="new-password"
              required
            />
          ))}
          <div>
            <button type="submit">{t("password.save")}</button>
          </div>
        </Form>
      )}
    </>
  );
}
