/**
 * Pure parts of the live stream, the feeds and the embeds: event ids and their one order, Atom and
 * iCalendar text (escaping, CRLF, folding at 75 octets), ICD-10 chapters, the frame-ancestors check.
 * The documents themselves are parsed by real parsers in tests/integration/realtime-feeds-embeds.test.ts.
 */
import ICAL from "ical.js";
import { parseAtomFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { icd10Chapter } from "#app/search/meilisearch-settings";
import { isFrameAncestors, parseConfig } from "#app/config.server";
import { loadReferenceData } from "#app/boot.server";
import { renderAtom, tagUri } from "#app/feeds/atom";
import { foldLine, icsText, renderCalendar } from "#app/feeds/icalendar";
import { chapterOfCode, ICD10_CHAPTERS } from "#app/feeds/icd10-chapters";
import { xmlText } from "#app/feeds/xml";
import { embedCsp } from "#app/embed/embed.server";
import { formatId, InvalidEventIdError, orderEvents, parseEventId } from "#app/realtime/hub.server";
import type { StatusEventRow, StreamChangeRow } from "#app/models/realtime.server";

const urls = { base: "https://kliniskestudier.no" };

const change = (
  seq: number,
  state: StreamChangeRow["state"] = "published",
  previousState: StreamChangeRow["previousState"] = "published",
): StreamChangeRow => ({
  seq,
  studyId: 100 + seq,
  version: 2,
  createdAt: "2026-03-01T10:00:00.000Z",
  state,
  previousState,
  title: `Studie ${seq}`,
  leadOrganisationId: "ous",
  organisations: ["ous"],
});
const status = (seq: number, afterChange: number): StatusEventRow => ({
  seq,
  studyId: 7,
  at: "2026-03-01T23:00:00.000Z",
  status: "open",
  previousStatus: "planned",
  sites: [{ siteId: 1, organisationId: "ous", hospitalId: null, from: "planned", to: "open" }],
  createdAt: "2026-03-01T23:00:00.000Z",
  afterChange,
});

describe("event ids", () => {
  const heads = { change: 120, status: 7 };
  it("reads <change>-<status> and a bare change cursor", () => {
    expect(parseEventId("120-7", heads)).toEqual({ change: 120, status: 7 });
    expect(parseEventId(" 5-0 ", heads)).toEqual({ change: 5, status: 0 });
    // A /api/v1/changes cursor: every status event so far counts as seen.
    expect(parseEventId("42", heads)).toEqual({ change: 42, status: 7 });
    expect(formatId({ change: 3, status: 9 })).toBe("3-9");
  });
  it("refuses anything else with a message that says what to send", () => {
    for (const bad of ["abc", "-1", "1-2-3", "1e5", "12 ; drop", "١٢٣", "9".repeat(40), "<script>"]) {
      expect(() => parseEventId(bad, heads), bad).toThrow(InvalidEventIdError);
    }
    expect(() => parseEventId("121-0", heads)).toThrow(/forbi slutten/);
    expect(() => parseEventId("1-8", heads)).toThrow(/forbi slutten/);
    expect(() => parseEventId("x", heads)).toThrow(/<endring>-<status>/);
  });
});

describe("one order of changes and status events", () => {
  it("places a status event after the change-log head it was written at; ids are the position after each event", () => {
    const { events, position } = orderEvents(
      { change: 0, status: 0 },
      [change(1), change(2), change(3)],
      [status(1, 1), status(2, 3)],
      urls,
    );
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ["1-0", "study.changed"],
      ["1-1", "study.status"],
      ["2-1", "study.changed"],
      ["3-1", "study.changed"],
      ["3-2", "study.status"],
    ]);
    expect(position).toEqual({ change: 3, status: 2 });
  });
  it("gives the same ids when replayed from any position in between", () => {
    const all = orderEvents(
      { change: 0, status: 0 },
      [change(1), change(2), change(3)],
      [status(1, 1), status(2, 3)],
      urls,
    ).events;
    const fromMiddle = orderEvents({ change: 1, status: 1 }, [change(2), change(3)], [status(2, 3)], urls).events;
    expect(fromMiddle).toEqual(all.slice(2));
  });
  it("names the kind of change; changes the public never saw make no event but move the position", () => {
    const { events, position } = orderEvents(
      { change: 0, status: 0 },
      [
        change(1, "published", null),
        change(2, "draft", null),
        change(3, "withdrawn", "published"),
        change(4, "submitted", "published"),
      ],
      [],
      urls,
    );
    expect(events.map((e) => e.event)).toEqual(["study.published", "study.withdrawn", "study.withdrawn"]);
    expect(events.map((e) => (e.data as { reason?: string }).reason)).toEqual([undefined, "withdrawn", "unpublished"]);
    expect(events[0]!.data).toMatchObject({ studyId: 101, links: { web: "https://kliniskestudier.no/studier/101" } });
    expect(position.change).toBe(4);
  });
});

