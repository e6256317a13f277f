/**
 * What was actually sent, read from the first bytes only. The format is still always declared
 * (see formats.server.ts); this only catches a declaration that cannot be right — a legacy
 * ClinicalTrials.gov XML file sent as ctgov-json used to give one "invalid JSON" rejection per
 * line (2.58 million for the AllPublicXML subset) instead of one sentence saying what it is.
 *
 * Pure and cheap: it looks at most at the first SNIFF_BYTES (after gzip, at most the first
 * SNIFF_BYTES of compressed input), never parses the whole file, and never throws. Where it is
 * unsure (JSON of no recognisable shape, unreadable bytes) it says the input fits every format,
 * so the declared format's own mapper gives its own, more specific message.
 */
import { constants, gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { INGEST_FORMATS, type IngestFormat } from "./types";

export const SNIFF_BYTES = 64 * 1024;

export type DetectedKind =
  | "empty"
  | "utf16"
  | "html"
  | "pdf"
  | "zip"
  | "tar"
  | "ctgov-legacy-xml"
  | "fhir-xml"
  | "xml"
  | "ctgov-csv"
  | "ctis-csv"
  | "csv"
  | "ctgov-v2-json"
  | "ctgov-v1-json"
  | "fhir-json"
  | "native-json"
  | "json"
  | "unknown";

export interface DetectedInput {
  kind: DetectedKind;
  /** For people, in Norwegian: "ClinicalTrials.gov legacy XML (<clinical_study>)". */
  description: string;
  /** The declared formats whose mapper reads this input. */
  fits: IngestFormat[];
  /** Extra advice for the sender (e.g. where to get the supported format instead). */
  hint?: string;
}

const ALL: IngestFormat[] = [...INGEST_FORMATS];
/** Mappers that unpack gzip themselves (native and fhir read plain JSON only). */
const READS_GZIP: IngestFormat[] = ["ctgov-json", "ctgov-csv", "ctis-csv"];

const LEGACY_XML_HINT =
  "ClinicalTrials.gov har avviklet XML-formatet; hent studiene som JSON fra API v2 (https://clinicaltrials.gov/api/v2/studies) og send dem som ctgov-json";

/** Names and titles quoted from the input: short, one line, no control characters. */
function quoted(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function detectInput(input: Uint8Array | string): DetectedInput {
  const head =
    typeof input === "string" ? Buffer.from(input.slice(0, SNIFF_BYTES), "utf8") : input.subarray(0, SNIFF_BYTES);
  return detectHead(head, 0);
}

function detectHead(bytes: Uint8Array, depth: number): DetectedInput {
  const b = (i: number) => bytes[i] ?? -1;
  if (bytes.length === 0) return { kind: "empty", description: "en tom fil (0 byte)", fits: [] };
  if (b(0) === 0x1f && b(1) === 0x8b) return detectGzip(bytes, depth);
  if (b(0) === 0x50 && b(1) === 0x4b && b(2) === 0x03 && b(3) === 0x04) return detectZip(bytes);
  if (bytes.length >= 262 && latin1(bytes, 257, 262) === "ustar") return detectTar(bytes, depth);
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) {
    return {
      kind: "utf16",
      description: "UTF-16-kodet tekst",
      fits: [],
      hint: "lagre filen som UTF-8 og send den på nytt",
    };
  }
  if (latin1(bytes, 0, 5) === "%PDF-") return { kind: "pdf", description: "et PDF-dokument", fits: [] };
  // Text in another encoding is reported by the declared format's reader, which names the first
  // bad byte (text-decoding.ts): the encoding is the first thing the sender must fix.
  let text: string;
  try {
    // stream: a multi-byte character cut off at the end of the head is not an error.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return { kind: "unknown", description: "tekst som ikke er gyldig UTF-8", fits: ALL };
  }
  return detectText(text.replace(/^\uFEFF/, ""));
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.subarray(from, to)).toString("latin1");
}

function detectGzip(bytes: Uint8Array, depth: number): DetectedInput {
  const unknown: DetectedInput = { kind: "unknown", description: "gzip-komprimert fil", fits: READS_GZIP };
  if (depth > 0) return unknown;
  // A truncated stream: Z_SYNC_FLUSH returns what the first bytes decompress to instead of
  // failing on the missing end; the output cap keeps a gzip bomb from costing memory (a bomb's
  // first 16 KB pass the cap, so its first kilobyte is read instead).
  const head = (compressed: number) =>
    gunzipSync(bytes.subarray(0, compressed), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: 8 * 1024 * 1024,
    });
  let inner: Buffer;
  try {
    inner = head(16 * 1024);
  } catch {
    try {
      inner = head(1024);
    } catch {
      return unknown;
    }
  }
  const found = detectHead(inner.subarray(0, SNIFF_BYTES), depth + 1);
  if (found.kind === "unknown" || found.kind === "json")
    return { ...found, description: `${found.description}, gzip-komprimert`, fits: READS_GZIP };
  return {
    ...found,
    description: `${found.description}, gzip-komprimert`,
    fits: found.fits.filter((f) => READS_GZIP.includes(f)),
  };
}

