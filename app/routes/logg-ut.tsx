/** /logg-ut: POST (with CSRF) ends the session in the database and clears the cookies. */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getCurrentUser, PRIVATE_HEADERS, signOut } from "#app/auth/auth.server";
import { csrfToken, requireCsrf } from "#app/auth/csrf.server";
import { readForm, signedInHeaders } from "#app/auth/route.server";
import { CsrfField } from "#app/components/SignedIn";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("signOut.title")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = getCurrentUser(request) !== null;
  const { token, setCookie } = csrfToken(request);
  const headers = new Headers(PRIVATE_HEADERS);
  if (setCookie && signedIn) headers.append("Set-Cookie", setCookie);
  return json({ csrf: token, signedIn }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  requireCsrf(request, form);
  const headers = new Headers(PRIVATE_HEADERS);
  for (const c of signOut(request)) headers.append("Set-Cookie", c);
  return redirect(withLang("/logg-ut?ferdig=1", langFromRequest(request)), { headers });
}

export default function SignOut() {
  const { csrf, signedIn } = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  return (
    <>
      <h1>{t("signOut.title")}</h1>
      {signedIn ? (
        <Form method="post" className="auth-form">
          <CsrfField token={csrf} />
          <button type="submit">{t("signOut.title")}</button>
        </Form>
      ) : (
        <p className="notice" role="status">
          {t("signOut.done")} <a href={href("/logg-inn")}>{t("signOut.again")}</a>
        </p>
      )}
    </>
  );
}
