/** Highlighting shared by both engines: the original title, HTML-escaped, matched words in <mark>. */

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Wraps every word of `title` for which `isMatch` is true in <mark>; null when none is. */
export function markWords(title: string, isMatch: (word: string) => boolean): string | null {
  let out = "";
  let last = 0;
  let any = false;
  for (const m of title.matchAll(/[\p{L}\p{N}]+/gu)) {
    const i = m.index ?? 0;
    out += escapeHtml(title.slice(last, i));
    if (isMatch(m[0])) {
      out += `<mark>${escapeHtml(m[0])}</mark>`;
      any = true;
    } else out += escapeHtml(m[0]);
    last = i + m[0].length;
  }
  out += escapeHtml(title.slice(last));
  return any ? out : null;
}
