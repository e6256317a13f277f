/**
 * The shipped reference data on a real SQLite file: a first prepare loads the postcode list and
 * the ICD-10/ICPC-2 codes of @navikt/diagnosekoder with no command and no ../shared; a second one
 * changes nothing; a changed file or package version (as a running portal would see it) is
 * reloaded and what the search documents hold is queued for reindexing; a broken file is refused
 * with its line and field and the old list kept.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase, refreshReferenceData, REFERENCE_DIR, referenceSources } from "#app/boot.server";
import { lookupPostcode, countPostcodes } from "#app/models/postcode.server";
import { countIcpc2Codes, lookupIcpc2 } from "#app/models/icd10.server";
import { icd10Names } from "#app/models/reference.server";
import { saveStudy } from "#app/models/study.server";
import { freshDb, tempDir, type TestDb } from "../helpers/db";
import { testStudy } from "../helpers/accounts";

let t: TestDb;
beforeAll(() => {
  t = freshDb({ reference: false });
});
afterAll(() => t.cleanup());

const outbox = () => t.db.prepare("SELECT count(*) FROM search_outbox").pluck().get() as number;
const meta = (key: string) =>
  t.db.prepare("SELECT value FROM app_meta WHERE key = ?").pluck().get(key) as string | undefined;
// Every current postcode of the 2026 list (aprestmo/norway-geodata, MIT), vendored as codes only.
const current = JSON.parse(
  readFileSync(path.resolve("tests/fixtures/postcodes-2026/current-codes.json"), "utf8"),
) as string[];

/** A copy of the shipped sources the test may change (as an upgrade would, under a running portal). */
function copiedSources() {
  const dir = tempDir("ks-ref-");
  cpSync(REFERENCE_DIR, path.join(dir, "reference"), { recursive: true });
  cpSync(referenceSources().diagnosekoderDir, path.join(dir, "diagnosekoder"), { recursive: true });
  return { dir: path.join(dir, "reference"), diagnosekoderDir: path.join(dir, "diagnosekoder") };
}

