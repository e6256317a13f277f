/**
 * Clear words for wrong input (issue 16, item 6), on real SQLite and the real built server:
 *  - a file in another format than the one declared gets ONE rejection saying what it looks like
 *    (the real legacy ClinicalTrials.gov XML from ../shared/data, and small inline files that
 *    always run);
 *  - a file with thousands of identical errors stores a bounded number of rejection rows and one
 *    line saying how many more there were; the database does not grow with the rejected records;
 *  - NUL and other C0 control characters in a title, in every format, never reach the database,
 *    the HTML pages, the CSV export or the referral text;
 *  - native senders are told their own field names, in Norwegian.
 * Run `npm run build` first (the HTTP tests start the built server).
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { importCtgov } from "#app/ingest/registry-import.server";
import type { IngestFormat } from "#app/ingest/types";
import { issueToken } from "#app/models/token.server";
import { freshDb, tempDir, type TestDb } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { describeShared, sharedData } from "../helpers/shared-data";

/** The legacy XML tarball states no licence: read from ../shared/data, skipped with the reason where it is absent. */
const LEGACY_FILE = "ctgov-legacy-xml/reesewang25_AllPublicXML_subset_6786.tar.gz";
const LEGACY_TARBALL = sharedData(LEGACY_FILE);

/** The first regular file of a .tar.gz, read by streaming only as far as needed. */
async function firstFileOfTarGz(file: string): Promise<{ name: string; content: Buffer }> {
  const chunks: Buffer[] = [];
  let have = 0;
  const stream = createReadStream(file).pipe(createGunzip());
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    have += (chunk as Buffer).length;
    const buf = Buffer.concat(chunks, have);
    for (let offset = 0; offset + 512 <= buf.length;) {
      const name = buf
        .subarray(offset, offset + 100)
        .toString("latin1")
        .replace(/\0.*$/s, "");
      const size = parseInt(
        buf
          .subarray(offset + 124, offset + 136)
          .toString("latin1")
          .replace(/\0.*$/s, "")
          .trim() || "0",
        8,
      );
      const type = buf.subarray(offset + 156, offset + 157).toString("latin1");
      if ((type === "0" || type === "\0") && size > 0) {
        if (offset + 512 + size > buf.length) break;
        stream.destroy();
        return { name, content: buf.subarray(offset + 512, offset + 512 + size) };
      }
      offset += 512 + Math.ceil(size / 512) * 512;
    }
  }
  throw new Error(`no file in ${file}`);
}

const LEGACY_XML = `<?xml version="1.0" encoding="UTF-8"?>
<clinical_study>
  <!-- This xml conforms to an XML Schema at:
    https://clinicaltrials.gov/ct2/html/images/info/public.xsd -->
  <required_header><download_date>ClinicalTrials.gov processed this data on February 03, 2023</download_date></required_header>
  <id_info><nct_id>NCT00000102</nct_id></id_info>
  <brief_title>Congenital Adrenal Hyperplasia: Calcium Channels as Therapeutic Targets</brief_title>
${"  <keyword>x</keyword>\n".repeat(200)}</clinical_study>
`;

const rejectionRows = (db: Db, runId: number | null) =>
  db.prepare("SELECT count(*) FROM ingest_rejections WHERE run_id = ?").pluck().get(runId) as number;

