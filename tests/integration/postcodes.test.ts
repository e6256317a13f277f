import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBolstadPostcodes } from "#app/ingest/postcodes";
import { countPostcodes, lookupPostcode, replacePostcodes } from "#app/models/postcode.server";
import { prepareDatabase } from "#app/boot.server";
import { freshDb, type TestDb } from "../helpers/db";

/** The header of Erik Bolstad's list, for the parser (scripts/postcodes-load.ts loads such a file). */
const HEADER =
  "POSTNR\tPOSTSTAD\tPOSTNR- OG STAD\tBRUKSOMRÅDE\tFOLKETAL\tBYDEL\tKOMMNR\tKOMMUNE\tFYLKE\tLAT\tLON\tDATAKVALITET\tDATAKVALITETSFORKLARING\tSIST OPPDATERT";
let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

describe("postcodes: the shipped list and files in Erik Bolstad's format", () => {
  it("loads the shipped list at first prepare and looks postcodes up", () => {
    prepareDatabase(t.db, { seedDemoData: false });
    expect(countPostcodes(t.db)).toBeGreaterThan(5700);
    const trondheim = lookupPostcode(t.db, "7030")!;
    expect(trondheim.place).toBe("Trondheim");
    expect(trondheim.municipalityNumber).toBe("5001");
    expect(trondheim.lat).toBeGreaterThan(63.3);
    expect(trondheim.lat).toBeLessThan(63.5);
    expect(lookupPostcode(t.db, "9170")!.lat).toBeGreaterThan(78); // Longyearbyen, Svalbard
    expect(lookupPostcode(t.db, "0001")!.municipalityNumber).toBe("0301");
    expect(lookupPostcode(t.db, "9999")).toBeNull();
    expect(lookupPostcode(t.db, "70300")).toBeNull();
    expect(lookupPostcode(t.db, "' OR 1=1 --")).toBeNull();
  });

  it("reads a file in Bolstad's format and replaces the list (npm run postcodes:load)", () => {
    const parsed = parseBolstadPostcodes(
      `${HEADER}\n0001\tOslo\t0001 OSLO\tPostboksar\t\tSentrum\t301\tOslo\tOslo\t59.91160\t10.75450\t2\tx\t2018-10-10\n0009\tOSLO (ikkje i bruk)\t0009 OSLO\tUsikker\t\t\t301\tOslo\tOslo\t59.91\t10.75\t6\tx\t2018-10-03\n`,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((r) => [r.postcode, r.place, r.municipalityNumber, r.inUse])).toEqual([
      ["0001", "Oslo", "0301", true],
      ["0009", "OSLO", "0301", false],
    ]);
    const before = countPostcodes(t.db);
    replacePostcodes(t.db, parsed.rows, "test.tsv");
    expect(countPostcodes(t.db)).toBe(2);
    // Put the shipped list back for the next test.
    t.db.prepare("DELETE FROM app_meta WHERE key = 'reference.postcodes.sha256'").run();
    prepareDatabase(t.db, { seedDemoData: false });
    expect(countPostcodes(t.db)).toBe(before);
  });

  it("refuses a file without the expected columns and keeps the old list", () => {
    const parsed = parseBolstadPostcodes("NR\tSTED\n7030\tTrondheim\n");
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems[0]!.message).toContain("POSTNR");
    expect(countPostcodes(t.db)).toBeGreaterThan(5700);
  });

  it("reports bad lines by number and loads the good ones", () => {
    const header = HEADER;
    const parsed = parseBolstadPostcodes(
      `${header}\n7030\tTRONDHEIM\tx\tx\t\t\t5001\tTrondheim\tTrøndelag\t63.4\t10.4\n703\tX\tx\tx\t\t\t1\tX\tX\t63\t10\n7031\tTRONDHEIM\tx\tx\t\t\t5001\tTrondheim\tTrøndelag\t0\t0\n`,
    );
    expect(parsed.rows.map((r) => r.postcode)).toEqual(["7030"]);
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 4]);
  });
});
