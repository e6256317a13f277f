/**
 * Control characters in incoming text. A NUL (U+0000) or another C0 control character has no
 * meaning in a title or a summary, and written raw into HTML, the CSV export or the referral text
 * it corrupts them (a NUL ends a C string; some readers stop there). Tab, line feed and carriage
 * return are text layout and stay. One function for every format, applied to each mapped study
 * before it is validated (ingest-service.server.ts), so no mapper has to remember it.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function hasControlChars(text: string): boolean {
  return HAS_CONTROL.test(text);
}

/** The text without C0 control characters other than tab, line feed and carriage return. */
export function stripControlChars(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(CONTROL, "") : text;
}

/** For messages that quote the input: each control character shown as "\u0000" text, so the sender can find it. */
export function showControlChars(text: string): string {
  return HAS_CONTROL.test(text)
    ? text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    : text;
}

export interface CleanedField {
  /** Internal path of the string, e.g. "title.nb" or "sites.0.contact.name". */
  path: string;
  /** The characters removed, as code points: ["U+0000"]. */
  removed: string[];
}

/**
 * Every string in `value` (objects and arrays, any depth) without control characters. Returns the
 * same object when nothing had to change, and which fields changed.
 */
export function cleanControlChars<T>(value: T): { value: T; cleaned: CleanedField[] } {
  // Almost every record is clean: look first without building paths or copies.
  if (!containsControlChars(value)) return { value, cleaned: [] };
  const cleaned: CleanedField[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === "string") {
      if (!HAS_CONTROL.test(v)) return v;
      const removed = [
        ...new Set(v.match(CONTROL)!.map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)),
      ];
      cleaned.push({ path, removed });
      return v.replace(CONTROL, "");
    }
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((item, i) => {
        const next = walk(item, path ? `${path}.${i}` : String(i));
        if (next !== item) changed = true;
        return next;
      });
      return changed ? out : v;
    }
    if (v && typeof v === "object") {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const next = walk(item, path ? `${path}.${k}` : k);
        if (next !== item) changed = true;
        out[k] = next;
      }
      return changed ? out : v;
    }
    return v;
  };
  return { value: walk(value, "") as T, cleaned };
}

/** Whether any string in `value` (objects and arrays, any depth) holds a control character. */
function containsControlChars(v: unknown): boolean {
  if (typeof v === "string") return HAS_CONTROL.test(v);
  if (Array.isArray(v)) return v.some(containsControlChars);
  if (v && typeof v === "object") {
    for (const key in v) if (containsControlChars((v as Record<string, unknown>)[key])) return true;
  }
  return false;
}
