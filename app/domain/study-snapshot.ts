/**
 * Canonical form of a study and readable diffs between versions. Two inputs that mean the same
 * study give byte-identical snapshots, so sending the same data twice makes no new version.
 */
import diff from "microdiff";
import { siteIdentity, type Study } from "./study";

type Localized = { nb?: string | null; nn?: string | null; en?: string | null };

function cleanLocalized<T extends Localized>(text: T): T {
  const out: Localized = {};
  for (const lang of ["nb", "nn", "en"] as const) {
    const value = text[lang];
    if (typeof value === "string" && value.length > 0) out[lang] = value;
  }
  return out as T;
}

export function siteKey(site: {
  organisationId: string | null;
  hospitalId: string | null;
  name?: string | null;
  city?: string | null;
}): string {
  return siteIdentity(site);
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();

/** Order-insensitive lists become sorted sets; text objects drop empty languages; sites sort by key. */
export function canonicalStudy(study: Study): Study {
  return {
    ...study,
    localIds: [...study.localIds].sort((a, b) =>
      `${a.organisationId}\u0000${a.localId}`.localeCompare(`${b.organisationId}\u0000${b.localId}`),
    ),
    title: cleanLocalized(study.title),
    shortTitle: cleanLocalized(study.shortTitle),
    summary: cleanLocalized(study.summary),
    scientificSummary: cleanLocalized(study.scientificSummary),
    participation: cleanLocalized(study.participation),
    categories: sortedUnique(study.categories),
    keywords: [...new Set(study.keywords)],
    icd10: sortedUnique(study.icd10),
    snomed: sortedUnique(study.snomed),
    eligibility: {
      ...study.eligibility,
      inclusionCriteria: cleanLocalized(study.eligibility.inclusionCriteria),
      exclusionCriteria: cleanLocalized(study.eligibility.exclusionCriteria),
    },
    // A registered hospital has its own coordinates: the source's are kept only for other places.
    sites: [...study.sites]
      .map((site) =>
        site.hospitalId && (site.lat != null || site.lon != null) ? { ...site, lat: null, lon: null } : site,
      )
      .sort((a, b) => siteKey(a).localeCompare(siteKey(b))),
  };
}

export interface ChangeEntry {
  /** Readable path, e.g. "sites[ous/ous-rikshospitalet].inclusionEnd" or "title.nb". */
  path: string;
  kind: "added" | "removed" | "changed";
  from?: unknown;
  to?: unknown;
}

/** Sites are compared by their identity (organisation/hospital), not by position in the list. */
function keyedForDiff(study: Study): Record<string, unknown> {
  return { ...study, sites: Object.fromEntries(study.sites.map((s) => [siteKey(s), s])) };
}

export function diffStudies(before: Study | null, after: Study): ChangeEntry[] {
  if (!before) return [];
  return diff(keyedForDiff(before), keyedForDiff(after)).map((d) => {
    const path = d.path
      .map((part, i) => {
        if (typeof part === "number") return `[${part}]`;
        if (d.path[i - 1] === "sites") return `[${part}]`;
        return i === 0 ? String(part) : `.${String(part)}`;
      })
      .join("")
      .replace(/\.\[/g, "[");
    if (d.type === "CREATE") return { path, kind: "added", to: d.value };
    if (d.type === "REMOVE") return { path, kind: "removed", from: d.oldValue };
    return { path, kind: "changed", from: d.oldValue, to: d.value };
  });
}

/** A one-line summary of a diff for version lists. */
export function summariseChanges(changes: ChangeEntry[]): string {
  if (changes.length === 0) return "Ingen endringer";
  const top = [...new Set(changes.map((c) => c.path.replace(/\[.*$/, "").split(".")[0]))];
  return `Endret ${top.join(", ")}`;
}
