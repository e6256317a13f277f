/**
 * Authentication: the one module routes use to know who is signed in (docs/decisions/0007-authentication.md).
 *
 * Routes only call `getCurrentUser`, `requireUser`, `signOut` and, on /logg-inn, the password
 * sign-in. Replacing e-mail + password with HelseID (OpenID Connect) means a new sign-in route
 * (redirect to HelseID, callback that validates the ID token and finds the user) that calls
 * `startSession` — sessions, roles, CSRF and authorisation stay as they are.
 */
import { redirect } from "@remix-run/node";
import type { Db } from "../db.server";
import { getDb } from "../db.server";
import { getConfig } from "../config.server";
import { clientKey } from "../api/rate-limit";
import {
  failedSignInsSince,
  findUserByEmail,
  insertSession,
  recordSignInAttempt,
  revokeSession,
  sessionUser,
  type UserRecord,
} from "../models/user.server";
import { clearCookie, readCookie, serializeCookie, SESSION_COOKIE } from "./cookies.server";
import { clearCsrfCookie, freshCsrfToken } from "./csrf.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";
import type { Principal } from "./policy";
import { randomToken, sha256Hex, sign, unsign } from "./tokens.server";

/** A session lasts 8 hours from sign-in (one working day), then the user signs in again. */
export const SESSION_HOURS = 8;
/** Rate limit: at most 5 failed sign-ins per e-mail and 20 per client address in 15 minutes. */
export const RATE_LIMIT = { windowMinutes: 15, perEmail: 5, perClient: 20 } as const;

const PURPOSE = "session";

export type CurrentUser = Principal;

function toPrincipal(user: UserRecord): CurrentUser {
  return { id: user.id, name: user.name, email: user.email, roles: user.roles };
}

function sessionIdOf(request: Request): string | null {
  const cookie = readCookie(request, SESSION_COOKIE);
  return cookie ? unsign(getConfig().SESSION_SECRET, PURPOSE, cookie) : null;
}

export function getCurrentUser(request: Request, db: Db = getDb(), now = new Date()): CurrentUser | null {
  const id = sessionIdOf(request);
  if (!id) return null;
  const user = sessionUser(db, sha256Hex(id), now);
  return user ? toPrincipal(user) : null;
}

/** The signed-in user, or a redirect to /logg-inn that comes back here afterwards. */
export function requireUser(request: Request, db: Db = getDb()): CurrentUser {
  const user = getCurrentUser(request, db);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/logg-inn?til=${encodeURIComponent(url.pathname + url.search)}`, {
      headers: { "Cache-Control": "no-store" },
    });
  }
  return user;
}

/** Starts a session for a user: the Set-Cookie headers (session + a fresh CSRF token). */
export function startSession(db: Db, userId: number, now = new Date()): string[] {
  const id = randomToken();
  const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  insertSession(db, sha256Hex(id), userId, now, expires);
  return [serializeCookie(SESSION_COOKIE, sign(getConfig().SESSION_SECRET, PURPOSE, id), SESSION_HOURS * 3600), freshCsrfToken().setCookie!];
}

/** Ends the request's session (in the database, not only in the browser): Set-Cookie headers. */
export function signOut(request: Request, db: Db = getDb(), now = new Date()): string[] {
  const id = sessionIdOf(request);
  if (id) revokeSession(db, sha256Hex(id), now);
  return [clearCookie(SESSION_COOKIE), clearCsrfCookie()];
}

export type SignInResult =
  | { ok: true; user: CurrentUser; setCookies: string[] }
  | { ok: false; reason: "invalid" | "rate-limited"; message: string };

export function requestClient(request: Request, context: unknown): string | null {
  const remote = (context as { remoteAddress?: unknown } | null | undefined)?.remoteAddress;
  return clientKey(request.headers, typeof remote === "string" ? remote : null, getConfig().TRUST_PROXY_HOPS);
}

/** E-mail + password sign-in with the rate limit. Never says whether the e-mail exists. */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; client: string | null },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - RATE_LIMIT.windowMinutes * 60_000);
  const failed = failedSignInsSince(db, email, input.client, since);
  if (failed.email >= RATE_LIMIT.perEmail || failed.client >= RATE_LIMIT.perClient) {
    return {
      ok: false,
      reason: "rate-limited",
      message: `For mange mislykkede innlogginger. Vent ${RATE_LIMIT.windowMinutes} minutter og prøv igjen, eller be en administrator om å tilbakestille passordet.`,
    };
  }
  const user = findUserByEmail(db, email);
  const ok =
    user && user.passwordHash && !user.disabled ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstNothing(input.password);
  recordSignInAttempt(db, email, input.client, ok, now);
  if (!ok || !user) return { ok: false, reason: "invalid", message: "Feil e-postadresse eller passord." };
  return { ok: true, user: toPrincipal(user), setCookies: startSession(db, user.id, now) };
}

/** A same-site path to go to after sign-in (never another host). */
export function safeReturnPath(value: unknown, fallback = "/forsker/studier"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Browsers drop tabs and newlines from URLs ("/\t/evil.example" is "//evil.example"), and a
  // newline in the Location header would make the redirect itself fail: refuse every control
  // character and backslash, then check what a URL parser makes of the rest. The answer is the
  // parsed path (percent-encoded): a header value cannot hold "🙂" or "Ā" as they are.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  const base = new URL("http://same.invalid");
  const url = new URL(value, base);
  if (url.origin !== base.origin) return fallback;
  return url.pathname + url.search + url.hash;
}

/** Headers for every signed-in page: never cached, never shared. */
export const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff" };
