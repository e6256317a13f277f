import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBolstadPostcodes } from "~/ingest/postcodes";
import { countPostcodes, lookupPostcode, replacePostcodes } from "~/models/postcode.server";
import { freshDb, type TestDb } from "../helpers/db";

const FILE = path.resolve(process.cwd(), "../shared/data/norway-postcodes/erikbolstad_postnummer.tsv");
let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

describe("postcodes from the real postnummer list", () => {
  it("loads every postcode with coordinates and looks them up", () => {
    const parsed = parseBolstadPostcodes(readFileSync(FILE, "utf8"));
    // 5,786 lines; one real data error is refused with its line: 9523 Kautokeino has longitude 84.0.
    expect(parsed.rows.length).toBe(5785);
    expect(parsed.problems).toEqual([{ line: 5650, message: "koordinater utenfor Norge for 9523" }]);
    expect(parsed.rows.some((r) => r.postcode === "9170" && r.lat > 78)).toBe(true); // Longyearbyen, Svalbard
    replacePostcodes(t.db, parsed.rows, "erikbolstad_postnummer.tsv");
    expect(countPostcodes(t.db)).toBe(5785);
    const trondheim = lookupPostcode(t.db, "7030")!;
    expect(trondheim.place).toBe("Trondheim");
    expect(trondheim.municipalityNumber).toBe("5001");
    expect(trondheim.lat).toBeGreaterThan(63.3);
    expect(trondheim.lat).toBeLessThan(63.5);
    expect(lookupPostcode(t.db, "0001")!.municipalityNumber).toBe("0301");
    expect(lookupPostcode(t.db, "9999")).toBeNull();
    expect(lookupPostcode(t.db, "70300")).toBeNull();
    expect(lookupPostcode(t.db, "' OR 1=1 --")).toBeNull();
  });

  it("refuses a file without the expected columns and keeps the old list", () => {
    const parsed = parseBolstadPostcodes("NR\tSTED\n7030\tTrondheim\n");
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems[0]!.message).toContain("POSTNR");
    expect(countPostcodes(t.db)).toBe(5785);
  });

  it("reports bad lines by number and loads the good ones", () => {
    const header = readFileSync(FILE, "utf8").split("\n")[0];
    const parsed = parseBolstadPostcodes(`${header}\n7030\tTRONDHEIM\tx\tx\t\t\t5001\tTrondheim\tTrøndelag\t63.4\t10.4\n703\tX\tx\tx\t\t\t1\tX\tX\t63\t10\n7031\tTRONDHEIM\tx\tx\t\t\t5001\tTrondheim\tTrøndelag\t0\t0\n`);
    expect(parsed.rows.map((r) => r.postcode)).toEqual(["7030"]);
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 4]);
  });
});
