/**
 * The status scheduler: wakes at the next instant any published study's derived status changes
 * (a site's inclusion window opens at the start of its first day or closes at the start of the
 * day after its last, Europe/Oslo), writes a status event for every study whose sites changed
 * status, and sleeps until the next such instant. It never polls: the next instant comes from the
 * domain's nextStatusChange over all published studies, and is re-planned whenever a study changes
 * (the hub passes it the ids it reads from the change log). See docs/decisions/0006.
 *
 * Status is still never stored: each event only records that an announcement was made, so a client
 * that reconnects gets the same announcements (migration 0010). After a restart the scheduler
 * catches up: for each study it compares the statuses at the later of "the scheduler last looked"
 * (app_meta) and "the study last changed" with the statuses now.
 *
 * The clock and timers are injected so an integration test can move time (no real waiting).
 */
import type { Db } from "#app/db.server";
import { groupByStudy } from "#app/domain/group-by-study";
import {
  nextStatusChange,
  siteStatus,
  statusTransitions,
  studyStatus,
  type SiteStatus,
  type StudyStatus,
} from "#app/domain/inclusion-status";
import { getMeta, setMeta } from "#app/models/meta.server";
import {
  insertStatusEvents,
  publishedWindows,
  type NewStatusEvent,
  type StatusEventSite,
  type WindowRow,
} from "#app/models/realtime.server";

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Longest sleep. Timers run on a monotonic clock; if the wall clock is set forward (NTP, a VM
 * resumed) a long sleep would wake late. Waking every few hours to re-plan costs nothing.
 */
export const MAX_SLEEP_MS = 6 * 3_600_000;

/** app_meta key: the instant up to which status changes have been announced (ISO 8601). */
export const DERIVED_THROUGH_KEY = "realtime.status_derived_through";

interface StudyState {
  sites: WindowRow[];
  /** Site statuses as last announced (by a change event or a status event). */
  statuses: Map<number, SiteStatus>;
  study: StudyStatus;
  /** When these statuses were taken (epoch ms). */
  baselineAt: number;
  /** The next instant any of its site statuses changes by itself (epoch ms), or null. */
  next: number | null;
}

export interface StatusSchedulerOptions {
  clock?: Clock;
  /** Called after new status events were written (the hub reads and sends them). */
  onEvents?: (count: number) => void;
  log?: (message: string) => void;
}

export class StatusScheduler {
  private readonly clock: Clock;
  private readonly studies = new Map<number, StudyState>();
  private timer: unknown = null;
  private wakeAt: number | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly options: StatusSchedulerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Loads every published study's windows, announces what changed while nobody looked, and plans. */
  start(): void {
    this.stopped = false;
    const now = this.clock.now().getTime();
    const stored = getMeta(this.db, DERIVED_THROUGH_KEY);
    const through = stored && Number.isFinite(Date.parse(stored)) ? Math.min(Date.parse(stored), now) : now;
    this.studies.clear();
    for (const [studyId, sites] of groupByStudy(publishedWindows(this.db))) {
      const baseline = Math.max(through, Math.min(Date.parse(sites[0]!.updatedAt) || through, now));
      this.track(studyId, sites, baseline);
    }
    this.check();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer != null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.wakeAt = null;
  }

  /** When the scheduler will wake next (null: no status will ever change, or stopped). */
  nextWakeAt(): Date | null {
    return this.wakeAt == null ? null : new Date(this.wakeAt);
  }

  /** The next instant a published study's status changes by itself (what the wake is planned from). */
  nextChangeAt(): Date | null {
    const next = this.earliest();
    return next == null ? null : new Date(next);
  }

  /** How many published studies are watched. */
  size(): number {
    return this.studies.size;
  }

  /**
   * These studies changed (saved, published, withdrawn …): their windows are read again and what
   * the change event showed becomes the baseline; then the wake is re-planned.
   */
  studiesChanged(ids: readonly number[]): void {
    if (this.stopped || ids.length === 0) return;
    const unique = [...new Set(ids)];
    const now = this.clock.now().getTime();
    for (const id of unique) this.studies.delete(id);
    for (let i = 0; i < unique.length; i += 500) {
      for (const [studyId, sites] of groupByStudy(publishedWindows(this.db, unique.slice(i, i + 500))))
        this.track(studyId, sites, now);
    }
    this.plan();
  }