describe("a file in another format than declared: one clear message (ingest service, real SQLite)", () => {
  let t: TestDb;
  beforeAll(() => {
    t = freshDb();
  });
  afterAll(() => t.cleanup());

  const ingest = (format: IngestFormat, input: Buffer | string) => {
    const report = ingestBatch(t.db, mapInput(format, Buffer.from(input), buildMapContext(t.db, "st-olavs")), {
      organisationId: "st-olavs",
      format,
      mode: "full",
    });
    return report;
  };

  it.each<[string, IngestFormat, string, RegExp]>([
    [
      "legacy XML as ctgov-json",
      "ctgov-json",
      LEGACY_XML,
      /^Dette ser ut som ClinicalTrials\.gov legacy XML \(<clinical_study>\), ikke ctgov-json; støttede formater er: native, ctgov-json, ctgov-csv, fhir, ctis-csv\. ClinicalTrials\.gov har avviklet XML-formatet/,
    ],
    ["legacy XML as native", "native", LEGACY_XML, /legacy XML \(<clinical_study>\), ikke native/],
    ["legacy XML as fhir", "fhir", LEGACY_XML, /legacy XML \(<clinical_study>\), ikke fhir/],
    ["legacy XML as ctgov-csv", "ctgov-csv", LEGACY_XML, /legacy XML \(<clinical_study>\), ikke ctgov-csv/],
    ["legacy XML as ctis-csv", "ctis-csv", LEGACY_XML, /legacy XML \(<clinical_study>\), ikke ctis-csv/],
    [
      "an HTML login page as native",
      "native",
      "<!DOCTYPE html><html><head><title>Logg inn – Helse Nord</title>",
      /HTML-side \(«Logg inn – Helse Nord»\)/,
    ],
    [
      "CT.gov JSON as native",
      "native",
      JSON.stringify([{ protocolSection: { identificationModule: { nctId: "NCT01234567" } } }]),
      /ClinicalTrials\.gov API v2 JSON.*send den som ctgov-json/,
    ],
    [
      "the native listing as ctgov-json",
      "ctgov-json",
      JSON.stringify([{ id: 1, tittel: "Ung og ADHD", status: "Åpen for rekruttering" }]),
      /native JSON.*send den som native/,
    ],
    ["the retired CT.gov v1 API as ctgov-json", "ctgov-json", '{"FullStudiesResponse":{"FullStudies":[]}}', /API v1/],
    ["a FHIR Patient as fhir", "fhir", '{"resourceType":"Patient","id":"p1"}', /resourceType Patient/],
    [
      "a CTIS CSV as ctgov-csv",
      "ctgov-csv",
      "Trial number,Title of the trial,Overall trial status\n2023-500001-01-00,T,Ongoing\n",
      /EU CTIS CSV.*send den som ctis-csv/,
    ],
    ["an empty file as native", "native", "", /^filen er tom/],
  ])("%s", (_name, format, input, message) => {
    const before = t.db.prepare("SELECT count(*) FROM studies").pluck().get();
    const report = ingest(format, input);
    expect(report).toMatchObject({ received: 1, rejected: 1, created: 0, withdrawn: 0 });
    expect(report.rejections).toEqual([
      { ref: "hele filen", externalId: null, field: "(format)", message: expect.stringMatching(message) },
    ]);
    expect(rejectionRows(t.db, report.runId)).toBe(1);
    expect(t.db.prepare("SELECT count(*) FROM studies").pluck().get()).toBe(before);
  });

  it("the ClinicalTrials.gov registry import (npm run import:ctgov) answers legacy XML the same way", () => {
    const report = importCtgov(t.db, Buffer.from(LEGACY_XML), { format: "ctgov-json" });
    expect(report).toMatchObject({ received: 1, studies: 0, rejectedCount: 1 });
    expect(report.rejected).toEqual([
      {
        ref: "hele filen",
        externalId: null,
        field: "(format)",
        message: expect.stringMatching(/^Dette ser ut som ClinicalTrials\.gov legacy XML/),
      },
    ]);
  });

  it("CT.gov JSON Lines that stop being JSON: reading stops after 50 bad lines in a row, with one line saying how many were not read", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `rad ${i} er ikke JSON`).join("\n");
    const report = ingest("ctgov-json", lines);
    expect(report.rejections).toHaveLength(51);
    expect(report.rejections[50]!.message).toBe(
      "lesingen er stoppet etter 50 linjer på rad som ikke er gyldig JSON; de 4950 siste ikke-tomme linjene er ikke lest",
    );
    expect(rejectionRows(t.db, report.runId)).toBe(51);
  });
});

