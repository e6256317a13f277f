/** /logg-ut: POST (with CSRF) ends the session in the database and clears the cookies. */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getCurrentUser, PRIVATE_HEADERS, signOut } from "#app/auth/auth.server";
import { csrfToken, requireCsrf } from "#app/auth/csrf.server";
import { readForm, signedInHeaders } from "#app/auth/route.server";
import { CsrfField } from "#app/components/SignedIn";

export const meta: MetaFunction = () => [
  { title: "Logg ut – Kliniske studier" },
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
  return redirect("/logg-ut?ferdig=1", { headers });
}

export default function SignOut() {
  const { csrf, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Logg ut</h1>
      {signedIn ? (
        <Form method="post" className="auth-form">
          <CsrfField token={csrf} />
          <button type="submit">Logg ut</button>
        </Form>
      ) : (
        <p className="notice" role="status">
          Du er logget ut. <a href="/logg-inn">Logg inn igjen</a>
        </p>
      )}
    </>
  );
}
