/**
 * The status scheduler on a real SQLite file with an injected clock (the server itself runs on
 * real time, so a window opening cannot be waited for over HTTP): it plans its wake at the next
 * instant a published study's status changes (never a polling interval), writes one status event
 * per study when the instant comes, re-plans when a study changes, catches up after a restart
 * without announcing anything twice, and its events reach a real HTTP client of the live stream.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOfOsloDay } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { statusEventsAfter } from "#app/models/realtime.server";
import { saveStudy } from "#app/models/study.server";
import { RealtimeHub } from "#app/realtime/hub.server";
import { MAX_SLEEP_MS, StatusScheduler, type Clock } from "#app/realtime/status-scheduler.server";
import { freshDb, type TestDb } from "../helpers/db";
import { json, SseClient } from "../helpers/sse";
import { saveStudyOrThrow } from "../helpers/studies";

/** A clock the test moves by hand; timers fire when the clock passes their instant. */
class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  constructor(private ms: number) {}
  now = () => new Date(this.ms);
  setTimeout = (fn: () => void, delay: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.ms + delay, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  pending(): number {
    return this.timers.size;
  }
  /** Moves to `to`, firing every timer due on the way, in time order. */
  advanceTo(to: Date | string): void {
    const target = new Date(to).getTime();
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.ms = Math.max(this.ms, due[1].at);
      due[1].fn();
    }
    this.ms = target;
  }
}

let t: TestDb;
let rek = 977_000;
const actor = { kind: "system" as const, name: "scheduler-test" };

function save(sites: StudyInput["sites"], overrides: Partial<StudyInput> = {}, studyId?: number): number {
  const result = saveStudyOrThrow(
    t.db,
    {
      identifiers: { rek: String(rek++) },
      title: { nb: "Planleggingsstudie" },
      summary: { nb: "Sammendrag." },
      studyType: "treatment",
      leadOrganisationId: "ous",
      sites,
      publicationState: "published",
      ...overrides,
    },
    // The change is made "now" on the test's clock (what the scheduler compares against on a restart).
    { actor, studyId, now: clockNow() },
  );
  return result.studyId;
}

const events = () => statusEventsAfter(t.db, 0, 1000);
let clockNow = () => new Date();