describe("thousands of identical errors: a bounded list, and the database does not grow", () => {
  let t: TestDb;
  beforeAll(() => {
    t = freshDb();
  });
  afterAll(() => t.cleanup());

  const fileSize = () => {
    t.db.pragma("wal_checkpoint(TRUNCATE)");
    return statSync(t.file).size + (existsSync(`${t.file}-wal`) ? statSync(`${t.file}-wal`).size : 0);
  };

  it("20,000 records with the same error: rejected counts all, 50 rows + 1 summary stored, the file grows by less than 64 KB", () => {
    const good = {
      id: "OK1",
      tittel: "Gyldig studie",
      sammendrag: "Et sammendrag.",
      studietype: "behandling",
      identifikatorer: { rek: "765001" },
      studiesteder: [{ foretak: "st-olavs", inklusjon_start: "2026-01-01" }],
    };
    const bad = Array.from({ length: 20_000 }, (_, i) => ({ id: `B${i}`, tittel: `Studie ${i}`, fase: "9" }));
    const input = Buffer.from(JSON.stringify([good, ...bad]));
    const before = fileSize();
    const report = ingestBatch(t.db, mapInput("native", input, buildMapContext(t.db, "st-olavs")), {
      organisationId: "st-olavs",
      format: "native",
      mode: "partial",
    });
    const after = fileSize();
    expect(report).toMatchObject({ received: 20_001, created: 1, rejected: 20_000 });
    expect(report.rejections).toHaveLength(51);
    expect(report.rejections[0]).toMatchObject({
      ref: "studie 2 (id B0)",
      externalId: "B0",
      field: "fase",
      message: 'må være en av: "1", "2", "3", "4", "tidlig_1", "1/2", "2/3", "ikke_aktuelt"',
    });
    expect(report.rejections[50]).toMatchObject({ ref: "hele filen", field: "fase" });
    expect(report.rejections[50]!.message).toMatch(/^og 19950 flere avvisninger av samme slag/);
    expect(rejectionRows(t.db, report.runId)).toBe(51);
    expect(t.db.prepare("SELECT rejected FROM ingest_runs WHERE id = ?").pluck().get(report.runId)).toBe(20_000);
    // One valid study and one run: a few pages, not a row per rejected record (that was ~2 MB here).
    expect(after - before).toBeLessThan(64 * 1024);
  });

  it("every rejection names the record (ref and id), the field in the sender's terms, and why — in Norwegian", () => {
    const input = Buffer.from(
      JSON.stringify([
        { id: "N1", tittel: "Feil dato", studiesteder: [{ foretak: "st-olavs", inklusjon_start: "2026-02-30" }] },
        {
          id: "N2",
          tittel: "Slutt før start",
          studiesteder: [{ foretak: "st-olavs", inklusjon_start: "2027-01-01", inklusjon_slutt: "2026-01-01" }],
        },
        { id: "N3", tittel: "Kontakt uten e-post eller telefon", kontakter: [{ navn: "Kari" }] },
        { id: "N4", tittel: 42, alder_min: "18", kjonn: "begge", studiesteder: [{ foretak: "st-olavs", pause: "ja" }] },
      ]),
    );
    const report = ingestBatch(t.db, mapInput("native", input, buildMapContext(t.db, "st-olavs")), {
      organisationId: "st-olavs",
      format: "native",
      mode: "partial",
    });
    const told = report.rejections.map((r) => `${r.ref} | ${r.externalId} | ${r.field} | ${r.message}`);
    expect(told).toEqual([
      "studie 4 (id N4) | N4 | tittel | må være tekst (fikk et tall (42))",
      "studie 4 (id N4) | N4 | alder_min | må være et tall (fikk tekst)",
      'studie 4 (id N4) | N4 | kjonn | må være en av: "alle", "kvinner", "menn"',
      "studie 4 (id N4) | N4 | studiesteder[0].pause | må være true eller false (fikk tekst)",
      expect.stringMatching(/^studie 1 \(id N1\) \| N1 \| studiesteder\[0\]\.inklusjon_start \| .*gyldig dato/),
      "studie 2 (id N2) | N2 | studiesteder[0].inklusjon_slutt | inklusjonsslutt (2026-01-01) er før inklusjonsstart (2027-01-01)",
      "studie 3 (id N3) | N3 | kontakter[0].epost | en kontakt må ha e-post eller telefon",
    ]);
    for (const r of report.rejections)
      expect(`${r.field} ${r.message}`).not.toMatch(/sites\.|inclusion|Invalid|expected|received/);
  });
});

