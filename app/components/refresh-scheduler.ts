/**
 * When an open page refetches its data after live events (use-live-updates). Pure timing logic,
 * no DOM, so it can be tested with fake timers.
 *
 * One change reaches every open page at the same instant; if they all refetched at once, one
 * ingest would be a thundering herd. So:
 * - a burst is coalesced: the refresh runs `quietMs` after the last event of a burst, but never
 *   later than `maxWaitMs` after its first event (a steady stream still refreshes now and then);
 * - each burst gets a random delay of 0–`jitterMs` on top, chosen once per burst, spreading the
 *   clients' requests over that window;
 * - after a refresh, the next one waits at least `minGapMs` (an ingest spread over seconds gives a
 *   few refreshes, not one per study).
 */

export interface RefreshSchedulerOptions {
  quietMs: number;
  maxWaitMs: number;
  jitterMs: number;
  minGapMs: number;
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const LIVE_REFRESH_TIMING = { quietMs: 200, maxWaitMs: 2000, jitterMs: 300, minGapMs: 1000 } as const;

export class RefreshScheduler {
  private timer: unknown = null;
  private firstAt: number | null = null;
  private jitter = 0;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    /** Refreshes, or returns false when it cannot now (the user is typing): then it is tried again shortly. */
    private readonly run: () => boolean,
    private readonly options: RefreshSchedulerOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Something relevant happened: refresh soon (coalesced with the rest of the burst). */
  poke(): void {
    const now = this.now();
    if (this.firstAt == null) {
      this.firstAt = now;
      this.jitter = Math.floor(this.random() * this.options.jitterMs);
    }
    const due =
      Math.max(
        Math.min(now + this.options.quietMs, this.firstAt + this.options.maxWaitMs),
        this.lastRunAt + this.options.minGapMs,
      ) + this.jitter;
    if (this.timer != null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => this.fire(), Math.max(0, due - now));
  }

  /** Whether a refresh is waiting. */
  get pending(): boolean {
    return this.firstAt != null;
  }

  /** Drops a waiting refresh (the page is hidden or going away); says whether one was waiting. */
  cancel(): boolean {
    const was = this.pending;
    if (this.timer != null) this.clearTimer(this.timer);
    this.timer = null;
    this.firstAt = null;
    return was;
  }

  private fire(): void {
    this.timer = null;
    this.firstAt = null;
    if (this.run()) this.lastRunAt = this.now();
    else this.poke();
  }
}
