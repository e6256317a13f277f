/** FHIR search parameters for ResearchStudy (app/fhir/search-params.ts): values, errors, FHIR's rules. */
import { describe, expect, it } from "vitest";
import {
  dateRange,
  matchesDate,
  parseSearchParams,
  parseToken,
  splitEscaped,
  type FhirSearch,
} from "#app/fhir/search-params";

const parse = (query: string, strict = false) => parseSearchParams(new URLSearchParams(query).entries(), { strict });
function ok(query: string, strict = false): FhirSearch {
  const r = parse(query, strict);
  if (!r.ok) throw new Error(`expected ${query} to parse: ${JSON.stringify(r.issues)}`);
  return r.search;
}
function fails(query: string, strict = false) {
  const r = parse(query, strict);
  if (r.ok) throw new Error(`expected ${query} to fail`);
  return r.issues;
}

describe("tokens and escaping", () => {
  it("splits on unescaped separators only", () => {
    expect(splitEscaped("a,b\\,c,d", ",")).toEqual(["a", "b\\,c", "d"]);
    expect(parseToken("https://clinicaltrials.gov|NCT01234567")).toEqual({
      system: "https://clinicaltrials.gov",
      code: "NCT01234567",
    });
    expect(parseToken("NCT01234567")).toEqual({ system: null, code: "NCT01234567" });
    expect(parseToken("|x")).toEqual({ system: "", code: "x" });
    expect(parseToken("a\\|b")).toEqual({ system: null, code: "a|b" });
  });
});

