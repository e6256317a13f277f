/**
 * The quick eligibility check on the clinician page: given a patient's age and sex, which of a
 * study's criteria are met, not met, or unknown. Only age and sex can be checked automatically;
 * every written criterion is "unknown" and left to the doctor. The result can say that a patient
 * does NOT fit (age or sex rules them out) but never that a patient is eligible.
 */
import type { Sex } from "./study";

export type CheckOutcome = "met" | "not_met" | "unknown";

export interface PatientFacts {
  ageYears: number | null;
  sex: "female" | "male" | null;
}

export interface StructuredEligibility {
  minAgeYears: number | null;
  maxAgeYears: number | null;
  sex: Sex;
}

export type CriterionCheck =
  | { kind: "age"; outcome: CheckOutcome }
  | { kind: "sex"; outcome: CheckOutcome }
  | { kind: "inclusion" | "exclusion"; outcome: "unknown"; text: string };

export type CheckSummary =
  /** No age or sex given: nothing was checked. */
  | "missing"
  /** Age or sex rules the patient out. */
  | "not_met"
  /** Age and sex do not rule the patient out; the written criteria must still be assessed. */
  | "not_ruled_out";

export interface EligibilityCheck {
  checks: CriterionCheck[];
  summary: CheckSummary;
}

export function ageOutcome(e: StructuredEligibility, age: number | null): CheckOutcome {
  if (age == null) return "unknown";
  if (e.minAgeYears != null && age < e.minAgeYears) return "not_met";
  if (e.maxAgeYears != null && age > e.maxAgeYears) return "not_met";
  return "met";
}

export function sexOutcome(e: StructuredEligibility, sex: PatientFacts["sex"]): CheckOutcome {
  if (sex == null) return "unknown";
  if (e.sex === "all") return "met";
  return e.sex === sex ? "met" : "not_met";
}

export function checkEligibility(
  eligibility: StructuredEligibility,
  criteria: { inclusion: string[]; exclusion: string[] },
  patient: PatientFacts,
): EligibilityCheck {
  const age = ageOutcome(eligibility, patient.ageYears);
  const sex = sexOutcome(eligibility, patient.sex);
  const checks: CriterionCheck[] = [
    { kind: "age", outcome: age },
    { kind: "sex", outcome: sex },
    ...criteria.inclusion.map((text) => ({ kind: "inclusion" as const, outcome: "unknown" as const, text })),
    ...criteria.exclusion.map((text) => ({ kind: "exclusion" as const, outcome: "unknown" as const, text })),
  ];
  const summary: CheckSummary =
    age === "not_met" || sex === "not_met"
      ? "not_met"
      : patient.ageYears == null && patient.sex == null
        ? "missing"
        : "not_ruled_out";
  return { checks, summary };
}
