/**
 * The two cookies of the signed-in part of the portal, and nothing else sets cookies.
 *
 * Names: when the portal is served over https (BASE_URL https://…) the cookies are Secure and
 * carry the `__Host-` prefix (`__Host-ks_session`, `__Host-ks_csrf`): a browser then accepts them
 * only from this exact host, over https, with Path=/ and no Domain, so a sibling sub-domain cannot
 * plant or overwrite them. Over plain http (a developer's http://localhost, the test and e2e
 * servers) a browser drops a `__Host-` cookie because it cannot be Secure, so the names are the
 * plain `ks_session` / `ks_csrf` there (docs/security.md, "Cookies").
 */
import { getConfig } from "#app/config.server";

const SESSION_NAME = "ks_session";
const CSRF_NAME = "ks_csrf";
const HOST_PREFIX = "__Host-";

/** True when the portal is served over https (BASE_URL): Secure cookies with the `__Host-` prefix. */
export function cookiesAreSecure(): boolean {
  return new URL(getConfig().BASE_URL).protocol === "https:";
}

export function sessionCookieName(): string {
  return cookiesAreSecure() ? HOST_PREFIX + SESSION_NAME : SESSION_NAME;
}

export function csrfCookieName(): string {
  return cookiesAreSecure() ? HOST_PREFIX + CSRF_NAME : CSRF_NAME;
}

type HeaderGetter = { get(name: string): string | null };

/** A cookie's value from a Cookie header (a Request or any object with get("cookie")). */
export function readCookie(request: Request | { headers: HeaderGetter }, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** HttpOnly, SameSite=Lax, Path=/, Secure when the portal is served over https (BASE_URL). */
export function serializeCookie(name: string, value: string, maxAgeSeconds: number | null): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (maxAgeSeconds !== null) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (cookiesAreSecure()) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(name: string): string {
  return serializeCookie(name, "", 0);
}
