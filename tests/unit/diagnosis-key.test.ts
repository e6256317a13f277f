/** Exactly one diagnosis or treatment key (app/domain/diagnosis-key.ts), table-tested. */
import { describe, expect, it } from "vitest";
import { readDiagnosisKey } from "#app/domain/diagnosis-key";

describe("readDiagnosisKey", () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ["ICD-10", { icd10: "C50" }, { ok: true, key: { kind: "icd10", value: "C50" } }],
    ["ICPC-2", { icpc2: "T90", postcode: "0450" }, { ok: true, key: { kind: "icpc2", value: "T90" } }],
    ["SNOMED CT", { snomed: "254837009" }, { ok: true, key: { kind: "snomed", value: "254837009" } }],
    ["treatment, trimmed", { treatment: " metformin " }, { ok: true, key: { kind: "treatment", value: "metformin" } }],
    [
      "an empty value is not given",
      { icd10: "", snomed: "254837009" },
      { ok: true, key: { kind: "snomed", value: "254837009" } },
    ],
  ];
  for (const [name, values, expected] of cases) it(name, () => expect(readDiagnosisKey(values)).toEqual(expected));

  it("none given: says which parameters exist", () => {
    const r = readDiagnosisKey({ postcode: "0450" });
    expect(r).toMatchObject({ ok: false, problem: { name: "icd10" } });
    if (!r.ok) expect(r.problem.message).toContain("icd10, icpc2, snomed eller treatment");
  });

  it("two given: names the second and both", () => {
    const r = readDiagnosisKey({ icd10: "C50", treatment: "metformin" });
    expect(r).toMatchObject({ ok: false, problem: { name: "treatment" } });
    if (!r.ok) expect(r.problem.message).toContain("icd10 og treatment");
  });
});
