/**
 * The light patient pages' only script (issue 24, docs/decisions/0017-light-patient-pages.md):
 * what the React hooks do on the hydrated pages (use-live-search.ts, use-live-updates.ts), without
 * React or Remix, in a few KB. The page works without it; with it:
 *
 * - Search (a form with `data-live-search`): the results follow the typing. A moment after the
 *   last keystroke the page's own URL with the tidy query is fetched as HTML and the parts marked
 *   `data-live-part` (the problem summary, the results) and each field's messages are replaced;
 *   the inputs are never replaced, so focus and the caret stay; the address is replaced, not
 *   pushed, so Back leaves the search. An explicit submit loads the tidy address as a new page.
 * - Live updates: the page follows the event stream (GET /api/v1/events) and, when a relevant
 *   study changes, fetches itself again (never from the browser's cache), replaces the same parts
 *   and says what changed in the one polite live region (`data-live-region`), whose texts the
 *   server put in its `data-texts` in the page's language. Not while the user is typing or a
 *   search is loading; coalesced and jittered (refresh-scheduler.ts); the stream is closed while
 *   the tab is hidden and reopened from the last event id when it is shown.
 *
 * Bundled by remix.config.js (esbuild) into public/light/; served under the pages' CSP
 * (script-src 'self'). Imports only pure modules (no React).
 */
import { concernsSearch, describeResults, describeStudy, type LiveTexts } from "#app/components/live-announcements";
import type { LiveEvent } from "#app/components/live-events";
import { followLiveEvents } from "#app/components/live-stream";
import { PATIENT_RESULTS_ID } from "./pages";
import { tidyFormValues } from "#app/components/tidy-form";

const TYPING_DELAY_MS = 300;
const LIVE_REGION = "[data-live-region]";
const STATUS = "[role=status]";
const CONTROL = "input, select, textarea";

/** Whether a search (typing) is loading; a live refresh waits for it. Bumped on every new search. */
let searchGeneration = 0;
let searchLoading = false;

const region = document.querySelector<HTMLElement>(LIVE_REGION);
const form = document.querySelector<HTMLFormElement>("form[data-live-search]");
const results = document.querySelector<HTMLElement>('[data-live-part="results"]');
const study = document.querySelector<HTMLElement>("[data-live-study]");

if (form) followTyping(form);
// A search that landed on its results (`/pasient?…#treff`): the focus goes there too, so the next
// Tab is the first result and a screen reader starts at the results.
if (location.hash === `#${PATIENT_RESULTS_ID}`) document.getElementById(PATIENT_RESULTS_ID)?.focus();
if (region && results) {
  followEvents(region, {
    snapshot: () => ({
      ids: Array.from(results.querySelectorAll<HTMLElement>("[data-study-id]"), (el) => Number(el.dataset.studyId)),
      json: contentOf(results),
    }),
    relevant: (event, before) => concernsSearch(event, new Set(before.ids), null),
    describe: describeResults,
    mark: (texts, before) => markNewResults(results, new Set(before.ids), texts.t("live.results.new")),
  });
} else if (region && study) {
  followEvents(region, {
    snapshot: () => ({
      id: Number(study.dataset.studyId),
      json: contentOf(study),
      withdrawn: study.hasAttribute("data-withdrawn"),
    }),
    relevant: (event, now) => event.studyId === now.id,
    describe: describeStudy,
  });
}

/** A part's content without the live region (its text is what we are about to change). */
function contentOf(part: Element): string {
  return Array.from(part.children, (child) => (child.matches(LIVE_REGION) ? "" : child.outerHTML)).join("");
}

/**
 * Replaces a part's children with the new page's, except the children `keyOf` names: those stay
 * (the same node, so focus, a live region's registration and a status region stay), a status
 * region gets the new text in place, and the new children go around them in the new order.
 */
function replaceChildren(current: Element, next: Element, keyOf: (node: Node) => string | null) {
  const kept = new Map<string, Element>();
  for (const node of Array.from(current.childNodes)) {
    const key = keyOf(node);
    if (key && node instanceof Element && !kept.has(key)) kept.set(key, node);
    else node.remove();
  }
  let before: Node | null = current.firstChild;
  for (const node of Array.from(next.childNodes)) {
    const key = keyOf(node);
    const existing = key ? kept.get(key) : undefined;
    if (existing && node instanceof Element) {
      if (existing.matches(STATUS) && existing.innerHTML !== node.innerHTML) existing.innerHTML = node.innerHTML;
      before = existing.nextSibling;
    } else current.insertBefore(document.importNode(node, true), before);
  }
}

const partKey = (node: Node) =>
  node instanceof Element ? (node.matches(LIVE_REGION) ? "region" : node.matches(STATUS) ? "status" : null) : null;
const fieldKey = (node: Node) =>
  node instanceof Element && (node.matches(CONTROL) || node.querySelector(CONTROL)) ? "control" : null;

/** Puts the new page's parts, field messages and title into this page. */
function apply(doc: Document) {
  for (const part of Array.from(document.querySelectorAll<HTMLElement>("[data-live-part]"))) {
    const next = doc.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
    if (!next) continue;
    for (const name of ["data-withdrawn", "data-study-id"]) {
      const value = next.getAttribute(name);
      if (value == null) part.removeAttribute(name);
      else part.setAttribute(name, value);
    }
    replaceChildren(part, next, partKey);
  }
  const nextForm = doc.querySelector("form[data-live-search]");
  if (form && nextForm) {
    const fields = form.querySelectorAll(".field");
    const nextFields = nextForm.querySelectorAll(".field");
    fields.forEach((field, i) => {
      const nextField = nextFields[i];
      if (!nextField) return;
      replaceChildren(field, nextField, fieldKey);
      for (const control of Array.from(nextField.querySelectorAll(CONTROL))) {
        const mine = control.id ? field.querySelector(`#${CSS.escape(control.id)}`) : null;
        if (!mine) continue;
        for (const name of ["aria-invalid", "aria-describedby"]) {
          const value = control.getAttribute(name);
          if (value == null) mine.removeAttribute(name);
          else mine.setAttribute(name, value);
        }
      }
    });
  }
  if (doc.title) document.title = doc.title;
}

