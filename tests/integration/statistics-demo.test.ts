/**
 * Statistics without the demo studies (issue 18 item 4), over HTTP against the built server on a
 * real SQLite file with one real and one demo study, both published: the page and every table's
 * CSV count both by default and only the real one with `demodata=nei` (the page's checkbox; its
 * CSV links carry it); a value the parameter does not take is a 400 that says what it takes.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyInput } from "#app/domain/study";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;

function add(n: number, isDemo: boolean) {
  const input: StudyInput = {
    identifiers: { rek: `91000${n}` },
    title: { nb: `Demotellestudie ${n}` },
    summary: { nb: "En fiktiv studie for å teste statistikken." },
    studyType: "treatment",
    phase: "phase_2",
    leadOrganisationId: "ous",
    sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2030-12-31" }],
    publicationState: "published",
    isDemo,
  };
  saveStudyOrThrow(t.db, input, { actor: { kind: "system", name: "test" } });
}

beforeAll(async () => {
  t = freshDb();
  add(1, false);
  add(2, true);
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false" });
});
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

const box = (html: string) => /<input[^>]*id="uten-demodata"[^>]*>/.exec(html)?.[0] ?? "";
const total = (html: string) => Number(/<strong>(\d+)<\/strong> publiserte studier/.exec(html)?.[1]);
const phaseTotal = async (query: string) => {
  const res = await fetch(`${server.url}/forsker/statistikk/fase.csv${query}`);
  expect(res.status).toBe(200);
  const rows = parse(await res.text(), { delimiter: ";", bom: true }) as string[][];
  const phase2 = rows.find((r) => /Fase 2/.test(r[0] ?? ""));
  return Number(phase2?.at(-1));
};

describe("statistics with and without demo data", () => {
  it("counts the demo study by default and says so, with the checkbox unticked", async () => {
    const html = await (await fetch(`${server.url}/forsker/statistikk`)).text();
    expect(total(html)).toBe(2);
    expect(html).toContain("Tallene omfatter 1 fiktive demostudier");
    expect(box(html)).not.toMatch(/checked/);
    expect(html).toContain('href="/forsker/statistikk/fase.csv"');
    expect(await phaseTotal("")).toBe(2);
  });

  it("demodata=nei leaves the demo study out of the page and the CSV, and the CSV links carry it", async () => {
    const html = await (await fetch(`${server.url}/forsker/statistikk?demodata=nei`)).text();
    expect(total(html)).toBe(1);
    expect(html).toContain("Tallene er uten de fiktive demostudiene");
    expect(box(html)).toMatch(/\schecked/);
    expect(html).toContain('href="/forsker/statistikk/fase.csv?demodata=nei"');
    expect(await phaseTotal("?demodata=nei")).toBe(1);
  });

  it("a value demodata does not take is a 400 that says what it takes", async () => {
    for (const path of ["/forsker/statistikk?demodata=false", "/forsker/statistikk/fase.csv?demodata=false"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain("bruk demodata=nei");
    }
  });
});