  /** Announces every study whose site statuses differ now from what was last announced; re-plans. */
  check(): number {
    if (this.stopped) return 0;
    const nowDate = this.clock.now();
    const now = nowDate.getTime();
    const updates: [number, StudyState][] = [];
    const events: NewStatusEvent[] = [];
    for (const [studyId, state] of this.studies) {
      if (state.next == null || state.next > now) continue;
      const { next, event } = advance(studyId, state, nowDate);
      updates.push([studyId, next]);
      if (event) events.push(event);
    }
    let added: number;
    try {
      added = insertStatusEvents(this.db, events);
      setMeta(this.db, DERIVED_THROUGH_KEY, nowDate.toISOString());
    } catch (error) {
      // Nothing was announced: the baselines stay, and the next try finds the same changes.
      this.options.log?.(
        `status scheduler: could not write status events: ${(error as Error).message}; trying again in a minute`,
      );
      this.arm(now + 60_000, now);
      return 0;
    }
    for (const [studyId, next] of updates) if (this.studies.has(studyId)) this.studies.set(studyId, next);
    if (added > 0) this.options.onEvents?.(added);
    this.plan();
    return added;
  }

  /* ---------------------------------------------------------------- internals */

  private track(studyId: number, sites: WindowRow[], baselineAt: number): void {
    try {
      const at = new Date(baselineAt);
      const statuses = new Map(sites.map((s) => [s.siteId, siteStatus(s, at)]));
      const next = nextStatusChange(sites, at);
      this.studies.set(studyId, {
        sites,
        statuses,
        study: studyStatus(sites, at),
        baselineAt,
        next: next ? next.getTime() : null,
      });
    } catch (error) {
      // Stored windows are checked by the database; a bad one must not stop the others.
      this.options.log?.(`status scheduler: study ${studyId} skipped: ${(error as Error).message}`);
    }
  }

  private earliest(): number | null {
    let next: number | null = null;
    for (const state of this.studies.values())
      if (state.next != null && (next == null || state.next < next)) next = state.next;
    return next;
  }

  private plan(): void {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    const next = this.earliest();
    if (next == null) {
      // Nothing will change by itself; a study change re-plans. Still wake now and then (see MAX_SLEEP_MS).
      this.arm(now + MAX_SLEEP_MS, now);
      return;
    }
    this.arm(Math.min(next, now + MAX_SLEEP_MS), now);
  }

  private arm(at: number, now: number): void {
    if (this.timer != null) this.clock.clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        // A timer may fire a moment before the wall clock reaches the instant: check() leaves a
        // study that is not yet due alone and plan() arms again for it.
        this.check();
      },
      Math.max(0, at - now),
    );
  }
}

/** The study's statuses at `now` against the last announced ones (the state is not changed). */
function advance(studyId: number, state: StudyState, now: Date): { next: StudyState; event: NewStatusEvent | null } {
  const changed: StatusEventSite[] = [];
  const statuses = new Map(state.statuses);
  let latest = 0;
  for (const site of state.sites) {
    const before = state.statuses.get(site.siteId)!;
    const after = siteStatus(site, now);
    if (before === after) continue;
    changed.push({
      siteId: site.siteId,
      organisationId: site.organisationId,
      hospitalId: site.hospitalId,
      from: before,
      to: after,
    });
    for (const t of statusTransitions(site)) {
      const ms = t.getTime();
      if (ms > state.baselineAt && ms <= now.getTime() && ms > latest) latest = ms;
    }
    statuses.set(site.siteId, after);
  }
  const study = studyStatus(state.sites, now);
  const nextChange = nextStatusChange(state.sites, now);
  const next: StudyState = {
    sites: state.sites,
    statuses,
    study,
    baselineAt: now.getTime(),
    next: nextChange ? nextChange.getTime() : null,
  };
  if (changed.length === 0) return { next, event: null };
  return {
    next,
    event: {
      studyId,
      at: new Date(latest || now.getTime()).toISOString(),
      status: study,
      previousStatus: state.study,
      sites: changed,
      createdAt: now.toISOString(),
    },
  };
}