describe("shipped reference data", () => {
  it("a first prepare loads postcodes, ICD-10 and ICPC-2 without any command", () => {
    expect(countPostcodes(t.db)).toBe(0);
    const report = prepareDatabase(t.db, { seedDemoData: false });
    expect(report.reference.postcodes!.loaded).toBe(countPostcodes(t.db));
    expect(report.reference.codes!.icpc2).toBe(708);
    expect(report.reference.codes!.problems).toEqual([]);
    expect(lookupPostcode(t.db, "5003")).toMatchObject({
      place: "Bergen",
      municipalityNumber: "4601",
      municipality: "Bergen",
      inUse: true,
    });
    expect(lookupPostcode(t.db, "9008")!.place).toBe("Tromsø");
    expect(lookupIcpc2(t.db, "t90")).toEqual({ code: "T90", nameNb: "Diabetes type 2" });
    expect(lookupIcpc2(t.db, "K77")!.nameNb).toBe("Hjertesvikt");
    expect(countIcpc2Codes(t.db)).toBe(708);
    // The package's codes and the project's category headings side by side.
    const names = icd10Names(t.db, ["A000", "C50", "E119"]);
    expect(names.get("A000")).toBe("Kolera som skyldes Vibrio cholerae 01, biovar cholerae");
    expect(names.get("C50")).toBeTruthy();
    expect(names.get("E119")).toBeTruthy();
    expect(meta("reference.postcodes.sha256")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("resolves every current postcode of the 2026 list to a place with coordinates", () => {
    expect(current).toHaveLength(5121);
    const missing = current.filter((code) => {
      const row = lookupPostcode(t.db, code);
      return !row || !row.inUse || !row.place || !(row.lat > 57 && row.lon > -9.5);
    });
    expect(missing).toEqual([]);
    // The ones the old list lacks are placed at their place's or municipality's centre, and marked.
    const fallbacks = t.db.prepare("SELECT postcode, source FROM postcodes WHERE source LIKE '%sentrum%'").all() as {
      postcode: string;
      source: string;
    }[];
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(fallbacks.map((f) => f.postcode)).toContain("9523"); // Kautokeino: the old list's point is broken (lon 84)
    expect(t.db.prepare("SELECT count(*) FROM postcodes WHERE in_use = 1").pluck().get()).toBe(5121);
  });

  it("a second prepare (a restart, db:migrate) loads nothing again", () => {
    const report = prepareDatabase(t.db, { seedDemoData: false });
    expect(report.reference).toEqual({ lists: false, postcodes: null, codes: null, reindexed: 0 });
  });

  it("reloads a changed postcode file, a new package version and changed hospitals, and queues the studies for reindexing", () => {
    const saved = saveStudy(t.db, testStudy({ identifiers: { rek: "881101" } }), {
      actor: { kind: "system", name: "test" },
    });
    expect(saved.ok).toBe(true);
    const sources = copiedSources();
    // Nothing differs yet.
    expect(refreshReferenceData(t.db, { sources })).toEqual({
      lists: false,
      postcodes: null,
      codes: null,
      reindexed: 0,
    });

    // A new postcode file: 5003 moved a little.
    const file = path.join(sources.dir, "postcodes.tsv.gz");
    const text = gunzipSync(readFileSync(file))
      .toString("utf8")
      .replace(/^5003\tBergen\t4601\tBergen\t[0-9.]+\t/m, "5003\tBergen\t4601\tBergen\t60.50000\t");
    writeFileSync(file, gzipSync(text));
    const before = outbox();
    const afterFile = refreshReferenceData(t.db, { sources });
    expect(afterFile.postcodes!.loaded).toBeGreaterThan(5000);
    expect(lookupPostcode(t.db, "5003")!.lat).toBe(60.5);
    expect(afterFile.reindexed).toBe(0); // the index holds no postcodes

    // A new package version renaming one ICD-10 code: loaded, and every study reindexed.
    const pkgFile = path.join(sources.diagnosekoderDir, "package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string };
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, version: `${pkg.version}-test.1` }));
    const icdFile = path.join(sources.diagnosekoderDir, "lib/ICD10.json");
    const icd = JSON.parse(readFileSync(icdFile, "utf8")) as { code: string; text: string }[];
    writeFileSync(
      icdFile,
      JSON.stringify(icd.map((c) => (c.code === "A000" ? { ...c, text: "Kolera (nytt navn)" } : c))),
    );
    const afterPackage = refreshReferenceData(t.db, { sources });
    expect(afterPackage.codes).toMatchObject({
      version: `@navikt/diagnosekoder@${pkg.version}-test.1`,
      icd10Added: 0,
      icd10Renamed: 1,
    });
    expect(icd10Names(t.db, ["A000"]).get("A000")).toBe("Kolera (nytt navn)");
    const studies = t.db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    expect(afterPackage.reindexed).toBe(studies);
    expect(outbox()).toBe(before + studies);

    // A hospital moved in organisations.json: its places are in the search documents.
    const orgFile = path.join(sources.dir, "organisations.json");
    const orgs = JSON.parse(readFileSync(orgFile, "utf8")) as {
      id: string;
      hospitals: { id: string; lat: number }[];
    }[];
    orgs.find((o) => o.id === "st-olavs")!.hospitals[0]!.lat = 63.4;
    writeFileSync(orgFile, JSON.stringify(orgs));
    const afterLists = refreshReferenceData(t.db, { sources });
    expect(afterLists.lists).toBe(true);
    expect(afterLists.reindexed).toBe(studies);
    expect(t.db.prepare("SELECT lat FROM hospitals WHERE id = 'st-olavs-oya'").pluck().get()).toBe(63.4);
  });

  it("refuses a broken postcode file with its line and field and keeps the old list", () => {
    const sources = copiedSources();
    const file = path.join(sources.dir, "postcodes.tsv.gz");
    const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
    lines[3] = lines[3]!.replace(/\t[0-9.]+\t([0-9.]+)\t/, "\tnord\t$1\t");
    writeFileSync(file, gzipSync(lines.join("\n")));
    const count = countPostcodes(t.db);
    expect(() => refreshReferenceData(t.db, { sources })).toThrow(/line 4: lat: "nord"/);
    expect(countPostcodes(t.db)).toBe(count);
  });
});