describeShared(LEGACY_FILE, "the real legacy ClinicalTrials.gov XML", () => {
  const dir = tempDir("ks-wrong-input-");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("one XML file from the AllPublicXML tarball, sent as ctgov-json: one rejection saying what it is", async () => {
    const { name, content } = await firstFileOfTarGz(LEGACY_TARBALL);
    expect(name).toMatch(/NCT\d{8}\.xml$/);
    expect(content.toString("utf8")).toContain("<clinical_study");
    const t = freshDb();
    try {
      const report = ingestBatch(t.db, mapInput("ctgov-json", content, buildMapContext(t.db, "ous")), {
        organisationId: "ous",
        format: "ctgov-json",
        mode: "partial",
      });
      // Before: one "ugyldig JSON" rejection per line of the file (135 for NCT00496392.xml).
      expect(report).toMatchObject({ received: 1, rejected: 1 });
      expect(report.rejections).toEqual([
        {
          ref: "hele filen",
          externalId: null,
          field: "(format)",
          message: expect.stringMatching(
            /^Dette ser ut som ClinicalTrials\.gov legacy XML \(<clinical_study>\), ikke ctgov-json; støttede formater er: native, ctgov-json, ctgov-csv, fhir, ctis-csv/,
          ),
        },
      ]);
      expect(rejectionRows(t.db, report.runId)).toBe(1);
    } finally {
      t.cleanup();
    }
  });

  it("the whole tarball (6,786 files, 2.58 million lines) through `npm run ingest` as ctgov-json: one rejection, one row, a small database", () => {
    const dbFile = path.join(dir, "cli.db");
    // The CLI's environment (as tests/integration/ingest-cli.test.ts): ours minus Vite's BASE_URL.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: dbFile };
    delete env.BASE_URL;
    const run = spawnSync(
      path.resolve("node_modules/.bin/tsx"),
      ["scripts/ingest.ts", "--org", "ous", "--format", "ctgov-json", "--json", LEGACY_TARBALL],
      { env, encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as {
      received: number;
      rejected: number;
      rejections: { field: string; message: string }[];
      runId: number;
    };
    // Before: received 2,580,722, rejected 2,580,722, 84 s, a 289 MB database.
    expect(report).toMatchObject({ received: 1, rejected: 1 });
    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]!.message).toMatch(
      /^Dette ser ut som et tar-arkiv med ClinicalTrials\.gov legacy XML \(<clinical_study>\) \(første fil: NCT\d{4}xxxx\/NCT\d{8}\.xml\), gzip-komprimert, ikke ctgov-json/,
    );
    const db = openDatabase(dbFile);
    expect(rejectionRows(db, report.runId)).toBe(1);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    expect(statSync(dbFile).size).toBeLessThan(5 * 1024 * 1024);
  });
});

