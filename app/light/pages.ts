/**
 * The light pages (issue 24, docs/decisions/0017-light-patient-pages.md): the front page and the
 * patient pages are rendered on the server and not hydrated — no React or Remix in the browser —
 * so a phone loads their HTML, the stylesheet and at most the small framework-free script
 * (./patient-page.ts). Their routes say so with `handle = LIGHT_PAGE` (root.tsx reads it); the
 * hydrated pages use `isLightPath` to reach them with a full page load, never a client-side
 * navigation (app/entry.client.tsx).
 */

export interface PageHandle {
  /** false: render on the server only, no React in the browser. */
  hydrate?: boolean;
  /** Load the light script (live search and live updates without React). */
  lightScript?: boolean;
}

/** A light page without script (the front page: links and numbers only). */
export const LIGHT_PAGE: PageHandle = { hydrate: false };
/** A light page with the light script (the patient search and study pages). */
export const LIGHT_PAGE_WITH_SCRIPT: PageHandle = { hydrate: false, lightScript: true };

/** Whether a path is one of the light pages: "/", "/pasient", "/pasient/studier/:id". */
export function isLightPath(pathname: string): boolean {
  return /^\/(?:pasient(?:\/studier\/[^/]+)?\/?)?$/.test(pathname);
}

/** Whether the matched routes ask for hydration (any route may opt out with `hydrate: false`). */
export function wantsHydration(handles: readonly unknown[]): boolean {
  return !handles.some((h) => (h as PageHandle | undefined)?.hydrate === false);
}

export function wantsLightScript(handles: readonly unknown[]): boolean {
  return handles.some((h) => (h as PageHandle | undefined)?.lightScript === true);
}

/**
 * The patient search's result count ("12 studier …"), the first visible line of the results. Search forms send to `/pasient#treff`, so a search lands
 * on its results (with or without JavaScript) instead of ~1,200 px above them on a phone; the
 * light script also moves the focus there.
 */
export const PATIENT_RESULTS_ID = "treff";
