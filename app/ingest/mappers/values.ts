/**
 * The value readers every mapper shares: loose JSON (an object, an array, a non-blank string, or
 * nothing), an error's text, and clipping a text to a field's length (with or without telling the
 * sender). Pure: no I/O.
 */

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
/** The value when it is a JSON object, else an empty one. */
export const obj = (v: unknown): JsonObject => (isObject(v) ? v : {});
/** The value when it is an array, else an empty one. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The trimmed text when the value is a string with something in it, else null. */
export const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The text cut to max characters (ending in "…"), and a warning naming the field when it was cut. */
export function clip(text: string | null, max: number, field: string, warnings: string[]): string | null {
  if (text == null) return null;
  if (text.length <= max) return text;
  warnings.push(`${field}: teksten var ${text.length} tegn og er kortet ned til ${max}`);
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The text cut to max characters (ending in "…") without a warning: names, labels, list entries. */
export const clipSilently = (text: string | null, max: number): string | null =>
  text == null ? null : text.length <= max ? text : `${text.slice(0, max - 1)}…`;