describe("parameters", () => {
  it("defaults: 20 per page from the start, nothing selected", () => {
    expect(ok("")).toMatchObject({ count: 20, offset: 0, ids: [], statuses: [], ignored: [], used: [] });
  });

  it("_id: comma = OR, repeated = AND", () => {
    expect(ok("_id=1,2&_id=2").ids).toEqual([["1", "2"], ["2"]]);
    expect(fails("_id=1;DROP TABLE studies")[0]!.diagnostics).toMatch(/^_id: .*gyldig FHIR-id/);
  });

  it("identifier: registry systems (lenient about http/https, www, trailing slash), bare values, system|", () => {
    expect(ok("identifier=https://clinicaltrials.gov|nct01234567").identifiers).toEqual([
      [{ kind: "registry", registry: "nct", value: "NCT01234567" }],
    ]);
    expect(ok("identifier=http://www.clinicaltrials.gov/|NCT01234567").identifiers[0]![0]).toMatchObject({
      registry: "nct",
    });
    expect(ok("identifier=https://rekportalen.no|2019/1234").identifiers[0]![0]).toEqual({
      kind: "registry",
      registry: "rek",
      value: "2019/1234",
    });
    expect(ok("identifier=https://www.isrctn.com|").identifiers[0]![0]).toEqual({
      kind: "registry",
      registry: "isrctn",
      value: null,
    });
    expect(ok("identifier=2023-501234-12-00").identifiers[0]![0]).toEqual({ kind: "any", value: "2023-501234-12-00" });
    expect(ok("identifier=https://kliniskestudier.no/fhir/sid/local-id/ous|ous-1").identifiers[0]![0]).toEqual({
      kind: "local",
      organisationId: "ous",
      value: "ous-1",
    });
  });

  it("identifier: a malformed number or an unknown system is an error naming the parameter", () => {
    expect(fails("identifier=https://clinicaltrials.gov|NCT123")[0]).toMatchObject({
      code: "invalid",
      expression: ["identifier"],
      diagnostics: expect.stringContaining("NCT-nummer"),
    });
    expect(fails("identifier=urn:oid:1.2.3|x")[0]!.diagnostics).toMatch(/^identifier: ukjent identifikatorsystem/);
    expect(fails("identifier=https://euclinicaltrials.eu|2023-1")[0]!.diagnostics).toContain("EU CT");
  });

  it("status: R4 codes, with or without the system; portal words are refused", () => {
    expect(ok("status=active,approved").statuses).toEqual([["active", "approved"]]);
    expect(ok("status=http://hl7.org/fhir/research-study-status|closed-to-accrual").statuses).toEqual([
      ["closed-to-accrual"],
    ]);
    expect(ok("status=http://hl7.org/fhir/research-study-status|").statuses).toEqual([]);
    const [issue] = fails("status=open");
    expect(issue!.diagnostics).toMatch(/^status: «open» er ikke en FHIR R4 ResearchStudy\.status-kode/);
    expect(fails("status=urn:x|active")[0]!.diagnostics).toContain("ukjent kodesystem");
    expect(fails("status:not=active")[0]).toMatchObject({
      code: "not-supported",
      diagnostics: expect.stringContaining("modifikatoren"),
    });
  });

  it("condition: ICD-10 code (with or without dot and system) or text; other systems refused", () => {
    expect(ok("condition=C50.9").conditions).toEqual([[{ kind: "icd10", code: "C509" }]]);
    expect(ok("condition=urn:oid:2.16.578.1.12.4.1.1.7110|c50").conditions).toEqual([[{ kind: "icd10", code: "C50" }]]);
    expect(ok("condition=http://hl7.org/fhir/sid/icd-10|C50.9").conditions).toEqual([
      [{ kind: "icd10", code: "C509" }],
    ]);
    expect(ok("condition=brystkreft").conditions).toEqual([[{ kind: "text", text: "brystkreft" }]]);
    expect(ok("condition:text=C50").conditions).toEqual([[{ kind: "text", text: "C50" }]]);
    expect(fails("condition=http://loinc.org|1234-5")[0]!.diagnostics).toMatch(/^condition: kodesystemet/);
    expect(fails("condition=http://hl7.org/fhir/sid/icd-10|brystkreft")[0]!.diagnostics).toContain("ICD-10-kode");
  });

  it("condition: SNOMED CT concept id and ICPC-2 code with their systems (issue 19 item 7)", () => {
    expect(ok("condition=http://snomed.info/sct|254837009").conditions).toEqual([
      [{ kind: "snomed", code: "254837009" }],
    ]);
    expect(ok("condition=urn:oid:2.16.578.1.12.4.1.1.7170|t90,http://hl7.org/fhir/sid/icpc-2|K75").conditions).toEqual([
      [
        { kind: "icpc2", code: "T90" },
        { kind: "icpc2", code: "K75" },
      ],
    ]);
    expect(fails("condition=http://snomed.info/sct|brystkreft")[0]!.diagnostics).toMatch(/^condition: .*SNOMED CT/);
    expect(fails("condition=urn:oid:2.16.578.1.12.4.1.1.7170|K7")[0]!.diagnostics).toMatch(/^condition: .*ICPC-2/);
  });

  it("focus: treatment names (text), OR within one, AND across repeats; too short refused", () => {
    expect(ok("focus=metformin,insulin&focus:text=Kolkisin").focus).toEqual([["metformin", "insulin"], ["Kolkisin"]]);
    expect(fails("focus=x")[0]!.diagnostics).toMatch(/^focus: /);
    expect(fails("focus:exact=metformin")[0]!.code).toBe("not-supported");
  });

  it("keyword and site", () => {
    expect(ok("keyword=brystkreft,mammacancer&keyword=Oslo").keywords).toEqual([
      ["brystkreft", "mammacancer"],
      ["Oslo"],
    ]);
    expect(ok("keyword=kreft\\, bryst").keywords).toEqual([["kreft, bryst"]]);
    expect(fails(`keyword=${"x".repeat(201)}`)[0]!.diagnostics).toMatch(/^keyword: teksten er lengre enn 200/);
    expect(ok("site=ous,Organization/helse-bergen").sites).toEqual([["ous", "helse-bergen"]]);
    expect(fails("site=../../etc/passwd")[0]!.diagnostics).toMatch(/^site: /);
  });

  it("_count (clamped to 100; 0 = total only), _offset, _summary=count", () => {
    expect(ok("_count=5&_offset=10")).toMatchObject({ count: 5, offset: 10 });
    expect(ok("_count=1000").count).toBe(100);
    expect(ok("_count=0").count).toBe(0);
    expect(ok("_summary=count").summaryCount).toBe(true);
    for (const bad of ["-1", "abc", "1e3", "2.5"])
      expect(fails(`_count=${encodeURIComponent(bad)}`)[0]!.diagnostics).toMatch(/^_count: /);
    expect(fails("_offset=-5")[0]!.diagnostics).toMatch(/^_offset: /);
    expect(fails("_summary=true")[0]).toMatchObject({ code: "not-supported" });
  });

  it("unknown parameters: ignored and reported (lenient), errors with handling=strict", () => {
    const s = ok("foo=bar&_sort=title&status=active");
    expect(s.ignored).toEqual(["foo", "_sort"]);
    expect(s.used).toEqual([["status", "active"]]);
    expect(fails("foo=bar", true)[0]).toMatchObject({
      code: "not-supported",
      diagnostics: expect.stringMatching(/^foo: ukjent/),
    });
  });

  it("empty values are ignored; hostile sizes are refused", () => {
    expect(ok("status=&keyword=").statuses).toEqual([]);
    expect(fails(`keyword=${"x".repeat(1001)}`)[0]!.diagnostics).toContain("grensen er 1000");
    expect(fails(Array.from({ length: 101 }, (_, i) => `a${i}=1`).join("&"))[0]).toMatchObject({ code: "too-costly" });
    expect(fails(`_id=${Array.from({ length: 51 }, (_, i) => i + 1).join(",")}`)[0]!.diagnostics).toContain(
      "alternativer",
    );
  });
});