/** The first entry's name from the first local file header. */
function detectZip(bytes: Uint8Array): DetectedInput {
  const nameLength = (bytes[26] ?? 0) | ((bytes[27] ?? 0) << 8);
  const name = quoted(Buffer.from(bytes.subarray(30, 30 + nameLength)).toString("utf8"));
  if (/^NCT\d{8}\.xml$/i.test(name.split("/").pop() ?? "")) {
    return {
      kind: "zip",
      description: `en zip-fil med ClinicalTrials.gov legacy XML (første fil: ${name})`,
      fits: [],
      hint: LEGACY_XML_HINT,
    };
  }
  if (/\.xml$/i.test(name))
    return { kind: "zip", description: `en zip-fil med XML-filer (første fil: ${name})`, fits: [] };
  if (/\.(csv|tsv)$/i.test(name))
    return {
      kind: "zip",
      description: `en zip-fil med CSV (første fil: ${name})`,
      fits: [],
      hint: "pakk ut CSV-filen og send den alene",
    };
  // The CT.gov "Download JSON" zip (NCT*.json) — and anything else, which its reader reports.
  return { kind: "zip", description: `en zip-fil${name ? ` (første fil: ${name})` : ""}`, fits: ["ctgov-json"] };
}

/** A tar archive (the old AllPublicXML dumps come as .tar.gz): names the first file and what it holds. */
function detectTar(bytes: Uint8Array, depth: number): DetectedInput {
  let inside: DetectedInput | null = null;
  let first = "";
  for (let offset = 0; offset + 512 <= bytes.length && !inside;) {
    const name = latin1(bytes, offset, offset + 100).replace(/\0.*$/s, "");
    if (!name) break;
    const size =
      parseInt(
        latin1(bytes, offset + 124, offset + 136)
          .replace(/\0.*$/s, "")
          .trim() || "0",
        8,
      ) || 0;
    const type = latin1(bytes, offset + 156, offset + 157);
    if (type === "0" || type === "\0") {
      first = name;
      inside =
        depth < 2
          ? detectHead(bytes.subarray(offset + 512, offset + 512 + Math.min(size, SNIFF_BYTES)), depth + 1)
          : null;
      break;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  const what = inside && inside.kind !== "unknown" ? ` med ${inside.description}` : "";
  return {
    kind: "tar",
    description: `et tar-arkiv${what}${first ? ` (første fil: ${quoted(first)})` : ""}`,
    fits: [],
    hint: inside?.hint ?? "pakk ut arkivet og send filene i et støttet format",
  };
}

function detectText(text: string): DetectedInput {
  const start = text.trimStart();
  if (start === "") return { kind: "empty", description: "en tom fil (bare mellomrom og linjeskift)", fits: [] };
  if (start.startsWith("<")) return detectMarkup(start);
  if (start.startsWith("{") || start.startsWith("[")) return detectJson(start);
  return detectCsv(start);
}

const FHIR_XML_ROOT = /^<(Bundle|ResearchStudy|[A-Z][A-Za-z]+)\b[^>]*\bxmlns\s*=\s*["']http:\/\/hl7\.org\/fhir["']/;

function detectMarkup(text: string): DetectedInput {
  // Skip the XML declaration, comments, processing instructions and the doctype to the root.
  const rest = text.replace(/^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>))*\s*/i, "");
  if (/^<!doctype\s+html/i.test(text) || /^<html\b/i.test(rest)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    return {
      kind: "html",
      description: `en HTML-side${title ? ` («${quoted(title)}»)` : ""}`,
      fits: [],
      hint: "en nettside er sendt i stedet for data: sjekk adressen (og om den krever innlogging)",
    };
  }
  const root = /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1];
  if (root === "clinical_study" || root === "clinical_studies" || root === "search_results") {
    return {
      kind: "ctgov-legacy-xml",
      description: `ClinicalTrials.gov legacy XML (<${root}>)`,
      fits: [],
      hint: LEGACY_XML_HINT,
    };
  }
  const fhir = FHIR_XML_ROOT.exec(rest);
  if (fhir) {
    return {
      kind: "fhir-xml",
      description: `FHIR XML (${fhir[1]})`,
      fits: [],
      hint: "send FHIR-ressursen som JSON (application/fhir+json)",
    };
  }
  return {
    kind: "xml",
    description: root ? `XML (rotelement <${quoted(root, 40)}>)` : "XML eller annen markup",
    fits: [],
  };
}

