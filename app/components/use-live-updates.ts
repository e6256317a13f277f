/**
 * Open pages that follow the portal's live events (GET /api/v1/events, Server-Sent Events) and
 * refresh their own data when a relevant study is published, changed, withdrawn or changes
 * status — without a reload: the route's loaders run again (Remix revalidation) and React
 * updates what changed, so focus, the caret and the scroll position stay where they are.
 *
 * - Bundled client code (no inline script: the pages get a strict CSP).
 * - When to refresh (not while typing, coalesced, paused while hidden) is live-stream.ts's,
 *   shared with the light patient pages; here a pending navigation or revalidation also waits.
 * - The caller says which events concern it and what to announce after a refresh (one polite
 *   live region, LiveRegion.tsx).
 */
import { useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { Translator } from "#app/i18n/translate";
import { describeStudy, studySnapshot } from "./live-announcements";
import type { LiveEvent } from "./live-events";
import { followLiveEvents } from "./live-stream";

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
    const follower = followLiveEvents({
      relevant: (event) => latest.current.relevant(event),
      refresh: () => {
        const { revalidator: r, navigation: n, data: current, locationKey } = latest.current;
        if (n.state !== "idle" || r.state !== "idle") return false;
        awaiting.current = { before: current, locationKey, sawLoading: false };
        r.revalidate();
        return true;
      },
    });
    return () => follower?.stop();
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
export function useStudyPageUpdates<T extends { id: number; withdrawn?: unknown }>(
  data: T,
  translate: Translator,
): string {
  return useLiveUpdates({
    data,
    relevant: (event) => event.studyId === data.id,
    describe: (before, after) => describeStudy(translate, studySnapshot(before), studySnapshot(after)),
  });
}
