/** The full Norwegian ICD-10 list (the npm package @navikt/diagnosekoder, 19,634 codes) into a real database; hostile entries. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIcd10List } from "#app/ingest/icd10-list";
import { countIcd10Codes, suggestIcd10, upsertIcd10Codes } from "#app/models/icd10.server";
import { icd10Names } from "#app/models/reference.server";
import { referenceSources } from "#app/boot.server";
import { freshDb, type TestDb } from "../helpers/db";

const FILE = path.join(referenceSources().diagnosekoderDir, "lib/ICD10.json");
let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

describe("ICD-10 list", () => {
  it("loads every code of the real list, then changes nothing on a second load", () => {
    const parsed = parseIcd10List(readFileSync(FILE, "utf8"));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries).toHaveLength(19_634);
    const before = countIcd10Codes(t.db);
    const first = upsertIcd10Codes(t.db, parsed.entries);
    expect(first.added + before).toBe(countIcd10Codes(t.db));
    expect(countIcd10Codes(t.db)).toBeGreaterThanOrEqual(19_634);
    expect(upsertIcd10Codes(t.db, parsed.entries)).toEqual({ added: 0, renamed: 0 });
    expect(icd10Names(t.db, ["C509", "A000"]).get("A000")).toBe(
      "Kolera som skyldes Vibrio cholerae 01, biovar cholerae",
    );
  });

  it("suggests codes by code prefix (with or without a dot) and by name", () => {
    expect(suggestIcd10(t.db, "c50.9")[0]!.code).toBe("C509");
    expect(suggestIcd10(t.db, "C50").map((e) => e.code)[0]).toBe("C50");
    const byName = suggestIcd10(t.db, "kolera", 5);
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((e) => e.nameNb.toLowerCase().includes("kolera"))).toBe(true);
    // Names that start with Ø are found in lower case too.
    const eye = suggestIcd10(t.db, "øye", 50);
    expect(eye.some((e) => e.nameNb.startsWith("Øye"))).toBe(true);
    expect(suggestIcd10(t.db, "%")).toEqual([]);
    expect(suggestIcd10(t.db, "_")).toEqual([]);
  });

  it("reports each bad entry with its position and field, and keeps the good ones", () => {
    const parsed = parseIcd10List(
      JSON.stringify([
        { code: "C509", text: "Ondartet svulst i bryst, uspesifisert" },
        { code: "DROP TABLE", text: "x" },
        { code: "C34", text: "" },
        { text: "uten kode" },
        { code: "C509", text: "dobbel" },
        "tekst",
      ]),
    );
    expect(parsed.entries).toEqual([{ code: "C509", nameNb: "Ondartet svulst i bryst, uspesifisert" }]);
    expect(parsed.problems.map((p) => `${p.ref}:${p.field}`)).toEqual([
      "oppføring 2:code",
      "oppføring 3:text",
      "oppføring 4:code",
      "oppføring 5:code",
      "oppføring 6:(oppføring)",
    ]);
    expect(parseIcd10List("{not json").problems[0]!.field).toBe("(JSON)");
    expect(parseIcd10List('{"code":"C50"}').problems[0]!.message).toMatch(/liste/);
  });
});