async function fetchPage(url: string, init: RequestInit): Promise<{ doc: Document; url: string } | null> {
  const res = await fetch(url, { ...init, headers: { accept: "text/html" }, credentials: "same-origin" });
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("text/html")) return null;
  return { doc: new DOMParser().parseFromString(await res.text(), "text/html"), url: res.url };
}

function followTyping(searchForm: HTMLFormElement) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | null = null;
  /** The result count's content before it said "updating" (put back if the search fails). */
  let countBeforeBusy: string | null = null;
  const tidyUrl = () => {
    const url = new URL(searchForm.action, location.href);
    url.search = tidyFormValues(searchForm).toString();
    return url.href;
  };
  const search = async () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const generation = ++searchGeneration;
    searchLoading = true;
    results?.setAttribute("aria-busy", "true");
    // "Oppdaterer treffene …" in the result count while it loads (its text from the server).
    const count = results?.querySelector<HTMLElement>(`:scope > ${STATUS}[data-busy-text]`);
    if (count && countBeforeBusy == null) {
      countBeforeBusy = count.innerHTML;
      count.textContent = count.dataset.busyText ?? "";
    }
    let applied = false;
    try {
      const page = await fetchPage(tidyUrl(), { signal: mine.signal });
      if (!page || generation !== searchGeneration) return;
      history.replaceState(history.state, "", page.url);
      apply(page.doc);
      applied = true;
    } catch {
      // Aborted by a newer search, or the network is gone: the form still works as a plain GET.
    } finally {
      if (generation === searchGeneration) {
        searchLoading = false;
        controller = null;
        results?.removeAttribute("aria-busy");
        if (count && countBeforeBusy != null && !applied) count.innerHTML = countBeforeBusy;
        countBeforeBusy = null;
      }
    }
  };
  searchForm.addEventListener("input", (event) => {
    const target = event.target as HTMLInputElement;
    const typing = target.tagName === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
    clearTimeout(timer);
    timer = setTimeout(() => void search(), typing ? TYPING_DELAY_MS : 0);
  });
  searchForm.addEventListener("submit", (event) => {
    // A new page at the tidy address (a history entry, as without JavaScript, minus the empty fields).
    event.preventDefault();
    clearTimeout(timer);
    controller?.abort();
    location.assign(tidyUrl());
  });
}

interface Follow<S> {
  snapshot: () => S;
  relevant: (event: LiveEvent, now: S) => boolean;
  describe: (texts: LiveTexts, before: S, after: S) => string | null;
  /** After a live refresh: marks on the page what it brought (a new study in the results). */
  mark?: (texts: LiveTexts, before: S) => void;
}

/** A "ny" badge on each result that was not in the list before the live refresh. */
function markNewResults(results: HTMLElement, before: ReadonlySet<number>, text: string) {
  for (const card of Array.from(results.querySelectorAll<HTMLElement>("[data-study-id]"))) {
    if (before.has(Number(card.dataset.studyId)) || card.querySelector(".new-badge")) continue;
    const badge = document.createElement("span");
    badge.className = "new-badge";
    badge.textContent = text;
    (card.querySelector("h3") ?? card).append(badge);
  }
}

function textsOf(liveRegion: HTMLElement): LiveTexts {
  let texts: Record<string, string> = {};
  try {
    texts = JSON.parse(liveRegion.dataset.texts ?? "{}") as Record<string, string>;
  } catch {
    texts = {};
  }
  const fill = (template: string, vars: Record<string, string | number>) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  return {
    t: (key, vars) => fill(texts[key] ?? "", vars ?? {}),
    plural: (key, count, vars) => fill(texts[`${key}.${count === 1 ? "one" : "other"}`] ?? "", { count, ...vars }),
  };
}

function followEvents<S>(liveRegion: HTMLElement, page: Follow<S>) {
  const texts = textsOf(liveRegion);
  let refreshing = false;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;

  const announce = (message: string) => {
    // The same text twice in a row is only announced again if the region was emptied first.
    liveRegion.textContent = "";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => (liveRegion.textContent = message), 50);
  };

  const reload = async () => {
    const before = page.snapshot();
    const url = location.href;
    const generation = searchGeneration;
    try {
      // no-store: a second change soon after must not be answered from the cache of the first.
      const next = await fetchPage(url, { cache: "no-store" });
      // A search the user started meanwhile wins; so does a new address.
      if (!next || generation !== searchGeneration || url !== location.href) return;
      apply(next.doc);
      page.mark?.(texts, before);
      const message = page.describe(texts, before, page.snapshot());
      if (message) announce(message);
    } catch {
      // The network is gone: the next event tries again.
    } finally {
      refreshing = false;
    }
  };

  // When to refresh (not while typing, coalesced, paused while hidden) is live-stream.ts's.
  const follower = followLiveEvents({
    relevant: (event) => page.relevant(event, page.snapshot()),
    refresh: () => {
      if (searchLoading || refreshing) return false;
      refreshing = true;
      void reload();
      return true;
    },
  });
  if (!follower) return;
  // Leaving the page (or into the back/forward cache): let go of the stream; reopen on return.
  addEventListener("pagehide", () => follower.suspend());
  addEventListener("pageshow", (event) => {
    if (event.persisted) follower.resume();
  });
}
