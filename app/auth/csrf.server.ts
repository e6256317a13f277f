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

/** Why the request fails the CSRF check, or null when it passes. */
export function csrfProblem(request: Request, form: FormData): string | null {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      return "the Origin header is not a URL";
    }
    if (!host || originHost !== host) return `the form was sent from another site (${origin})`;
  }
  const cookie = readCookie(request, CSRF_COOKIE);
  if (!cookie) return "no CSRF cookie (cookies must be allowed for this page)";
  const token = unsign(getConfig().SESSION_SECRET, PURPOSE, cookie);
  if (!token) return "the CSRF cookie is not signed by this server";
  const field = form.get(CSRF_FIELD);
  if (typeof field !== "string" || field === "") return "the form has no CSRF token";
  if (!safeEqual(field, token)) return "the form's CSRF token does not match";
  return null;
}

/** Throws a 403 response when the form fails the check. Call first in every action. */
export function requireCsrf(request: Request, form: FormData): void {
  const problem = csrfProblem(request, form);
  if (problem) {
    throw new Response(`Skjemaet ble avvist av sikkerhetshensyn (${problem}). Last siden på nytt og prøv igjen.`, {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
}
