/** Helpers for the signed-in pages: who is signed in, the CSRF token, private headers, 403/404. */
import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb, type Db } from "#app/db.server";
import { langFromRequest, type Lang } from "#app/i18n/languages";
import { PRIVATE_HEADERS, requireUser, type CurrentUser } from "./auth.server";
import { csrfToken, requireCsrf } from "./csrf.server";
import { ForbiddenError } from "./policy";
import { NotFoundError } from "#app/models/study-work.server";

export interface SignedInPage {
  user: CurrentUser;
  csrf: string;
  headers: Headers;
}

/** The user (or a redirect to /logg-inn), a CSRF token for the page's forms, and private headers. */
export function signedInPage(request: Request): SignedInPage {
  const user = requireUser(request);
  const { token, setCookie } = csrfToken(request);
  const headers = new Headers(PRIVATE_HEADERS);
  if (setCookie) headers.append("Set-Cookie", setCookie);
  return { user, csrf: token, headers };
}

/**
 * The posted form, or a clear 400 when the body is not a form (JSON, empty, broken multipart):
 * `request.formData()` throws on those, which Remix would answer with a 500. server.ts's form
 * guard already refuses other content types before the body is read; this is the second line.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    throw new Response(
      `400 Ugyldig skjema: innholdet kunne ikke leses som et skjema (${(error as Error).message.slice(0, 200)}). ` +
        "Send skjemaet fra siden på Kliniske studier (application/x-www-form-urlencoded eller multipart/form-data).\n",
      { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } },
    );
  }
}

/**
 * The start of every signed-in form action, in this order: the user (or a redirect to sign in),
 * the posted form, and its CSRF token checked.
 */
export async function signedInForm(request: Request): Promise<{ user: CurrentUser; form: FormData }> {
  const user = requireUser(request);
  const form = await readForm(request);
  requireCsrf(request, form);
  return { user, form };
}

/** Model errors as HTTP answers: ForbiddenError → 403, NotFoundError → 404, with the reason. */
export function asHttpError(error: unknown): never {
  if (error instanceof ForbiddenError) {
    throw new Response(error.message, { status: 403, statusText: "Forbidden", headers: PRIVATE_HEADERS });
  }
  if (error instanceof NotFoundError) {
    throw new Response(error.message, { status: 404, statusText: "Not Found", headers: PRIVATE_HEADERS });
  }
  throw error;
}

export function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    return asHttpError(error);
  }
}

/** Private headers plus every Set-Cookie (and a Retry-After) from the loader, the action and an error. */
export const signedInHeaders: HeadersFunction = ({ loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers(PRIVATE_HEADERS);
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    for (const cookie of source?.getSetCookie?.() ?? []) headers.append("Set-Cookie", cookie);
    const retry = source?.get?.("Retry-After");
    if (retry) headers.set("Retry-After", retry);
  }
  return headers;
};

export function parseId(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,11}$/.test(value))
    throw new Response("Ukjent studie", { status: 404, headers: PRIVATE_HEADERS });
  return Number(value);
}

/**
 * The answer of a signed-in study page's loader (the researcher's page, the editor's review): who
 * is signed in (or a redirect), which study (or a 404), the page's one view builder with the
 * model's refusals as 403/404, and the CSRF token and private headers. Called from a `loader`
 * function, not used as one: a route's `export const loader = …(…)` would stay in the browser
 * bundle, calling a server module that is not there.
 */
export function signedInStudyPage<View extends object>(
  { request, params }: LoaderFunctionArgs,
  build: (db: Db, user: CurrentUser, id: number, lang: Lang, query: URLSearchParams) => View,
) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const query = new URL(request.url).searchParams;
  const view = guarded(() => build(getDb(), page.user, id, langFromRequest(request), query));
  return json({ user: page.user, csrf: page.csrf, ...view }, { headers: page.headers });
}
