/**
 * XML text for the Atom feeds and the embed pages (pure). Characters XML 1.0 does not allow
 * (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped: a study title with a stray
 * control character must not make the whole feed unreadable.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string | number | null | undefined): string {
  return String(value ?? "")
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** For attribute values in double quotes. */
export function xmlAttr(value: string | number | null | undefined): string {
  return xmlText(value)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}