/** Waits (without asserting on time) until the condition holds; a safety limit turns a hang into a failure. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

beforeAll(() => {
  t = freshDb();
});
afterAll(() => t?.cleanup());

describe("status scheduler", () => {
  let a: number;
  let b: number;
  let d: number;
  const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
  let scheduler: StatusScheduler;
  clockNow = clock.now;

  it("wakes at the next instant a published study's status changes, not before", () => {
    a = save([
      {
        organisationId: "ous",
        hospitalId: "ous-rikshospitalet",
        inclusionStart: "2026-03-02",
        inclusionEnd: "2026-03-10",
      },
    ]);
    b = save([
      { organisationId: "st-olavs", inclusionStart: "2026-03-05", inclusionEnd: null },
      // A paused site's start date changes nothing: it stays paused.
      { organisationId: "unn", inclusionStart: "2026-03-03", paused: true, pauseReason: "Venter på legemiddel" },
    ]);
    // Not published: never announced.
    save([{ organisationId: "ous", inclusionStart: "2026-03-02" }], { publicationState: "draft" });

    let written = 0;
    scheduler = new StatusScheduler(t.db, { clock, onEvents: (n) => (written += n) });
    scheduler.start();
    expect(scheduler.size()).toBe(2);
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-02").toISOString());
    expect(scheduler.nextChangeAt()?.toISOString()).toBe("2026-03-01T23:00:00.000Z");
    // One timer: for that instant, or for MAX_SLEEP_MS when it is further away (then it re-plans).
    expect(scheduler.nextWakeAt()?.toISOString()).toBe(new Date(clock.now().getTime() + MAX_SLEEP_MS).toISOString());
    expect(clock.pending()).toBe(1);

    clock.advanceTo("2026-03-01T22:59:59.999Z");
    expect(events()).toHaveLength(0);

    clock.advanceTo("2026-03-01T23:00:00.000Z");
    expect(written).toBe(1);
    const [e] = events();
    expect(e).toMatchObject({
      studyId: a,
      at: "2026-03-01T23:00:00.000Z",
      previousStatus: "planned",
      status: "open",
      sites: [{ organisationId: "ous", hospitalId: "ous-rikshospitalet", from: "planned", to: "open" }],
    });
    // Next: study b's st-olavs site on 5 March (the paused unn site's start on 3 March is not a change).
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-05").toISOString());
    expect(clock.pending()).toBe(1);
  });

  it("re-plans when a study changes", () => {
    d = save([{ organisationId: "ahus", inclusionStart: "2026-03-03", inclusionEnd: "2026-03-04" }]);
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-05").toISOString());
    scheduler.studiesChanged([d]);
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-03").toISOString());
    // Edited back to later: the plan follows.
    save([{ organisationId: "ahus", inclusionStart: "2026-03-07", inclusionEnd: "2026-03-09" }], {}, d);
    scheduler.studiesChanged([d]);
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-05").toISOString());
    save([{ organisationId: "ahus", inclusionStart: "2026-03-03", inclusionEnd: "2026-03-04" }], {}, d);
    scheduler.studiesChanged([d]);
    expect(scheduler.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-03").toISOString());
    // The wake follows the plan (at most MAX_SLEEP_MS ahead).
    expect(scheduler.nextWakeAt()!.getTime()).toBe(
      Math.min(startOfOsloDay("2026-03-03").getTime(), clock.now().getTime() + MAX_SLEEP_MS),
    );
    // A study that is no longer published is forgotten.
    const gone = save([{ organisationId: "ous", inclusionStart: "2026-03-02" }]);
    scheduler.studiesChanged([gone]);
    expect(scheduler.size()).toBe(4);
    save([{ organisationId: "ous", inclusionStart: "2026-03-02" }], { publicationState: "withdrawn" }, gone);
    scheduler.studiesChanged([gone]);
    expect(scheduler.size()).toBe(3);
    scheduler.stop();
    expect(clock.pending()).toBe(0);
  });

  it("after a restart announces what changed while it was down, once", () => {
    // Down from 2 March until the afternoon of 6 March: d opened (3rd) and closed (5th), b opened (5th).
    clock.advanceTo("2026-03-06T15:00:00Z");
    const restarted = new StatusScheduler(t.db, { clock });
    restarted.start();
    const after = events().slice(1);
    expect(after.map((e) => e.studyId).sort()).toEqual([b, d].sort());
    const ofB = after.find((e) => e.studyId === b)!;
    expect(ofB).toMatchObject({
      previousStatus: "paused",
      status: "open",
      at: startOfOsloDay("2026-03-05").toISOString(),
    });
    expect(ofB.sites).toEqual([expect.objectContaining({ organisationId: "st-olavs", from: "planned", to: "open" })]);
    // d went planned → closed while nobody looked: one event with the net change.
    expect(after.find((e) => e.studyId === d)).toMatchObject({
      previousStatus: "planned",
      status: "closed",
      at: startOfOsloDay("2026-03-05").toISOString(),
    });
    restarted.stop();

    const again = new StatusScheduler(t.db, { clock });
    again.start();
    expect(events()).toHaveLength(3);
    // a closes after 10 March: the start of the 11th.
    expect(again.nextChangeAt()?.toISOString()).toBe(startOfOsloDay("2026-03-11").toISOString());
    again.stop();
  });

  it("plans across a daylight-saving change in Europe/Oslo, and sleeps at most MAX_SLEEP_MS when nothing is due", () => {
    const local = freshDb();
    try {
      const c = new ManualClock(Date.parse("2026-10-24T12:00:00Z"));
      const id = saveStudy(
        local.db,
        {
          identifiers: { rek: "977999" },
          title: { nb: "Høst" },
          summary: { nb: "S." },
          studyType: "other",
          leadOrganisationId: "ous",
          sites: [{ organisationId: "ous", inclusionStart: "2026-01-01", inclusionEnd: "2026-10-24" }],
          publicationState: "published",
        },
        { actor, now: c.now() },
      );
      expect(id.ok).toBe(true);
      const s = new StatusScheduler(local.db, { clock: c });
      s.start();
      // 25 October 2026 begins at 00:00 CEST (+02:00); clocks go back at 03:00 that night.
      expect(s.nextChangeAt()?.toISOString()).toBe("2026-10-24T22:00:00.000Z");
      c.advanceTo("2026-10-24T22:00:00.000Z");
      expect(statusEventsAfter(local.db, 0, 10)).toMatchObject([{ previousStatus: "open", status: "closed" }]);
      // Nothing will change by itself any more: a long sleep, re-planned on the next study change.
      expect(s.nextChangeAt()).toBeNull();
      expect(s.nextWakeAt()!.getTime() - c.now().getTime()).toBe(MAX_SLEEP_MS);
      s.stop();
    } finally {
      local.cleanup();
    }
  });
});

describe("status events on the live stream (in-process hub, real HTTP)", () => {
  const local = freshDb();
  const clock = new ManualClock(Date.parse("2027-05-01T08:00:00Z"));
  const hub = new RealtimeHub({
    db: local.db,
    urls: { base: "https://kliniskestudier.test" },
    clock,
    heartbeatMs: 25,
    pollMs: 50,
  });
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    saveStudy(
      local.db,
      {
        identifiers: { rek: "978000" },
        title: { nb: "Vårstudie" },
        summary: { nb: "S." },
        studyType: "treatment",
        leadOrganisationId: "helse-bergen",
        sites: [{ organisationId: "helse-bergen", inclusionStart: "2027-05-02", inclusionEnd: "2027-09-01" }],
        publicationState: "published",
      },
      { actor, now: clock.now() },
    );
    hub.start();
    server = http.createServer((req, res) => hub.handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hub.close();
    await new Promise((r) => server.close(r));
    local.cleanup();
  });

  it("sends the status event when the window opens, heartbeats while idle, and forgets closed connections", async () => {
    const client = await SseClient.connect(`${base}/api/v1/events`);
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    const ready = await client.next((e) => e.event === "ready");
    expect(ready.id).toBe("1-0");
    expect(hub.connections()).toBe(1);

    // Idle: comments keep the connection alive.
    await client.until(() => client.comments.some((c) => c.startsWith("heartbeat")));

    clock.advanceTo(startOfOsloDay("2027-05-02"));
    const status = await client.next((e) => e.event === "study.status");
    expect(status.id).toBe("1-1");
    expect(json(status)).toMatchObject({
      type: "study.status",
      studyId: 1,
      previousStatus: "planned",
      status: "open",
      at: "2027-05-01T22:00:00.000Z",
      links: { web: "https://kliniskestudier.test/studier/1" },
    });

    // Reconnecting from before the event replays it with the same id.
    const again = await SseClient.connect(`${base}/api/v1/events`, { "Last-Event-ID": "1-0" });
    const replayed = await again.next((e) => e.event === "study.status");
    expect(replayed).toEqual(status);
    expect((await again.next((e) => e.event === "ready")).id).toBe("1-1");

    client.close();
    again.close();
    await waitFor(() => hub.connections() === 0, "the hub to drop both closed connections");
  });

  it("ends every stream when the hub closes", async () => {
    const client = await SseClient.connect(`${base}/api/v1/events`);
    await client.next((e) => e.event === "ready");
    const other = new RealtimeHub({ db: local.db, urls: { base: "https://x.test" } });
    expect(other.connections()).toBe(0);
    hub.close();
    await client.until(() => client.ended);
    expect(hub.connections()).toBe(0);
  });
});
