/**
 * The researcher's study form read with the form library (Conform + zod): the schema, messages and
 * mapping are the domain's (app/domain/study-form.ts); this is the one place that hands them to
 * Conform, so app/domain imports no form library (docs/architecture.md).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { formatFormErrors, formErrorMap, splitIcd10, studyFormSchema } from "#app/domain/study-form";

/**
 * Parses the submitted form (in the browser as you type, and again on the server) with the
 * form schema and the Norwegian messages. A bad ICD-10 code is reported on the one text field
 * that holds the codes, naming the code, instead of on an element nobody can see.
 */
export function parseStudyForm(payload: FormData | URLSearchParams) {
  const submission = parseWithZod(payload, {
    schema: studyFormSchema,
    error: formErrorMap,
    formatError: formatFormErrors,
  });
  const errors = submission.status === "success" ? null : submission.error;
  if (errors) {
    const typed = splitIcd10(payload.get("icd10") ?? "");
    const codes = Array.isArray(typed) ? (typed as string[]) : [];
    const icd10: string[] = [...(errors.icd10 ?? [])];
    for (const key of Object.keys(errors)) {
      const m = /^icd10\[(\d+)\]$/.exec(key);
      if (!m) continue;
      icd10.push(`«${codes[Number(m[1])] ?? ""}» er ikke en ICD-10-kode (skriv for eksempel C50 eller C509).`);
      delete errors[key];
    }
    if (icd10.length) errors.icd10 = icd10;
  }
  return submission;
}
