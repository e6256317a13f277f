/**
 * The shipped postcode list: every current postcode gets a point (its own, else its place's or
 * its municipality's centre), and the compact TSV reads back what was written, refusing bad lines
 * with their line number and field.
 */
import { describe, expect, it } from "vitest";
import {
  buildShippedPostcodes,
  formatShippedPostcodes,
  parseShippedPostcodes,
  type LocatedPoint,
} from "#app/domain/postcode-list";

const old = (
  postcode: string,
  place: string,
  lat: number,
  lon: number,
  municipalityNumber = "4601",
  municipality = "Bergen",
): LocatedPoint => ({
  postcode,
  place,
  municipalityNumber,
  municipality,
  lat,
  lon,
  inUse: true,
});

describe("buildShippedPostcodes", () => {
  const oldList = [
    old("5003", "Bergen", 60.4, 5.32),
    old("5004", "Bergen", 60.42, 5.34),
    old("5300", "Kleppestø", 60.4, 5.2, "1247", "Askøy"), // old municipality number (before 2020)
    old("0009", "Oslo", 59.91, 10.75, "0301", "Oslo"), // no longer current
  ];
  const names = new Map([
    ["4601", "Bergen"],
    ["4627", "Askøy"],
  ]);

  it.each([
    // [case, current postcode, expected located, expected point]
    ["own point", { code: "5003", place: "Bergen", municipalityNumber: "4601" }, "postcode", { lat: 60.4, lon: 5.32 }],
    [
      "centre of its place in its municipality",
      { code: "5005", place: "Bergen", municipalityNumber: "4601" },
      "place",
      { lat: 60.41, lon: 5.33 },
    ],
    [
      "centre of its municipality (other place)",
      { code: "5099", place: "Fana", municipalityNumber: "4601" },
      "municipality",
      { lat: 60.41, lon: 5.33 },
    ],
    // Askøy was 1247 in the old list and is 4627 now: the current list's membership decides.
    [
      "municipality renumbered since the old list",
      { code: "5301", place: "Strusshamn", municipalityNumber: "4627" },
      "municipality",
      { lat: 60.4, lon: 5.2 },
    ],
  ] as const)("%s", (_case, current, located, point) => {
    const currentList = [
      { code: "5003", place: "Bergen", municipalityNumber: "4601" },
      { code: "5004", place: "Bergen", municipalityNumber: "4601" },
      { code: "5300", place: "Kleppestø", municipalityNumber: "4627" },
      current,
    ];
    const { rows, unresolved } = buildShippedPostcodes(oldList, currentList, names);
    expect(unresolved).toEqual([]);
    const row = rows.find((r) => r.postcode === current.code)!;
    expect(row.located).toBe(located);
    expect(row.lat).toBeCloseTo(point.lat, 5);
    expect(row.lon).toBeCloseTo(point.lon, 5);
    expect(row.inUse).toBe(true);
    expect(row.municipalityNumber).toBe(current.municipalityNumber);
    expect(row.municipality).toBe(names.get(current.municipalityNumber));
  });

  it("keeps old postcodes that are no longer current, not in use, and names the ones it cannot place", () => {
    const { rows, unresolved } = buildShippedPostcodes(
      oldList,
      [{ code: "9999", place: "Nowhere", municipalityNumber: "5699" }],
      names,
    );
    expect(unresolved.map((u) => u.code)).toEqual(["9999"]);
    expect(rows.find((r) => r.postcode === "0009")).toMatchObject({ inUse: false, located: "postcode" });
    expect(rows.every((r) => !r.inUse)).toBe(true);
  });
});

describe("the shipped TSV", () => {
  it("reads back what it wrote", () => {
    const { rows } = buildShippedPostcodes(
      [old("5003", "Bergen", 60.39299, 5.32415)],
      [
        { code: "5003", place: "Bergen", municipalityNumber: "4601" },
        { code: "5005", place: "Bergen", municipalityNumber: "4601" },
      ],
      new Map([["4601", "Bergen"]]),
    );
    const parsed = parseShippedPostcodes(formatShippedPostcodes(rows));
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual(rows);
  });

  it.each([
    ["a bad postcode", "503\tBergen\t4601\tBergen\t60.4\t5.3\t1\tpostcode", "postcode:"],
    ["a point outside Norway", "5003\tBergen\t4601\tBergen\t0\t0\t1\tpostcode", "lat:"],
    ["an unknown located", "5003\tBergen\t4601\tBergen\t60.4\t5.3\t1\tguess", "located:"],
    ["no place name", "5003\t\t4601\tBergen\t60.4\t5.3\t1\tpostcode", "place:"],
  ])("refuses %s with its line and field, keeping the good lines", (_case, line, field) => {
    const text = `${formatShippedPostcodes([]).split("\n")[0]}\n5004\tBergen\t4601\tBergen\t60.4\t5.3\t1\tpostcode\n${line}\n`;
    const parsed = parseShippedPostcodes(text);
    expect(parsed.rows.map((r) => r.postcode)).toEqual(["5004"]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.line).toBe(3);
    expect(parsed.problems[0]!.message.startsWith(field)).toBe(true);
  });

  it("refuses a file with other columns", () => {
    expect(parseShippedPostcodes("POSTNR\tPOSTSTAD\n5003\tBergen\n").problems[0]).toMatchObject({ line: 1 });
  });
});
