/** A clinician's diagnosis field: ICD-10, ICPC-2 (what GPs code in) or words. */
import { describe, expect, it } from "vitest";
import { readDiagnosisCode, type DiagnosisLookups } from "#app/domain/diagnosis-code";

const icpc2: Record<string, string> = {
  T90: "Diabetes type 2",
  K77: "Hjertesvikt",
  R991: "Covid-19 (mistenkt/sannsynlig)",
  C14: "Kikhoste",
};
const lookups = (inUse: string[]): DiagnosisLookups => ({
  icd10InUse: (code) => inUse.some((c) => c === code || c.startsWith(code)),
  icpc2Name: (code) => icpc2[code] ?? null,
});

describe("readDiagnosisCode", () => {
  it.each([
    // [typed, ICD-10 codes in use, reading]
    ["T90", ["E11", "C50"], { kind: "icpc2", code: "T90", name: "Diabetes type 2" }],
    ["k77", [], { kind: "icpc2", code: "K77", name: "Hjertesvikt" }],
    [" T90 ", [], { kind: "icpc2", code: "T90", name: "Diabetes type 2" }],
    ["R991", [], { kind: "icpc2", code: "R991", name: "Covid-19 (mistenkt/sannsynlig)" }],
    // Studies coded with ICD-10 T90 keep it ICD-10; "ICPC-2 T90" asks for ICPC-2 anyway.
    ["T90", ["T901"], { kind: "icd10", code: "T90" }],
    ["ICPC-2 T90", ["T901"], { kind: "icpc2", code: "T90", name: "Diabetes type 2" }],
    ["icpc: k77", [], { kind: "icpc2", code: "K77", name: "Hjertesvikt" }],
    // ICD-10 as before: a code ICPC-2 lacks, a dotted code, a code with its name.
    ["C50", ["C50"], { kind: "icd10", code: "C50" }],
    ["C14", ["C50"], { kind: "icpc2", code: "C14", name: "Kikhoste" }],
    ["E11", [], { kind: "icd10", code: "E11" }],
    ["c50.9", [], { kind: "icd10", code: "C509" }],
    ["C50 Ondartet svulst i bryst", [], { kind: "icd10", code: "C50" }],
    ["T90 Diabetes", [], { kind: "icd10", code: "T90" }],
    // Words, and an ICPC-2 marker on a code the list lacks.
    ["brystkreft", [], { kind: "words" }],
    ["ICPC-2 Q99", [], { kind: "words" }],
    ["", [], { kind: "words" }],
  ] as const)("%j with ICD-10 in use %j", (typed, inUse, reading) => {
    expect(readDiagnosisCode(typed, lookups([...inUse]))).toEqual(reading);
  });
});
