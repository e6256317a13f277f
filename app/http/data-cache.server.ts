/**
 * Cache-Control for Remix data requests (`/pasient.data?…`, single fetch): the pages' loader
 * data, fetched by the browser on client navigations and by the live refresh of open pages
 * (use-live-updates). A page's `headers` apply to both, so without this the data would carry the
 * documents' `max-age=30, stale-while-revalidate=60` and a live refresh within that time would be
 * answered from the browser's (or a shared) cache with the data from before the change.
 * Documents keep their short public caching; data may be stored but must be revalidated.
 */
import type { HandleDataRequestFunction } from "@remix-run/node";
import { PUBLIC_PAGE_CACHE_CONTROL } from "./cache-headers";

export const PUBLIC_DATA_CACHE_CONTROL = "public, no-cache";

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  if (response.headers.get("Cache-Control") === PUBLIC_PAGE_CACHE_CONTROL)
    response.headers.set("Cache-Control", PUBLIC_DATA_CACHE_CONTROL);
  return response;
};
