/**
 * CSRF protection for every form of the signed-in part: a signed double-submit token, bound to
 * the session.
 *
 * The token is random and lives in an HttpOnly cookie signed with SESSION_SECRET over the token
 * *and the session cookie it was issued with* (a hash of the session cookie's value; "" before
 * sign-in). Each form carries the same token in a hidden field (`csrf`). A POST is accepted only
 * when the cookie's signature holds for the request's own session cookie, the field equals the
 * cookie's token (constant time), and, when the browser sends an Origin header, the origin is this
 * server. So a token (or a whole CSRF cookie) taken from one session — someone's own, planted into
 * a victim's browser — is refused in any other session. Cross-site pages can neither read the
 * cookie nor the form; SameSite=Lax on the session cookie is a second line; over https the
 * `__Host-` prefix (cookies.server.ts) stops a sibling sub-domain from planting either cookie.
 * The token is rotated at sign-in (bound to the new session) and cleared at sign-out.
 */
import { getConfig } from "#app/config.server";
import { clearCookie, csrfCookieName, readCookie, serializeCookie, sessionCookieName } from "./cookies.server";
import { randomToken, safeEqual, sha256Hex, sign, unsign } from "./tokens.server";

export const CSRF_FIELD = "csrf";
const PURPOSE = "csrf";

type HeaderGetter = { get(name: string): string | null };

/** What a CSRF cookie is bound to: a hash of the session cookie's raw value ("" when none). */
function bindingOf(sessionCookieValue: string | null): string {
  return sessionCookieValue ? sha256Hex(sessionCookieValue) : "";
}

const purposeFor = (binding: string) => `${PURPOSE}\u0000${binding}`;

/** The token of a request's CSRF cookie when it is ours and bound to the request's session cookie. */
function tokenOf(headers: HeaderGetter): { token: string | null; cookie: boolean } {
  const cookie = readCookie({ headers }, csrfCookieName());
  if (!cookie) return { token: null, cookie: false };
  const binding = bindingOf(readCookie({ headers }, sessionCookieName()));
  return { token: unsign(getConfig().SESSION_SECRET, purposeFor(binding), cookie), cookie: true };
}

export interface CsrfToken {
  token: string;
  /** Set-Cookie to send when the token is new (the page must send it, or the form will fail). */
  setCookie: string | null;
}

/** The request's token, or a new one with the cookie that carries it. */
export function csrfToken(request: Request): CsrfToken {
  const { token } = tokenOf(request.headers);
  if (token) return { token, setCookie: null };
  return freshCsrfToken(readCookie(request, sessionCookieName()));
}

/**
 * A new token bound to a session cookie's raw value (as the browser will send it back; null before
 * sign-in), with the Set-Cookie that carries it.
 */
export function freshCsrfToken(sessionCookieValue: string | null = null): CsrfToken {
  const token = randomToken();
  const signed = sign(getConfig().SESSION_SECRET, purposeFor(bindingOf(sessionCookieValue)), token);
  return { token, setCookie: serializeCookie(csrfCookieName(), signed, null) };
}

export function clearCsrfCookie(): string {
  return clearCookie(csrfCookieName());
}

/**
 * Why the request's CSRF cookie cannot pass, judged from the headers alone (before the body is
 * read: server.ts's form guard refuses a form without it at once), or null.
 */
export function csrfCookieProblem(headers: HeaderGetter): string | null {
  const { token, cookie } = tokenOf(headers);
  if (!cookie) return "no CSRF cookie (cookies must be allowed for this page)";
  if (!token) return "the CSRF cookie is not signed by this server for this session";
  return null;
}

export class CsrfError extends Error {
  readonly status = 403;
  constructor(reason: string) {
    super(`CSRF check failed: ${reason}`);
    this.name = "CsrfError";
  }
}

