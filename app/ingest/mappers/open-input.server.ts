/**
 * How the file mappers open what they are sent: gzip (unpacked up to the delivery's limit) or plain
 * bytes, decoded as strict UTF-8, or a string as it is. Each mapper still words its own rejection
 * from the stage that failed, so the messages senders see are unchanged.
 */
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { decodeUtf8Strict } from "#app/ingest/text-decoding";

export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;
export const isZip = (bytes: Uint8Array): boolean =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Gzip bytes unpacked (at most max bytes) and decoded as strict UTF-8; throws when either fails. */
export function gunzipUtf8(bytes: Uint8Array, max: number): string {
  return decodeUtf8Strict(gunzipSync(bytes, { maxOutputLength: max }));
}

/** The sender's message for gzip input that cannot be unpacked. */
export const gzipFailure = (max: number, detail: string): string =>
  `gzip-filen kan ikke pakkes ut: den er større enn ${max} byte utpakket (grensen for en leveranse), eller skadet: ${detail}`;

export type OpenedText = { ok: true; text: string } | { ok: false; stage: "gzip" | "charset"; error: unknown };

/** A string as it is; gzip bytes unpacked; plain bytes decoded. Never throws: a failure names its stage. */
export function openText(input: Buffer | string, max: number): OpenedText {
  if (typeof input === "string") return { ok: true, text: input };
  const gzip = isGzip(input);
  try {
    return { ok: true, text: gzip ? gunzipUtf8(input, max) : decodeUtf8Strict(input) };
  } catch (error) {
    return { ok: false, stage: gzip ? "gzip" : "charset", error };
  }
}

/** One CSV record with the line it ends on. */
export type CsvRow = { record: string[]; info: { lines: number } };

/**
 * The CSV records of a text (byte-order mark dropped, rows of any length kept, empty lines kept so
 * line numbers stay true), at most `maxRecords` of them; throws csv-parse's error (see csvErrorRef).
 */
export function csvRows(text: string, maxRecords: number): CsvRow[] {
  // With `info: true` each record comes as { record, info } (csv-parse's typings do not narrow it).
  return parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: false,
    to: maxRecords,
  }) as unknown as CsvRow[];
}

/** Where a csv-parse error stands ("line N"), or `fallback` when it does not say. */
export const csvErrorRef = (error: unknown, fallback: string): string => {
  const lines = (error as { lines?: number }).lines;
  return lines ? `line ${lines}` : fallback;
};
