/**
 * Authentication: the one module routes use to know who is signed in (docs/decisions/0007-authentication.md).
 *
 * Routes only call `getCurrentUser`, `requireUser`, `signOut` and, on /logg-inn, the password
 * sign-in. Replacing e-mail + password with HelseID (OpenID Connect) means a new sign-in route
 * (redirect to HelseID, callback that validates the ID token and finds the user) that calls
 * `startSession` — sessions, roles, CSRF and authorisation stay as they are.
 */
import { redirect } from "@remix-run/node";
import type { Db } from "#app/db.server";
import { getDb } from "#app/db.server";
import { getConfig } from "#app/config.server";
import { langFromSearch, withLang } from "#app/i18n/languages";
import { clientKey } from "#app/api/rate-limit";
import {
  completeSignInAttempt,
  findUserByEmail,
  insertSession,
  reserveSignInAttempt,
  revokeSession,
  sessionUser,
  type UserRecord,
} from "#app/models/user.server";
import { signInLimitDecision, SIGN_IN_LIMITS } from "#app/domain/sign-in-limit";
import { clearCookie, readCookie, serializeCookie, sessionCookieName } from "./cookies.server";
import { clearCsrfCookie, freshCsrfToken } from "./csrf.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";
import type { Principal } from "./policy";
import { randomToken, sha256Hex, sign, unsign } from "./tokens.server";

/** A session lasts 8 hours from sign-in (one working day), then the user signs in again. */
export const SESSION_HOURS = 8;
/** The sign-in limits (app/domain/sign-in-limit.ts): per e-mail from one client, per client, and a back-off per e-mail. */
export const RATE_LIMIT = SIGN_IN_LIMITS;

const PURPOSE = "session";

export type CurrentUser = Principal;

function toPrincipal(user: UserRecord): CurrentUser {
  return { id: user.id, name: user.name, email: user.email, roles: user.roles };
}

function sessionIdOf(request: Request): string | null {
  const cookie = readCookie(request, sessionCookieName());
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
    // The sign-in page in the language of the page asked for (the return path keeps it too).
    const signIn = withLang(
      `/logg-inn?til=${encodeURIComponent(url.pathname + url.search)}`,
      langFromSearch(url.search),
    );
    throw redirect(signIn, {
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
  const cookieValue = sign(getConfig().SESSION_SECRET, PURPOSE, id);
  // The new CSRF token is bound to the new session cookie (app/auth/csrf.server.ts).
  return [
    serializeCookie(sessionCookieName(), cookieValue, SESSION_HOURS * 3600),
    freshCsrfToken(cookieValue).setCookie!,
  ];
}

/** Ends the request's session (in the database, not only in the browser): Set-Cookie headers. */
export function signOut(request: Request, db: Db = getDb(), now = new Date()): string[] {
  const id = sessionIdOf(request);
  if (id) revokeSession(db, sha256Hex(id), now);
  return [clearCookie(sessionCookieName()), clearCsrfCookie()];
}

export type SignInResult =
  | { ok: true; user: CurrentUser; setCookies: string[] }
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "rate-limited"; message: string; retryAfterSeconds: number };

export function requestClient(request: Request, context: unknown): string | null {
  const remote = (context as { remoteAddress?: unknown } | null | undefined)?.remoteAddress;
  return clientKey(request.headers, typeof remote === "string" ? remote : null, getConfig().TRUST_PROXY_HOPS);
}

/**
 * E-mail + password sign-in with the rate limit. Never says whether the e-mail exists.
 *
 * The attempt is *reserved* (written as a failure) in the same synchronous transaction that
 * checks the limits, before the password hash runs; only a right password turns it into a
 * success afterwards. So 150 simultaneous posts cannot all pass the check while the first hashes
 * are still running: at most the limit's number are ever hashed, and the rest are 429 at once.
 */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; client: string | null },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const reservation = reserveSignInAttempt(
    db,
    email,
    input.client,
    now,
    (counts) => signInLimitDecision(counts, now),
    RATE_LIMIT.windowMinutes,
  );
  if (!reservation.ok) {
    const wait = Math.max(1, Math.ceil(reservation.retryAfterSeconds / 60));
    return {
      ok: false,
      reason: "rate-limited",
      retryAfterSeconds: reservation.retryAfterSeconds,
      message: `For mange mislykkede innlogginger. Vent ${wait} ${wait === 1 ? "minutt" : "minutter"} og prøv igjen, eller be en administrator om å tilbakestille passordet.`,
    };
  }
  const user = findUserByEmail(db, email);
  const ok =
    user && user.passwordHash && !user.disabled
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyAgainstNothing(input.password);
  if (ok) completeSignInAttempt(db, reservation.attemptId);
  if (!ok || !user) return { ok: false, reason: "invalid", message: "Feil e-postadresse eller passord." };
  return { ok: true, user: toPrincipal(user), setCookies: startSession(db, user.id, now) };
}

/**
 * A same-site path to go to after sign-in (never another host).
 *
 * Decided on the *normalised* path, the one the Location header will carry: "/.//evil.example",
 * "/..//evil.example" and "/a/..//evil.example/x" all normalise to "//evil.example…", which a
 * browser reads as another host. Refused: anything not starting with one "/", "//" and "/\\"
 * before or after normalising (also percent-encoded), every control character (browsers drop
 * tabs and newlines from URLs: "/\t/evil.example" is "//evil.example") and backslash, schemes
 * ("https:evil", "javascript:…"). The answer is the parsed path (percent-encoded): a header value
 * cannot hold "🙂" or "Ā" as they are.
 */
export function safeReturnPath(value: unknown, fallback = "/forsker/studier"): string {
  if (typeof value !== "string" || value.length > 2048 || !value.startsWith("/") || value.startsWith("//"))
    return fallback;
  // eslint-disable-next-line no-control-regex
  const unsafe = /[\u0000-\u001f\u007f\\]/;
  if (unsafe.test(value)) return fallback;
  const base = new URL("http://same.invalid");
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return fallback;
  }
  if (/^\/[/\\]/.test(path) || /^\/[/\\]/.test(decoded) || unsafe.test(decoded)) return fallback;
  const answer = path + url.search + url.hash;
  // The answer read again (as a browser reads Location) must still be this site.
  return new URL(answer, base).origin === base.origin ? answer : fallback;
}

/** Headers for every signed-in page: never cached, never shared. */
export const PRIVATE_HEADERS = {
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
};
