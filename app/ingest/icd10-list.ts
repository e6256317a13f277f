/**
 * Parses the Norwegian ICD-10 code list as the Directorate of e-health / NAV publish it
 * (`[{ "code": "C509", "text": "Ondartet svulst i bryst, uspesifisert" }, …]`, codes without a
 * dot; extension codes such as "I210a" are stored upper-case). Pure; every bad entry is reported with its position, field and reason, and the good ones
 * are kept.
 */
import { z } from "zod";

export interface Icd10Entry {
  code: string;
  nameNb: string;
}

export interface Icd10Parse {
  entries: Icd10Entry[];
  problems: { ref: string; field: string; message: string }[];
}

const entrySchema = z.object({
  code: z
    .string({ message: "mangler" })
    .transform((c) => c.trim().toUpperCase().replace(/\./g, ""))
    // The Norwegian list has extension codes with letters ("I210a", "T4n", "V0n0a").
    .pipe(z.string().regex(/^[A-Z]\d[0-9A-Z]{1,3}$/, "er ikke en ICD-10-kode (f.eks. C50 eller C509)")),
  text: z.string({ message: "mangler" }).trim().min(1, "er tom").max(500, "er lengre enn 500 tegn"),
});

const icpc2Schema = z.object({
  code: z
    .string({ message: "mangler" })
    .transform((c) => c.trim().toUpperCase())
    // ICPC-2: a chapter letter and two digits ("T90"); Norway adds a few fourth digits ("R991").
    .pipe(z.string().regex(/^[A-Z]\d{2}\d?$/, "er ikke en ICPC-2-kode (f.eks. T90)")),
  text: z.string({ message: "mangler" }).trim().min(1, "er tom").max(500, "er lengre enn 500 tegn"),
});

type CodeEntrySchema = typeof entrySchema | typeof icpc2Schema;

/** A `[{ code, text }]` code list, each entry checked by `schema`; problems name the entry and field. */
function parseCodeList(json: string, schema: CodeEntrySchema): Icd10Parse {
  let raw: unknown;
  try {
    raw = JSON.parse(json.replace(/^\uFEFF/, ""));
  } catch (e) {
    return {
      entries: [],
      problems: [{ ref: "fil", field: "(JSON)", message: `er ikke gyldig JSON: ${(e as Error).message}` }],
    };
  }
  if (!Array.isArray(raw))
    return { entries: [], problems: [{ ref: "fil", field: "(rot)", message: "må være en liste med { code, text }" }] };
  const entries: Icd10Entry[] = [];
  const problems: Icd10Parse["problems"] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const ref = `oppføring ${i + 1}`;
    const r = schema.safeParse(item);
    if (!r.success) {
      for (const issue of r.error.issues)
        problems.push({ ref, field: String(issue.path[0] ?? "(oppføring)"), message: issue.message });
      return;
    }
    if (seen.has(r.data.code))
      return void problems.push({ ref, field: "code", message: `${r.data.code} står to ganger` });
    seen.add(r.data.code);
    entries.push({ code: r.data.code, nameNb: r.data.text });
  });
  return { entries, problems };
}

export function parseIcd10List(json: string): Icd10Parse {
  return parseCodeList(json, entrySchema);
}

/** The Norwegian ICPC-2 list (`[{ code, text }]`, e.g. T90 "Diabetes type 2"), checked like ICD-10. */
export function parseIcpc2List(json: string): Icd10Parse {
  return parseCodeList(json, icpc2Schema);
}
