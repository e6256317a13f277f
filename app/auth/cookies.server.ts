/** The two cookies of the signed-in part of the portal, and nothing else sets cookies. */
import { getConfig } from "../config.server";

export const SESSION_COOKIE = "ks_session";
export const CSRF_COOKIE = "ks_csrf";

export function readCookie(request: Request, name: string): string | null {
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
  const secure = new URL(getConfig().BASE_URL).protocol === "https:";
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (maxAgeSeconds !== null) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(name: string): string {
  return serializeCookie(name, "", 0);
}
