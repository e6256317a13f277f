/**
 * The pure parts of the open pages' live updates: when a refresh runs (bursts coalesced, jitter,
 * a gap between refreshes, retried while the user types), which events concern a search page,
 * and what the live region says afterwards.
 */
import { describe, expect, it } from "vitest";
import { concernsSearch, describeResults, describeStudy } from "#app/components/live-announcements";
import { RefreshScheduler } from "#app/components/refresh-scheduler";
import { translator } from "#app/i18n/translate";

/** A hand-driven clock and timer queue (the scheduler's injected timers). */
function clock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

const timing = { quietMs: 200, maxWaitMs: 2000, jitterMs: 300, minGapMs: 1000 };

describe("RefreshScheduler", () => {
  it("coalesces a burst of 100 events into one refresh, after the quiet time plus this client's jitter", () => {
    const c = clock();
    const runs: number[] = [];
    const s = new RefreshScheduler(() => (runs.push(c.now()), true), { ...timing, random: () => 0.5, ...c });
    for (let i = 0; i < 100; i++) s.poke();
    c.advance(349);
    expect(runs).toEqual([]);
    c.advance(1);
    expect(runs).toEqual([350]); // 200 quiet + 150 jitter
    c.advance(10_000);
    expect(runs).toHaveLength(1);
  });

  it("a steady stream still refreshes every maxWait, and never twice within minGap", () => {
    const c = clock();
    const runs: number[] = [];
    const s = new RefreshScheduler(() => (runs.push(c.now()), true), { ...timing, random: () => 0, ...c });
    for (let t = 0; t < 5000; t += 100) {
      s.poke();
      c.advance(100);
    }
    c.advance(5000);
    expect(runs.slice(0, 2)).toEqual([2000, 4000]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it("tries again while the page says it cannot refresh (the user is typing)", () => {
    const c = clock();
    let typing = true;
    const runs: number[] = [];
    const s = new RefreshScheduler(() => (typing ? false : (runs.push(c.now()), true)), {
      ...timing,
      random: () => 0,
      ...c,
    });
    s.poke();
    c.advance(1000);
    expect(runs).toEqual([]);
    expect(s.pending).toBe(true);
    typing = false;
    c.advance(200);
    expect(runs).toHaveLength(1);
    expect(s.pending).toBe(false);
  });

  it("cancel drops a waiting refresh and says so", () => {
    const c = clock();
    let runs = 0;
    const s = new RefreshScheduler(() => (runs++, true), { ...timing, ...c });
    expect(s.cancel()).toBe(false);
    s.poke();
    expect(s.cancel()).toBe(true);
    c.advance(5000);
    expect(runs).toBe(0);
  });

  it("spreads clients over the jitter window", () => {
    const due = [0, 0.25, 0.999].map((r) => {
      const c = clock();
      let at = -1;
      new RefreshScheduler(() => ((at = c.now()), true), { ...timing, random: () => r, ...c }).poke();
      c.advance(1000);
      return at;
    });
    expect(due).toEqual([200, 275, 499]);
  });
});

describe("what a search page listens to and announces", () => {
  const shown = new Set([1, 2]);
  it("a shown study always concerns the page; a withdrawn one that is not shown never does", () => {
    expect(concernsSearch({ type: "study.withdrawn", studyId: 1 }, shown, null)).toBe(true);
    expect(concernsSearch({ type: "study.withdrawn", studyId: 3 }, shown, null)).toBe(false);
    expect(concernsSearch({ type: "study.published", studyId: 3 }, shown, null)).toBe(true);
    expect(concernsSearch({ type: "study.status", studyId: 3 }, shown, null)).toBe(true);
  });

  it("with an organisation filter, a change with sites elsewhere only does if the study is shown", () => {
    expect(concernsSearch({ type: "study.changed", studyId: 3, organisations: ["unn"] }, shown, "ous")).toBe(false);
    expect(concernsSearch({ type: "study.changed", studyId: 3, organisations: ["unn", "ous"] }, shown, "ous")).toBe(
      true,
    );
    expect(concernsSearch({ type: "study.changed", studyId: 2, organisations: ["unn"] }, shown, "ous")).toBe(true);
  });

  it("counts studies that came and went, in nb, nn and en; says nothing when nothing changed", () => {
    const nb = translator("nb");
    expect(describeResults(nb, { ids: [], json: "a" }, { ids: [7], json: "b" })).toBe("1 ny studie i resultatene");
    expect(describeResults(nb, { ids: [1], json: "a" }, { ids: [7, 8], json: "b" })).toBe(
      "2 nye studier i resultatene. 1 studie er ikke lenger i resultatene",
    );
    expect(describeResults(nb, { ids: [1], json: "a" }, { ids: [1], json: "b" })).toBe("Resultatene er oppdatert");
    expect(describeResults(nb, { ids: [1], json: "a" }, { ids: [1], json: "a" })).toBeNull();
    expect(describeResults(translator("nn"), { ids: [], json: "a" }, { ids: [7, 8], json: "b" })).toBe(
      "2 nye studiar i resultata",
    );
    expect(describeResults(translator("en"), { ids: [], json: "a" }, { ids: [7], json: "b" })).toBe(
      "1 new study in the results",
    );
  });

  it("a study page says updated, or withdrawn when it was just withdrawn", () => {
    const nb = translator("nb");
    expect(describeStudy(nb, { json: "a", withdrawn: false }, { json: "b", withdrawn: false })).toBe(
      "Studien er oppdatert",
    );
    expect(describeStudy(nb, { json: "a", withdrawn: false }, { json: "b", withdrawn: true })).toBe(
      "Studien er trukket tilbake",
    );
    expect(describeStudy(nb, { json: "a", withdrawn: false }, { json: "a", withdrawn: false })).toBeNull();
  });
});
