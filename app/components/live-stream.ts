/**
 * Following the live event stream (GET /api/v1/events, Server-Sent Events), framework-free: one
 * implementation for the React hook of hydrated pages (use-live-updates.ts) and the script of the
 * light patient pages (app/light/patient-page.ts). The caller says which events concern it and
 * how to refresh; this module decides when:
 * - never while the user is typing (the refresh would race the search-as-you-type), and the
 *   caller's refresh may say "not now" (a navigation or search is pending): tried again later;
 * - coalesced and jittered (refresh-scheduler.ts): one change triggers every open page;
 * - paused while the tab is hidden: the stream is closed (no connection held for a background
 *   tab) and reopened from the last event id when the tab is shown; the hub replays what was
 *   missed and a relevant event triggers one refresh. Network drops are EventSource's own
 *   reconnect with Last-Event-ID; a refused stream is tried again after REOPEN_AFTER_ERROR_MS.
 */
import {
  LIVE_EVENT_TYPES,
  LIVE_EVENTS_URL,
  REOPEN_AFTER_ERROR_MS,
  TYPING_QUIET_MS,
  type LiveEvent,
} from "./live-events";
import { LIVE_REFRESH_TIMING, RefreshScheduler } from "./refresh-scheduler";

export interface LiveFollowOptions {
  /** Whether an event may change what this page shows. */
  relevant: (event: LiveEvent) => boolean;
  /** Starts a refresh; false when the page cannot refresh now (the scheduler tries again). */
  refresh: () => boolean;
}

export interface LiveFollower {
  /** Lets go of the stream until resume() (leaving the page, or into the back/forward cache). */
  suspend(): void;
  /** Back on the page: refresh once (events may have been missed) and follow the stream again. */
  resume(): void;
  /** Stops for good: the stream, the listeners and the timers. */
  stop(): void;
}

/** Follows the stream while the page lives; null where the browser has no EventSource. */
export function followLiveEvents({ relevant, refresh }: LiveFollowOptions): LiveFollower | null {
  if (typeof EventSource === "undefined") return null;
  let source: EventSource | null = null;
  let lastEventId = "";
  let lastTypingAt = Number.NEGATIVE_INFINITY;
  let missedWhileHidden = false;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;

  const scheduler = new RefreshScheduler(() => {
    if (document.hidden) {
      missedWhileHidden = true;
      return true;
    }
    if (Date.now() - lastTypingAt < TYPING_QUIET_MS) return false;
    return refresh();
  }, LIVE_REFRESH_TIMING);

  const onEvent = (message: MessageEvent<string>) => {
    if (message.lastEventId) lastEventId = message.lastEventId;
    let event: LiveEvent;
    try {
      event = JSON.parse(message.data) as LiveEvent;
    } catch {
      return;
    }
    if (typeof event.studyId === "number" && relevant(event)) scheduler.poke();
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
    source = new EventSource(
      lastEventId ? `${LIVE_EVENTS_URL}?lastEventId=${encodeURIComponent(lastEventId)}` : LIVE_EVENTS_URL,
    );
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

  return {
    suspend: close,
    resume() {
      if (document.hidden) return;
      scheduler.poke();
      open();
    },
    stop() {
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("keydown", onTyping, true);
      document.removeEventListener("input", onTyping, true);
      clearTimeout(reopenTimer);
      scheduler.cancel();
      close();
    },
  };
}
