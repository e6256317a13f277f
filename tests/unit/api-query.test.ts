/** Query parameters of the open API (zod, pure) and the CSV writer (round trip through csv-parse). */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "#app/api/csv";
import { describeParamProblems, parseParams } from "#app/api/query";
import { changesQueryParams, studiesQueryParams } from "#app/api/schemas";

const studies = (qs: string) => parseParams(new URLSearchParams(qs), studiesQueryParams);

describe("parseParams", () => {
  it("parses every filter into the engine's types", () => {
    const r = studies(
      "q=+brystkreft+&status=open&status=planned,closed&regions=helse-vest&icd10=c50.9,C&studyTypes=treatment&phases=phase_3&age=54&sex=female&healthyVolunteers=false&near=59.91,%2010.75&sort=distance&facets=status,regionId&page=2&perPage=50",
    );
    expect(r).toEqual({
      ok: true,
      values: {
        q: "brystkreft",
        status: ["open", "planned", "closed"],
        regions: ["helse-vest"],
        icd10: ["C509", "C"],
        studyTypes: ["treatment"],
        phases: ["phase_3"],
        age: 54,
        sex: "female",
        healthyVolunteers: "false",
        near: { lat: 59.91, lon: 10.75 },
        sort: "distance",
        facets: ["status", "regionId"],
        page: 2,
        perPage: 50,
      },
    });
  });

  it("treats empty values as not given and removes repeated values", () => {
    expect(studies("q=&status=&page=&regions=ous,,ous")).toEqual({ ok: true, values: { regions: ["ous"] } });
  });

  it("names every bad parameter and says why", () => {
    const r = studies("page=0&perPage=1e2&sex=x&page2=1&status[]=open&age=1&age=2");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byName = Object.fromEntries(r.problems.map((p) => [p.name, p.message]));
    expect(Object.keys(byName).sort()).toEqual(["age", "page", "page2", "perPage", "sex", "status[]"]);
    expect(byName.page).toBe("må være et heltall fra 1 til 10000, skrevet med sifre");
    expect(byName.perPage).toBe("må være et heltall fra 1 til 100, skrevet med sifre");
    expect(byName.sex).toBe("må være en av: female, male");
    expect(byName["status[]"]).toMatch(/status=a,b/);
    expect(byName.age).toMatch(/2 ganger/);
    expect(describeParamProblems(r.problems)).toMatch(
      /^Ugyldig parameter «page2» \("1"\): ukjent parameter\. .* \(og 5 til; se details\.parameters\)$/,
    );
  });

  it("refuses huge numbers, control characters, long values and too many values", () => {
    const names = (qs: string) => {
      const r = studies(qs);
      return r.ok ? [] : r.problems.map((p) => `${p.name}: ${p.message}`);
    };
    const page = "page: må være et heltall fra 1 til 10000, skrevet med sifre";
    expect(names("page=10001")).toEqual([page]);
    expect(names("page=99999999999999999999999999999")).toEqual([page]);
    expect(names(`page=${"9".repeat(400)}`)).toEqual([page]);
    expect(names("page=1e3")).toEqual([page]);
    expect(names("q=a%0Ab")).toEqual(["q: kan ikke inneholde kontrolltegn"]);
    expect(names(`q=${"ø".repeat(201)}`)).toEqual(["q: høyst 200 tegn"]);
    expect(names(`regions=${"a".repeat(501)}`)[0]).toMatch(/for lang/);
    expect(names(`regions=${Array.from({ length: 51 }, (_, i) => `r${i}`).join(",")}`)[0]).toMatch(/høyst 50 verdier/);
    expect(names("near=90.1,0")[0]).toMatch(/^near: breddegraden/);
    expect(names("near=0,180.5")[0]).toMatch(/^near: lengdegraden/);
    expect(names("icd10=C50;DROP")[0]).toMatch(/^icd10: ugyldig ICD-10/);
  });

  it("changes: a cursor of digits and a limit", () => {
    expect(parseParams(new URLSearchParams("since=42&limit=10"), changesQueryParams)).toEqual({
      ok: true,
      values: { since: "42", limit: 10 },
    });
    expect(parseParams(new URLSearchParams("since=4.2"), changesQueryParams).ok).toBe(false);
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and round-trips through csv-parse", () => {
    const cells = ["plain", "with, comma", 'with "quotes"', "two\nlines", "cr\r\nlf", "æøå", "", null, 12.5, true];
    const line = csvLine(cells);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parse(line)).toEqual([
      ["plain", "with, comma", 'with "quotes"', "two\nlines", "cr\r\nlf", "æøå", "", "", "12.5", "true"],
    ]);
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const f of ["=1+1", "+1", "-2", "@SUM(A1)", "\tx"]) expect(csvCell(f).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell(-2)).toBe("-2"); // numbers are numbers
  });
});
