/**
 * Issue 19 item 5 (WCAG 3.1.2) on the real built app and a real SQLite file: a ClinicalTrials.gov
 * study's English words (kept as both `en` and `nb`, ADR 0023) are marked lang="en" on Norwegian
 * pages, with a note that no Norwegian summary exists yet; an English page needs no mark or note.
 * The record is a real one (MIT-licensed extract in tests/fixtures/ctgov-v2).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { freshDb, type TestDb } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { readFixture } from "../helpers/shared-data";

const NCT = "NCT05816382";
let t: TestDb;
let server: RunningServer;
let studyId: number;
let title: string;

beforeAll(async () => {
  t = freshDb();
  const records = JSON.parse(readFixture("ctgov-v2/norway-mit-sources.json").toString("utf8")) as {
    protocolSection: { identificationModule: { nctId: string; briefTitle: string } };
  }[];
  const record = records.find((r) => r.protocolSection.identificationModule.nctId === NCT)!;
  title = record.protocolSection.identificationModule.briefTitle;
  const mapped = mapInput("ctgov-json", Buffer.from(JSON.stringify([record])), buildMapContext(t.db, "ous"));
  const report = ingestBatch(t.db, mapped, { organisationId: "ous", format: "ctgov-json", mode: "partial" });
  expect(report.created).toBe(1);
  studyId = t.db.prepare("SELECT id FROM studies WHERE nct_id = ?").pluck().get(NCT) as number;
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false" });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const h1Of = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)![1];

describe("English registry text on Norwegian pages", () => {
  it.each([
    ["/pasient/studier", "", "Studien har ennå ikke noe norsk sammendrag"],
    ["/pasient/studier", "?lang=nn", "Studien har enno ikkje noko norsk samandrag"],
    ["/helsepersonell/studier", "", "Studien har ennå ikke noe norsk sammendrag"],
  ])('%s%s marks the English title lang="en" and says there is no Norwegian summary yet', async (path, query, note) => {
    const response = await fetch(`${server.url}${path}/${studyId}${query}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(h1Of(html)).toContain(`<span lang="en">${escapeHtml(title)}</span>`);
    expect(html).toContain(note);
  });

  it("the patient and clinician result lists mark the English title too", async () => {
    for (const path of ["/pasient?q=TAK-861&status=alle", "/helsepersonell?q=TAK-861&status=alle"]) {
      const html = await (await fetch(`${server.url}${path}`)).text();
      expect(html, path).toContain(`<span lang="en">${escapeHtml(title)}</span>`);
    }
  });

  it("an English page shows the same words unmarked and without the note", async () => {
    const html = await (await fetch(`${server.url}/pasient/studier/${studyId}?lang=en`)).text();
    expect(h1Of(html)).toContain(`<span>${escapeHtml(title)}</span>`);
    expect(html).not.toContain("only available in");
  });
});