describe("Atom text", () => {
  it("escapes markup and drops characters XML cannot carry", () => {
    expect(xmlText(`<b>&"x"</b>\u0001\u0000\uFFFE ok`)).toBe(`&lt;b&gt;&amp;"x"&lt;/b&gt; ok`);
  });
  it("makes tag: URIs from the host name without the port", () => {
    expect(tagUri("http://localhost:3000", "feeds/studies")).toBe("tag:localhost,2026:feeds/studies");
    expect(tagUri("https://KlinISKEstudier.no/", "study/1")).toBe("tag:kliniskestudier.no,2026:study/1");
  });
  it("renders a feed a real parser reads back, hostile text included", () => {
    const hostile = `</title><script>alert(1)</script> & "æøå" \u0007`;
    const xml = renderAtom({
      id: "tag:x,2026:f",
      title: hostile,
      updated: "2026-03-01T10:00:00.123Z",
      authors: [{ name: hostile }],
      links: [{ rel: "self", href: `https://x.no/feeds/search.atom?q=${encodeURIComponent(hostile)}&a="b"` }],
      entries: [
        {
          id: "tag:x,2026:e",
          title: hostile,
          updated: "2026-03-01T10:00:00Z",
          authors: [{ name: "A" }],
          links: [{ rel: "alternate", href: "https://x.no/studier/1" }],
          summary: hostile,
        },
      ],
    });
    expect(xml).not.toContain("<script>");
    const feed = parseAtomFeed(xml);
    expect(feed.title).toMatchObject({ value: hostile.replace("\u0007", "").trim() });
    expect(feed.updated).toBe("2026-03-01T10:00:00Z");
    expect(feed.entries?.[0]?.summary).toMatchObject({ value: hostile.replace("\u0007", "").trim() });
  });
});

describe("iCalendar text", () => {
  it("escapes TEXT values (RFC 5545 §3.3.11)", () => {
    expect(icsText("a\\b;c,d\ne\r\nf\u0001")).toBe("a\\\\b\\;c\\,d\\ne\\nf ");
  });
  it("folds at 75 octets without splitting a UTF-8 character", () => {
    const line = `SUMMARY:${"æøå".repeat(40)}`;
    const folded = foldLine(line);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, p] of physical.entries()) {
      expect(Buffer.byteLength(p, "utf8"), p).toBeLessThanOrEqual(75);
      if (i > 0) expect(p.startsWith(" ")).toBe(true);
      expect(p).not.toContain("\uFFFD");
    }
    expect(physical.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
    expect(foldLine("SHORT:x")).toBe("SHORT:x");
  });
  it("renders a calendar ical.js reads back: CRLF only, all-day events, the text intact", () => {
    const title = `Studie om «brystkreft»; fase 3, del 2\\ny\n${"lang tekst ".repeat(12)}`;
    const text = renderCalendar({
      prodId: "-//Test//Test//NB",
      name: "Test",
      events: [
        {
          uid: "study-1-site-2@x",
          date: "2026-06-30",
          stamp: "2026-03-01T10:00:00.000Z",
          summary: title,
          url: "https://x.no/studier/1",
        },
      ],
    });
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const comp = new ICAL.Component(ICAL.parse(text));
    const event = new ICAL.Event(comp.getFirstSubcomponent("vevent")!);
    expect(event.uid).toBe("study-1-site-2@x");
    expect(event.summary).toBe(title);
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe("2026-06-30");
    expect(event.endDate.toString()).toBe("2026-07-01");
  });
});

describe("ICD-10 chapters", () => {
  it("agree with the search engines' chapter facet for every code in the reference list", () => {
    for (const { code } of loadReferenceData().icd10) {
      expect(chapterOfCode(code)?.id ?? null, code).toBe(icd10Chapter(code));
    }
    expect(ICD10_CHAPTERS).toHaveLength(22);
    expect(chapterOfCode("C50.9")?.id).toBe("II");
    expect(chapterOfCode("nope")).toBeNull();
  });
});

describe("EMBED_FRAME_ANCESTORS", () => {
  it("accepts CSP sources and refuses what could break or widen the header", () => {
    for (const ok of [
      "*",
      "'self'",
      "'none'",
      "https:",
      "https://www.helse-bergen.no",
      "https://*.helse-nord.no 'self'",
      "http://localhost:8080",
    ]) {
      expect(isFrameAncestors(ok), ok).toBe(true);
    }
    for (const bad of [
      "",
      "a; script-src *",
      "'none' https://x.no",
      "javascript:",
      "'unsafe-inline'",
      "https://x.no,https://y.no",
      '"*"',
    ]) {
      expect(isFrameAncestors(bad), bad).toBe(false);
    }
    expect(parseConfig({}).EMBED_FRAME_ANCESTORS).toBe("*");
    expect(parseConfig({ EMBED_FRAME_ANCESTORS: " https://a.no \n  https://b.no " }).EMBED_FRAME_ANCESTORS).toBe(
      "https://a.no https://b.no",
    );
    expect(() => parseConfig({ EMBED_FRAME_ANCESTORS: "x; y" })).toThrow(/EMBED_FRAME_ANCESTORS: must be/);
    expect(embedCsp("'self'")).toMatch(/frame-ancestors 'self'$/);
    expect(embedCsp("*")).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
  });
});