/** A key of a JSON object: a quoted name followed by a colon, never a quote inside a string value (those are escaped). */
const key = (name: string) => new RegExp(`(?<!\\\\)"${name}"\\s*:`);

function detectJson(text: string): DetectedInput {
  const isList = text.startsWith("[");
  if (key("(FullStudiesResponse|StudyFieldsResponse|FullStudies)").test(text)) {
    return {
      kind: "ctgov-v1-json",
      description: "JSON fra ClinicalTrials.gov sitt avviklede API v1 (FullStudiesResponse)",
      fits: [],
      hint: "API v1 er avviklet; hent studiene fra API v2 (https://clinicaltrials.gov/api/v2/studies) og send dem som ctgov-json",
    };
  }
  if (key("protocolSection").test(text)) {
    const shape = isList
      ? "en liste med studier"
      : key("studies").test(text)
        ? "en API-side { studies: [...] }"
        : "studier";
    return { kind: "ctgov-v2-json", description: `ClinicalTrials.gov API v2 JSON (${shape})`, fits: ["ctgov-json"] };
  }
  const types = [...text.matchAll(/(?<!\\)"resourceType"\s*:\s*"([A-Za-z]+)"/g)].map((m) => m[1]!);
  if (types.length > 0) {
    const readable = types.includes("Bundle") || types.includes("ResearchStudy");
    const type = types.includes("Bundle") ? "Bundle" : types.includes("ResearchStudy") ? "ResearchStudy" : types[0]!;
    if (isList) {
      return {
        kind: "fhir-json",
        description: `en JSON-liste med FHIR-ressurser (${type})`,
        fits: [],
        hint: "send én ResearchStudy eller en Bundle",
      };
    }
    return {
      kind: "fhir-json",
      description: `en FHIR-ressurs (resourceType ${type})`,
      fits: readable ? ["fhir"] : [],
      hint: readable ? undefined : "fhir-formatet leser ResearchStudy eller en Bundle med ResearchStudy",
    };
  }
  if (key("(tittel|studier|studiesteder|utfort_av|deltakende_foretak|sammendrag)").test(text)) {
    return {
      kind: "native-json",
      description: "Kliniske studiers native JSON (sykehusenes listeformat)",
      fits: ["native"],
    };
  }
  // JSON of no shape we recognise: every JSON reader may try, and says what is wrong.
  return { kind: "json", description: "JSON", fits: ["native", "ctgov-json", "fhir"] };
}

function detectCsv(text: string): DetectedInput {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let header: string[];
  try {
    header = (
      (
        parse(firstLine, {
          to: 1,
          relax_quotes: true,
          relax_column_count: true,
          delimiter: [",", ";", "\t"],
        }) as string[][]
      )[0] ?? []
    ).map((h) => h.trim());
  } catch {
    header = [];
  }
  if (header.length < 2) return { kind: "unknown", description: "ukjent innhold", fits: ALL };
  if (header.includes("NCT Number") && header.includes("Study Title")) {
    return { kind: "ctgov-csv", description: "ClinicalTrials.gov CSV («Download CSV»)", fits: ["ctgov-csv"] };
  }
  if (header.includes("Trial number") && header.includes("Title of the trial")) {
    return { kind: "ctis-csv", description: "EU CTIS CSV (eksport fra euclinicaltrials.eu)", fits: ["ctis-csv"] };
  }
  const shown = header
    .slice(0, 4)
    .map((h) => quoted(h, 30))
    .join(", ");
  return {
    kind: "csv",
    description: `CSV (kolonner: ${shown}${header.length > 4 ? ", …" : ""})`,
    fits: ["ctgov-csv", "ctis-csv"],
  };
}

/**
 * The one message for a declared format the input cannot be, or null when it may be. Example:
 * «Dette ser ut som ClinicalTrials.gov legacy XML (<clinical_study>), ikke ctgov-json; støttede
 * formater er: native, ctgov-json, ctgov-csv, fhir, ctis-csv. ClinicalTrials.gov har avviklet …»
 */
export function formatMismatch(declared: IngestFormat, detected: DetectedInput): string | null {
  if (detected.fits.includes(declared)) return null;
  if (detected.kind === "empty") return `filen er tom: ${detected.description}; ingen studier er lest`;
  const suggestion = detected.fits.length > 0 ? `; send den som ${detected.fits.join(" eller ")}` : "";
  const hint = detected.hint ? `. ${detected.hint[0]!.toUpperCase()}${detected.hint.slice(1)}` : "";
  return `Dette ser ut som ${detected.description}, ikke ${declared}; støttede formater er: ${INGEST_FORMATS.join(", ")}${suggestion}${hint}`;
}
