/**
 * CSRF protection for every form of the signed-in part: a signed double-submit token.
 *
 * The token is random and lives in an HttpOnly cookie signed with SESSION_SECRET (so a cookie
 * planted from elsewhere is refused); each form carries the same token in a hidden field
 * (`csrf`). A POST is accepted only when the field equals the cookie's token, compared in
 * constant time, and, when the browser sends an Origin header, the origin is this server.
 * Cross-site pages can neither read the cookie nor the form, so they cannot supply the field;
 * SameSite=Lax on the session cookie is a second line. The token is rotated at sign-in.
 */
import { getConfig } from "../config.server";
import { clearCookie, CSRF_COOKIE, readCookie, serializeCookie } from "./cookies.server";
import { randomToken, safeEqual, sign, unsign } from "./tokens.server";

export const CSRF_FIELD = "csrf";
const PURPOSE = "csrf";

export interface CsrfToken {
  token: string;
  /** Set-Cookie to send when the token is new (the page must send it, or the form will fail). */
  setCookie: string | null;
}

/** The request's token, or a new one with the cookie that carries it. */
export function csrfToken(request: Request): CsrfToken {
  const existing = readCookie(request, CSRF_COOKIE);
  const token = existing ? unsign(getConfig().SESSION_SECRET, PURPOSE, existing) : null;
  if (token) return { token, setCookie: null };
  return freshCsrfToken();
}

export function freshCsrfToken(): CsrfToken {
  const token = randomToken();
  return { token, setCookie: serializeCookie(CSRF_COOKIE, sign(getConfig().SESSION_SECRET, PURPOSE, token), null) };
}

export function clearCsrfCookie(): string {
  return clearCookie(CSRF_COOKIE);
}

export class CsrfError extends Error {
  readonly status = 403;
  constructor(reason: string) {
    super(`CSRF check failed: ${reason}`);
    this.name = "CsrfError";
  }
}

type HeaderGetter = { get(name: string): string | null };

/**
 * Why an unsafe request's Origin says it comes from another site, or null. `Origin: null` is not
 * "another site": Chromium sends it for our own forms, because every page says
 * `<meta name="referrer" content="no-referrer">` — it tells nothing, so the signed token decides.
 * The host compared is the first X-Forwarded-Host (a proxy's) or Host, as Remix compares it.
 */
export function foreignOriginProblem(headers: HeaderGetter): string | null {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return null;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
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
  const cookie = readCookie(request, CSRF_COOKIE);
  if (!cookie) return "no CSRF cookie (cookies must be allowed for this page)";
  const token = unsign(getConfig().SESSION_SECRET, PURPOSE, cookie);
  if (!token) return "the CSRF cookie is not signed by this server";
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
 * The one place that refuses cross-site writes before they reach Remix (server.ts mounts it in
 * front of the request handler). Without it Remix's own Origin/Host check throws inside its
 * document handler and answers an empty 500 — for a forged form, and also for our own forms
 * without JavaScript, whose Origin is "null" (see foreignOriginProblem). Here a foreign Origin is
 * a clear 403, and "null" is dropped so that the action's requireCsrf (the signed token) decides.
 * `/api/` is left alone: the ingest API authenticates with bearer tokens, not cookies, and
 * answers its own JSON errors.
 */
export function crossSiteGuard(
  req: { method: string; path: string; headers: Record<string, string | string[] | undefined> },
  res: { status(code: number): { type(t: string): { set(h: Record<string, string>): { send(body: string): unknown } } } },
  next: () => void,
): void {
  if (!UNSAFE.has(req.method) || req.path.startsWith("/api/")) return next();
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
  res.status(403).type("text/plain; charset=utf-8").set({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" }).send(body);
}
