/**
 * Eligibility criteria arrive as free text, usually one criterion per line ("- Kvinner 18 år eller
 * eldre"). Split into items so they can be shown as a list and checked one by one.
 */
export function criteriaItems(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-•*–]|\d+[.)])\s+/, "").trim())
    .filter((line) => line.length > 0);
}