describe("_lastUpdated", () => {
  const at = (iso: string) => Date.parse(iso);

  it("day precision in Europe/Oslo, with every prefix", () => {
    const [[b]] = ok("_lastUpdated=ge2026-03-29").lastUpdated as [[ReturnType<typeof ok>["lastUpdated"][0][0]]];
    // 29 March 2026 is the DST switch day: it starts at 23:00Z the day before and lasts 23 hours.
    expect(b).toMatchObject({ prefix: "ge", from: at("2026-03-28T23:00:00Z"), to: at("2026-03-29T22:00:00Z") });
    expect(matchesDate(at("2026-03-28T23:00:00Z"), b!)).toBe(true);
    expect(matchesDate(at("2026-03-28T22:59:59.999Z"), b!)).toBe(false);
    const bound = (q: string) => ok(`_lastUpdated=${q}`).lastUpdated[0]![0]!;
    const t = at("2026-03-29T12:00:00Z");
    expect(matchesDate(t, bound("eq2026-03-29"))).toBe(true);
    expect(matchesDate(t, bound("2026-03-29"))).toBe(true);
    expect(matchesDate(t, bound("gt2026-03-29"))).toBe(false);
    expect(matchesDate(t, bound("gt2026-03-28"))).toBe(true);
    expect(matchesDate(t, bound("lt2026-03-29"))).toBe(false);
    expect(matchesDate(t, bound("le2026-03-29"))).toBe(true);
    expect(matchesDate(t, bound("lt2026-03-30"))).toBe(true);
  });

  it("year, month, dateTime with Z / offset / no offset (Oslo), and an unencoded +", () => {
    expect(dateRange("2026")).toEqual({ from: at("2025-12-31T23:00:00Z"), to: at("2026-12-31T23:00:00Z") });
    expect(dateRange("2026-02")).toEqual({ from: at("2026-01-31T23:00:00Z"), to: at("2026-02-28T23:00:00Z") });
    expect(dateRange("2026-06-01T12:00:00Z")).toEqual({
      from: at("2026-06-01T12:00:00Z"),
      to: at("2026-06-01T12:00:01Z"),
    });
    expect(dateRange("2026-06-01T12:00:00+02:00")).toEqual({
      from: at("2026-06-01T10:00:00Z"),
      to: at("2026-06-01T10:00:01Z"),
    });
    expect(dateRange("2023-12-03T15:00")).toEqual({ from: at("2023-12-03T14:00:00Z"), to: at("2023-12-03T14:01:00Z") });
    expect(dateRange("2026-06-01T12:00:00.123Z")).toEqual({
      from: at("2026-06-01T12:00:00.123Z"),
      to: at("2026-06-01T12:00:00.124Z"),
    });
    // "+" not percent-encoded arrives as a space.
    expect(ok("_lastUpdated=ge2026-06-01T12:00:00+02:00").lastUpdated[0]![0]).toMatchObject({
      from: at("2026-06-01T10:00:00Z"),
    });
  });

  it("bad dates and unsupported prefixes are errors naming _lastUpdated", () => {
    for (const bad of [
      "ge2026-13-01",
      "2026-02-30",
      "xx2026",
      "yesterday",
      "ge2026-06-01T25:00",
      "1800",
      "ge2026-06-01T12:00:00+15:00",
    ]) {
      const issues = fails(`_lastUpdated=${encodeURIComponent(bad)}`);
      expect(issues[0]!.diagnostics, bad).toMatch(/^_lastUpdated: /);
    }
    expect(fails("_lastUpdated=ap2026")[0]).toMatchObject({
      code: "not-supported",
      diagnostics: expect.stringContaining("prefikset"),
    });
  });
});
