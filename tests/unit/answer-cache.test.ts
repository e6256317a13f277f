/** The open API's answer cache (app/http/answer-cache.server.ts): validity, byte bound, off switch. */
import { describe, expect, it } from "vitest";
import { AnswerCache, type CachedAnswer } from "#app/http/answer-cache.server";

const answer = (state: string, text = "{}"): CachedAnswer => ({
  state,
  text,
  etag: 'W/"x"',
  lastModified: null,
  headers: {},
  rateLimited: true,
});

describe("AnswerCache", () => {
  it("answers only under the state an entry was made in, and drops a stale entry", () => {
    const cache = new AnswerCache(1 << 20);
    cache.set("/a", answer("s1", '{"n":1}'));
    expect(cache.get("/a", "s1")?.text).toBe('{"n":1}');
    expect(cache.get("/a", "s2")).toBeNull();
    expect(cache.has("/a")).toBe(false); // dropped
    expect(cache.get("/a", "s1")).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, entries: 0 });
  });

  it("keeps within its byte bound by dropping the least recently used", () => {
    const text = "x".repeat(10_000); // ~20 kB in memory
    const cache = new AnswerCache(100_000);
    for (let i = 0; i < 10; i++) cache.set(`/p${i}`, answer("s", text));
    const { entries, bytes } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(100_000);
    expect(entries).toBe(4);
    expect(cache.has("/p9")).toBe(true);
    expect(cache.has("/p0")).toBe(false);
    // An answer larger than the whole cache is not kept at all.
    cache.set("/huge", answer("s", "y".repeat(60_000)));
    expect(cache.has("/huge")).toBe(false);
  });

  it("0 bytes turns it off: nothing is kept, nothing counted as a hit", () => {
    const cache = new AnswerCache(0);
    expect(cache.enabled).toBe(false);
    cache.set("/a", answer("s"));
    expect(cache.has("/a")).toBe(false);
    expect(cache.get("/a", "s")).toBeNull();
    expect(cache.stats().hits).toBe(0);
  });
});

describe("AnswerCache keys", () => {
  it("counts the key's length: long query strings with tiny answers cannot exceed the bound", () => {
    const cache = new AnswerCache(200_000);
    for (let i = 0; i < 100; i++) cache.set(`/api/v1/studies?q=${"x".repeat(8_000)}${i}`, answer("s", "{}"));
    expect(cache.stats().bytes).toBeLessThanOrEqual(200_000);
    expect(cache.stats().entries).toBeLessThan(20);
  });
});

describe("If-Modified-Since values (httpDate)", () => {
  it("takes the three HTTP-date forms and ignores anything else or a date in the future", async () => {
    const { httpDate } = await import("#app/http/api-read.server");
    const ms = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(httpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(ms);
    expect(httpDate("Sunday, 06-Nov-94 08:49:37 GMT")).toBe(ms);
    expect(httpDate("Sun Nov  6 08:49:37 1994")).toBe(ms);
    for (const bad of [
      "year 99999",
      "2026-12-02",
      "Sun, 06 Nov 1994 08:49:37 CET",
      "tomorrow",
      "",
      "Sun, 06 Nov 99999 08:49:37 GMT",
    ])
      expect(httpDate(bad), bad).toBeNull();
    expect(httpDate(new Date(Date.now() + 86_400_000).toUTCString())).toBeNull();
    expect(
      httpDate(new Date(Date.now() - 86_400_000).toUTCString().replace(/\d\d:\d\d:\d\d/, "00:00:00")),
    ).not.toBeNull();
  });
});

describe("AnswerCache counting", () => {
  it("a first look with countMiss: false counts hits but leaves the miss to the second look", () => {
    const cache = new AnswerCache(1 << 20);
    cache.set("/a", answer("s1"));
    expect(cache.get("/a", "s1", { countMiss: false })).not.toBeNull();
    expect(cache.get("/a", "s2", { countMiss: false })).toBeNull(); // stale: dropped, not counted
    expect(cache.get("/a", "s2")).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });
});
