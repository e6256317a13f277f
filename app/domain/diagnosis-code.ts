/**
 * What a clinician's diagnosis field means: an ICD-10 code (hospitals), an ICPC-2 code (GPs code
 * in ICPC-2: "T90" Diabetes type 2, "K77" Hjertesvikt) or words. Pure: the lookups are passed in.
 *
 * Some ICPC-2 codes are also ICD-10 codes ("T90" is an ICD-10 code for late effects of head
 * injuries). A code that published studies carry as ICD-10 stays ICD-10; otherwise a code the
 * ICPC-2 list names is read as ICPC-2 and searched by its Norwegian name. "ICPC-2 T90" or
 * "ICPC T90" always means ICPC-2.
 */
export type DiagnosisReading =
  { kind: "icd10"; code: string } | { kind: "icpc2"; code: string; name: string } | { kind: "words" };

export interface DiagnosisLookups {
  /** Whether published studies carry this ICD-10 code (or one under it). */
  icd10InUse: (code: string) => boolean;
  /** The Norwegian name of an ICPC-2 code, or null when the list has no such code. */
  icpc2Name: (code: string) => string | null;
}

const ICPC2_MARKED = /^\s*icpc(?:-?2)?\s*[:\s]\s*([A-Za-z]\d{2}\d?)\s*$/i;
/** A code at the start of the value ("C50", "c50.9", "C50 Ondartet svulst i brystkjertel", "T90"). */
const LEADING_CODE = /^\s*([A-Za-z]\d{2}(?:\.?[0-9A-Za-z]{1,2})?)(?=\s|$|[,;])/;

export function readDiagnosisCode(value: string, lookups: DiagnosisLookups): DiagnosisReading {
  const marked = ICPC2_MARKED.exec(value);
  if (marked) {
    const code = marked[1]!.toUpperCase();
    const name = lookups.icpc2Name(code);
    return name ? { kind: "icpc2", code, name } : { kind: "words" };
  }
  const leading = LEADING_CODE.exec(value);
  if (!leading) return { kind: "words" };
  const code = leading[1]!.toUpperCase().replace(".", "");
  // Only a bare code can be ICPC-2 ("T90", "R991"); "C50 Ondartet svulst …" is the ICD-10 list's.
  const bare = /^[A-Z]\d{2}\d?$/.test(code) && value.trim().toUpperCase().replace(".", "") === code;
  if (bare && !lookups.icd10InUse(code)) {
    const name = lookups.icpc2Name(code);
    if (name) return { kind: "icpc2", code, name };
  }
  return { kind: "icd10", code };
}
