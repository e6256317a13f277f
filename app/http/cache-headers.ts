/**
 * Cache-Control for public pages. Pages are the same for everyone (no cookies, no sign-in; the
 * language is in the URL), so shared caches may keep them, but only briefly: status is derived
 * from dates at request time and a change at a hospital must show within a minute or so.
 */
import type { HeadersFunction } from "@remix-run/node";

export const PUBLIC_PAGE_CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60";

export const publicPageHeaders: HeadersFunction = () => ({
  "Cache-Control": PUBLIC_PAGE_CACHE_CONTROL,
  // Nothing from these pages is sent to other sites when a link is followed.
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
});