/**
 * Why an unsafe request's Origin says it comes from another site, or null. `Origin: null` is not
 * "another site": Chromium sends it for our own forms, because every page says
 * `<meta name="referrer" content="no-referrer">` — it tells nothing, so the signed token decides.
 * The host compared is Host, or the first X-Forwarded-Host only when a trusted proxy is in front
 * (TRUST_PROXY_HOPS > 0): without one, anybody can send that header (server.ts also drops it).
 */
export function foreignOriginProblem(headers: HeaderGetter): string | null {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return null;
  const forwarded = getConfig().TRUST_PROXY_HOPS > 0 ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : null;
  const host = forwarded || headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `the Origin header is not a URL (${origin})`;
  }
  if (!host || originHost !== host) return `the form was sent from another site (${origin})`;
  return null;
}

/** Why the request fails the CSRF check, or null when it passes. */
export function csrfProblem(request: Request, form: FormData): string | null {
  const foreign = foreignOriginProblem(request.headers);
  if (foreign) return foreign;
  const cookieProblem = csrfCookieProblem(request.headers);
  if (cookieProblem) return cookieProblem;
  const token = tokenOf(request.headers).token!;
  const field = form.get(CSRF_FIELD);
  if (typeof field !== "string" || field === "") return "the form has no CSRF token";
  if (!safeEqual(field, token)) return "the form's CSRF token does not match";
  return null;
}

const refusalText = (problem: string) =>
  `Skjemaet ble avvist av sikkerhetshensyn (${problem}). Last siden på nytt og prøv igjen.`;

/** Throws a 403 response when the form fails the check. Call first in every action. */
export function requireCsrf(request: Request, form: FormData): void {
  const problem = csrfProblem(request, form);
  if (problem) {
    throw new Response(refusalText(problem), {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The path as the WHATWG URL parser (and so Remix, which routes `new URL(req.url)`) reads it:
 * dot segments, also percent-encoded ones (`%2e%2e`), resolved. Every guard decides on this.
 */
export function normalisedPath(rawUrl: string): string {
  try {
    // The same construction as @remix-run/express (origin + originalUrl), so the same answer.
    return new URL(`http://portal.invalid${rawUrl.startsWith("/") ? "" : "/"}${rawUrl}`).pathname;
  } catch {
    return "/";
  }
}

/** The bearer-token API (and the live events under it): not cookie forms. */
export function isApiPath(normalised: string): boolean {
  return normalised === "/api" || normalised.startsWith("/api/");
}

/**
 * The one place that refuses cross-site writes before they reach Remix (server.ts mounts it in
 * front of the request handler). Without it Remix's own Origin/Host check throws inside its
 * document handler and answers an empty 500 — for a forged form, and also for our own forms
 * without JavaScript, whose Origin is "null" (see foreignOriginProblem). Here a foreign Origin is
 * a clear 403, and "null" is dropped so that the action's requireCsrf (the signed token) decides.
 * `/api/` is left alone: the ingest API authenticates with bearer tokens, not cookies, and
 * answers its own JSON errors. The path decided on is the *normalised* one, as Remix routes it
 * (`/api/%2e%2e/logg-inn` is `/logg-inn`), never the raw text.
 */
export function crossSiteGuard(
  req: { method: string; path: string; originalUrl?: string; headers: Record<string, string | string[] | undefined> },
  res: {
    status(code: number): { type(t: string): { set(h: Record<string, string>): { send(body: string): unknown } } };
  },
  next: () => void,
): void {
  if (!UNSAFE.has(req.method) || isApiPath(normalisedPath(req.originalUrl ?? req.path))) return next();
  const one = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  };
  if (one("origin") === "null") {
    delete req.headers.origin;
    return next();
  }
  const problem = foreignOriginProblem({ get: one });
  if (!problem) return next();
  const body =
    `403 Avvist: skjemaet ble sendt fra et annet nettsted (Origin: ${one("origin")}), ikke fra Kliniske studier. ` +
    "Ingenting er lagret. Åpne skjemaet på Kliniske studier og send det derfra.\n";
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .set({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" })
    .send(body);
}