describe("NUL and other control characters in a title, in every format, over HTTP against the built server", () => {
  const dir = tempDir("ks-nul-");
  const dbFile = path.join(dir, "nul.db");
  let server: RunningServer;
  let token = "";
  let db: Db;

  beforeAll(async () => {
    const setup = openDatabase(dbFile);
    prepareDatabase(setup, { seedDemoData: false });
    token = issueToken(setup, "st-olavs", "nul").token;
    setup.close();
    server = await startServer({
      DATABASE_PATH: dbFile,
      SEED_DEMO_DATA: "false",
      API_RATE_LIMIT_PER_MINUTE: "0",
      SESSION_SECRET: "n".repeat(40),
    });
    db = openDatabase(dbFile);
  }, 120_000);
  afterAll(async () => {
    db?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** "Nulltest <format>" with a NUL and an ESC inside; stored, it must read "Nulltest <format> tittel". */
  const dirty = (format: string) => `Nulltest\u0000 ${format}\u001b tittel`;
  const clean = (format: string) => `Nulltest ${format} tittel`;

  const INPUTS: [IngestFormat, string, string][] = [
    [
      "native",
      "application/json",
      JSON.stringify([
        {
          id: "NUL1",
          tittel: dirty("native"),
          sammendrag: "Sammendrag\u0000 med NUL.",
          studietype: "behandling",
          identifikatorer: { rek: "765111" },
          kontakter: [{ navn: "Kari\u0007 Nordmann", epost: "kari@example.no" }],
          studiesteder: [
            {
              foretak: "st-olavs",
              inklusjon_start: "2026-01-01",
              inklusjon_slutt: "2030-12-31",
              henvisning: "Ring\u0000 oss.",
            },
          ],
        },
      ]),
    ],
    [
      "ctgov-json",
      "application/json",
      JSON.stringify({
        protocolSection: {
          identificationModule: { nctId: "NCT09000001", briefTitle: dirty("ctgov-json") },
          statusModule: {
            overallStatus: "RECRUITING",
            startDateStruct: { date: "2026-01-01" },
            primaryCompletionDateStruct: { date: "2030-12-31" },
          },
          descriptionModule: { briefSummary: "Brief\u0000 summary." },
          designModule: { studyType: "INTERVENTIONAL" },
          sponsorCollaboratorsModule: { leadSponsor: { name: "St. Olavs Hospital" } },
          contactsLocationsModule: {
            locations: [{ facility: "St. Olavs Hospital", city: "Trondheim", country: "Norway", status: "RECRUITING" }],
          },
        },
      }),
    ],
    [
      "ctgov-csv",
      "text/csv",
      [
        "NCT Number,Study Title,Study Status,Brief Summary,Study Type,Start Date,Primary Completion Date,Sponsor,Locations",
        `NCT09000002,"${dirty("ctgov-csv")}",RECRUITING,"Brief\u0000 summary.",INTERVENTIONAL,2026-01-01,2030-12-31,St. Olavs Hospital,"St. Olavs Hospital, Trondheim, Norway"`,
        "",
      ].join("\r\n"),
    ],
    [
      "ctis-csv",
      "text/csv",
      [
        "Trial number,Title of the trial,Overall trial status,Location(s) and recruitment status,Start date,Last updated",
        `2023-509001-01-00,"${dirty("ctis-csv")}","Ongoing, recruiting","Norway:Ongoing, recruiting",01/01/2026,01/02/2026`,
        "",
      ].join("\r\n"),
    ],
    [
      "fhir",
      "application/fhir+json",
      JSON.stringify({
        resourceType: "ResearchStudy",
        id: "nul-fhir-1",
        title: dirty("fhir"),
        description: "Beskrivelse\u0000 med NUL.",
        status: "active",
        primaryPurposeType: { coding: [{ code: "treatment" }] },
        period: { start: "2026-01-01", end: "2030-12-31" },
      }),
    ],
  ];

  it.each(INPUTS)("%s: stored without them, with a warning naming the field", async (format, contentType, body) => {
    const res = await fetch(`${server.url}/api/v1/organisations/st-olavs/studies?format=${format}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body,
    });
    const report = (await res.json()) as {
      created: number;
      rejections: unknown[];
      warnings: { ref: string; message: string }[];
    };
    expect(res.status, JSON.stringify(report).slice(0, 600)).toBe(200);
    expect(report.created, JSON.stringify(report.rejections)).toBe(1);
    expect(report.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/: kontrolltegn \(U\+0000, U\+001B\) er fjernet fra teksten$/),
    );
    const id = db
      .prepare("SELECT study_id FROM study_texts WHERE field = 'title' AND text = ?")
      .pluck()
      .get(clean(format));
    expect(id, `the study titled "${clean(format)}"`).toBeTruthy();
  });

  it("the native sender is told its own field names", async () => {
    const res = await fetch(`${server.url}/api/v1/organisations/st-olavs/studies?format=native&dryRun=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: INPUTS[0]![2],
    });
    const report = (await res.json()) as { warnings: { message: string }[] };
    const messages = report.warnings.map((w) => w.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "tittel: kontrolltegn (U+0000, U+001B) er fjernet fra teksten",
        "sammendrag: kontrolltegn (U+0000) er fjernet fra teksten",
        "kontakter[0].navn: kontrolltegn (U+0007) er fjernet fra teksten",
        "studiesteder[0].henvisning: kontrolltegn (U+0000) er fjernet fra teksten",
      ]),
    );
  });

  it("legacy XML sent over HTTP as ctgov-json: 422 whose message is the one clear sentence", async () => {
    const res = await fetch(`${server.url}/api/v1/organisations/st-olavs/studies?format=ctgov-json`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" },
      body: LEGACY_XML,
    });
    const json = (await res.json()) as { error: { code: string; message: string; details: { rejections: unknown[] } } };
    expect(res.status).toBe(422);
    expect(json.error.code).toBe("unprocessable");
    expect(json.error.message).toMatch(
      /^Ingen studier kunne lagres: Dette ser ut som ClinicalTrials\.gov legacy XML \(<clinical_study>\), ikke ctgov-json; støttede formater er: native, ctgov-json, ctgov-csv, fhir, ctis-csv/,
    );
    expect(json.error.details.rejections).toHaveLength(1);
  });

  it("no text column of any table holds a C0 control character", () => {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'",
      )
      .pluck()
      .all() as string[];
    const found: string[] = [];
    for (const table of tables) {
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[]).filter(
        (c) => /TEXT|^$/i.test(c.type),
      );
      for (const { name } of columns) {
        const n = db
          .prepare(
            `SELECT count(*) FROM "${table}" WHERE instr(CAST("${name}" AS TEXT), char(0)) > 0 OR instr(CAST("${name}" AS TEXT), char(27)) > 0 OR instr(CAST("${name}" AS TEXT), char(7)) > 0`,
          )
          .pluck()
          .get() as number;
        if (n > 0) found.push(`${table}.${name}: ${n}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("the public pages, the referral text and the CSV export show the cleaned text, never a control character", async () => {
    const published = db
      .prepare(
        "SELECT s.id, t.text FROM studies s JOIN study_texts t ON t.study_id = s.id AND t.field = 'title' AND t.lang = 'nb' WHERE t.text LIKE 'Nulltest %' AND s.publication_state = 'published'",
      )
      .all() as { id: number; text: string }[];
    // native, CT.gov JSON and CSV, and FHIR have a summary and are public; CTIS waits for an editor.
    expect(published.map((p) => p.text).sort()).toEqual(["ctgov-csv", "ctgov-json", "fhir", "native"].map(clean));
    for (const { id, text } of published) {
      for (const p of [
        `/pasient/studier/${id}`,
        `/helsepersonell/studier/${id}`,
        `/helsepersonell/studier/${id}/henvisning.txt`,
      ]) {
        const res = await fetch(`${server.url}${p}`);
        const body = await res.text();
        expect(res.status, p).toBe(200);
        expect(body, p).toContain(text);
        // eslint-disable-next-line no-control-regex
        expect(body, p).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]|&#0;|&#x0;|\uFFFD/);
      }
    }
    const csv = await (await fetch(`${server.url}/api/v1/export/studies.csv`)).text();
    for (const { text } of published) expect(csv).toContain(text);
    // eslint-disable-next-line no-control-regex
    expect(csv).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
