/**
 * What a diagnosis or treatment page asks for (issue 19 item 7): exactly one key, an ICD-10 code,
 * an ICPC-2 code, a SNOMED CT concept id or a treatment name. Pure; the values are already
 * validated one by one (app/api/diagnosis-schemas.ts), this decides that one and only one is given.
 */
export const DIAGNOSIS_KEY_KINDS = ["icd10", "icpc2", "snomed", "treatment"] as const;
export type DiagnosisKeyKind = (typeof DIAGNOSIS_KEY_KINDS)[number];

export interface DiagnosisKey {
  kind: DiagnosisKeyKind;
  /** ICD-10 / ICPC-2 in upper case without dots, SNOMED CT digits, the treatment name trimmed. */
  value: string;
}

export type DiagnosisKeyReading =
  { ok: true; key: DiagnosisKey } | { ok: false; problem: { name: string; message: string } };

export function readDiagnosisKey(values: Readonly<Record<string, unknown>>): DiagnosisKeyReading {
  const given = DIAGNOSIS_KEY_KINDS.filter((k) => typeof values[k] === "string" && values[k] !== "");
  if (given.length === 0)
    return {
      ok: false,
      problem: {
        name: "icd10",
        message: "oppgi én av icd10, icpc2, snomed eller treatment (for eksempel icd10=C50)",
      },
    };
  if (given.length > 1)
    return {
      ok: false,
      problem: {
        name: given[1]!,
        message: `oppgi bare én av icd10, icpc2, snomed og treatment (fikk ${given.join(" og ")})`,
      },
    };
  const kind = given[0]!;
  return { ok: true, key: { kind, value: String(values[kind]).trim() } };
}
