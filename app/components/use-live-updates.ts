/**
 * Open pages that follow the portal's live events (GET /api/v1/events, Server-Sent Events) and
 * refresh their own data when a relevant study is published, changed, withdrawn or changes
 * status — without a reload: the route's loaders run again (Remix revalidation) and React
 * updates what changed, so focus, the caret and the scroll position stay where they are.
 *
 * - Bundled client code (no inline script: the pages get a strict CSP).
 * - Never while the user is typing or a navigation is pending: the refresh waits until they stop
 *   (it would otherwise race the search-as-you-type submit).
 * - Coalesced and jittered (refresh-scheduler.ts): one change triggers every open page.
 * - Paused while the tab is hidden: the stream is closed (no connection held for a background
 *   tab) and reopened from the last event id when the tab is shown again; the hub replays what
 *   was missed and a relevant one triggers a single refresh. Network drops are EventSource's own
 *   reconnect with Last-Event-ID.
 * - The caller says which events concern it and what to announce after a refresh (one polite
 *   live region, LiveRegion.tsx).
 */
import { useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { Translator } from "~/i18n/translate";
import { describeStudy, studySnapshot } from "./live-announcements";
import { LIVE_EVENT_TYPES, LIVE_EVENTS_URL, REOPEN_AFTER_ERROR_MS, TYPING_QUIET_MS, type LiveEvent } from "./live-events";
import { LIVE_REFRESH_TIMING, RefreshScheduler } from "./refresh-scheduler";

export { LIVE_EVENT_TYPES, LIVE_EVENTS_URL, type LiveEvent, type LiveEventType } from "./live-events";

export interface LiveUpdatesOptions<T> {
  /** The page's loader data; compared before and after a refresh. */
  data: T;
  /** Whether an event may change what this page shows. */
  relevant: (event: LiveEvent) => boolean;
  /** What to announce after a live refresh changed the data (null: say nothing). */
  describe: (before: T, after: T) => string | null;
}

/** Subscribes the page to live events; returns the current announcement for the live region. */
export function useLiveUpdates<T>({ data, relevant, describe }: LiveUpdatesOptions<T>): string {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const location = useLocation();
  const [announcement, setAnnouncement] = useState("");

  // The effect below lives as long as the page; it reads the latest render through this ref.
  const latest = useRef({ data, relevant, describe, revalidator, navigation, locationKey: location.key });
  latest.current = { data, relevant, describe, revalidator, navigation, locationKey: location.key };
  /** Set when this hook asked for a refresh: the data and location it started from. */
  const awaiting = useRef<{ before: T; locationKey: string; sawLoading: boolean } | null>(null);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let lastEventId = "";
    let lastTypingAt = Number.NEGATIVE_INFINITY;
    let missedWhileHidden = false;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;

    const refresh = (): boolean => {
      const { revalidator: r, navigation: n, data: current, locationKey } = latest.current;
      if (document.hidden) {
        missedWhileHidden = true;
        return true;
      }
      const typing = Date.now() - lastTypingAt < TYPING_QUIET_MS;
      if (typing || n.state !== "idle" || r.state !== "idle") return false;
      awaiting.current = { before: current, locationKey, sawLoading: false };
      r.revalidate();
      return true;
    };
    const scheduler = new RefreshScheduler(refresh, LIVE_REFRESH_TIMING);

    const onEvent = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      if (typeof event.studyId === "number" && latest.current.relevant(event)) scheduler.poke();
    };
    const onReady = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      // Says that the page follows the stream from here on (browser tests wait for it).
      document.documentElement.dataset.liveEvents = "open";
    };
    const onError = () => {
      // A dropped connection is retried by EventSource itself; a refused one (503, 400) is closed for good.
      if (source?.readyState === EventSource.CLOSED) {
        close();
        clearTimeout(reopenTimer);
        reopenTimer = setTimeout(() => {
          lastEventId = "";
          if (!document.hidden) open();
        }, REOPEN_AFTER_ERROR_MS);
      }
    };

    function open() {
      if (source) return;
      const url = lastEventId ? `${LIVE_EVENTS_URL}?lastEventId=${encodeURIComponent(lastEventId)}` : LIVE_EVENTS_URL;
      source = new EventSource(url);
      for (const type of LIVE_EVENT_TYPES) source.addEventListener(type, onEvent);
      source.addEventListener("ready", onReady);
      source.addEventListener("error", onError);
    }
    function close() {
      if (!source) return;
      for (const type of LIVE_EVENT_TYPES) source.removeEventListener(type, onEvent);
      source.removeEventListener("ready", onReady);
      source.removeEventListener("error", onError);
      source.close();
      source = null;
      delete document.documentElement.dataset.liveEvents;
    }

    const onVisibility = () => {
      if (document.hidden) {
        if (scheduler.cancel()) missedWhileHidden = true;
        close();
        return;
      }
      // Without an id there is nothing to replay from: refresh once to be sure.
      if (missedWhileHidden || !lastEventId) scheduler.poke();
      missedWhileHidden = false;
      open();
    };
    const onTyping = () => {
      lastTypingAt = Date.now();
    };

    document.addEventListener("visibilitychange", onVisibility);
    document.addEventListener("keydown", onTyping, true);
    document.addEventListener("input", onTyping, true);
    if (!document.hidden) open();
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("keydown", onTyping, true);
      document.removeEventListener("input", onTyping, true);
      clearTimeout(reopenTimer);
      scheduler.cancel();
      close();
    };
  }, []);

  // After our refresh has loaded: compare and announce (not after the user's own navigations).
  const announceTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(announceTimer.current), []);
  useEffect(() => {
    const waiting = awaiting.current;
    if (!waiting) return;
    if (revalidator.state !== "idle") {
      waiting.sawLoading = true;
      return;
    }
    if (!waiting.sawLoading) return;
    awaiting.current = null;
    if (waiting.locationKey !== location.key) return;
    const message = latest.current.describe(waiting.before, data);
    if (!message) return;
    // The same text twice in a row is not announced again unless the region was emptied first.
    setAnnouncement("");
    clearTimeout(announceTimer.current);
    announceTimer.current = setTimeout(() => setAnnouncement(message), 50);
  }, [revalidator.state, data, location.key]);

  return announcement;
}

/** A study's own page: refreshes when this study changes (a new version, withdrawn, a window opening or closing). */
export function useStudyPageUpdates<T extends { id: number; withdrawn?: unknown }>(data: T, translate: Translator): string {
  return useLiveUpdates({
    data,
    relevant: (event) => event.studyId === data.id,
    describe: (before, after) => describeStudy(translate, studySnapshot(before), studySnapshot(after)),
  });
}
