/**
 * The researcher's study form read with the form library (Conform + zod): the schema and mapping
 * are the domain's (app/domain/study-form.ts); this is the one place that hands them to Conform,
 * so app/domain imports no form library (docs/architecture.md). Problems come in the page's
 * language (./problem-text.ts).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { splitIcd10, studyFormSchema } from "#app/domain/study-form";
import { translator, type Translator } from "#app/i18n/translate";
import { formatErrorsIn, formErrorMap } from "./problem-text";

/**
 * Parses the submitted form (in the browser as you type, and again on the server) with the
 * form schema and messages in the reader's language. A bad ICD-10 code is reported on the one
 * text field that holds the codes, naming the code, instead of on an element nobody can see.
 */
export function parseStudyForm(payload: FormData | URLSearchParams, tr: Translator = translator("nb")) {
  const submission = parseWithZod(payload, {
    schema: studyFormSchema,
    error: formErrorMap(tr),
    formatError: formatErrorsIn(tr),
  });
  const errors = submission.status === "success" ? null : submission.error;
  if (errors) {
    const typed = splitIcd10(payload.get("icd10") ?? "");
    const codes = Array.isArray(typed) ? (typed as string[]) : [];
    const icd10: string[] = [...(errors.icd10 ?? [])];
    for (const key of Object.keys(errors)) {
      const m = /^icd10\[(\d+)\]$/.exec(key);
      if (!m) continue;
      icd10.push(tr.t("form.error.icd10Code", { code: codes[Number(m[1])] ?? "" }));
      delete errors[key];
    }
    if (icd10.length) errors.icd10 = icd10;
  }
  return submission;
}
