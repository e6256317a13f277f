/**
 * One study, many sites: merging what one organisation sends into the study the portal holds.
 *
 * - The lead organisation's record owns the shared fields (texts, eligibility, identifiers, …).
 * - Each organisation owns its own sites (dates, contact, pause); it never changes another's.
 * - A non-lead organisation that disagrees about a shared field does not overwrite it: the
 *   disagreement is returned as a conflict to be recorded. Empty shared fields are filled in.
 * - Sites of other organisations named in a record (e.g. "deltakende foretak") are created as
 *   placeholders when missing, never updated: their own organisation owns them.
 */
import type { Study } from "./study";
import { canonicalStudy, siteKey } from "./study-snapshot";

export interface MergeConflict {
  field: string;
  current: unknown;
  incoming: unknown;
}

export interface MergeResult {
  study: Study;
  conflicts: MergeConflict[];
  warnings: string[];
}

/** Fields that belong to the study as a whole, owned by the lead organisation's record. */
const SHARED_FIELDS = [
  "title",
  "shortTitle",
  "summary",
  "scientificSummary",
  "participation",
  "studyType",
  "phase",
  "categories",
  "conditions",
  "icd10",
  "snomed",
  "interventions",
  "eligibility",
  "sponsor",
  "leadOrganisationId",
  "lead",
  "officialTitle",
  "firstPosted",
  "keywords",
  "otherIdentifiers",
  "principalInvestigator",
  "contacts",
  "links",
  "targetEnrolment",
] as const satisfies readonly (keyof Study)[];

function isEmpty(value: unknown): boolean {
  if (value == null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value as Record<string, unknown>).every(isEmpty);
  return value === "";
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function mergeIncomingStudy(
  existing: Study | null,
  incoming: Study,
  organisationId: string,
  externalId: string,
  /** Further organisations the sender is authorised to send for (a regional feed): it owns their sites too. */
  alsoOwns: readonly string[] = [],
): MergeResult {
  const owns = (org: string | null) => org != null && (org === organisationId || alsoOwns.includes(org));
  const warnings: string[] = [];
  const ownLocalId = { organisationId, localId: externalId };
  if (!existing) {
    const localIds = incoming.localIds.some((l) => l.organisationId === organisationId && l.localId === externalId)
      ? incoming.localIds
      : [...incoming.localIds, ownLocalId];
    return { study: canonicalStudy({ ...incoming, localIds }), conflicts: [], warnings };
  }

  const a = canonicalStudy(existing);
  const b = canonicalStudy(incoming);
  const isLead = owns(a.leadOrganisationId);
  const conflicts: MergeConflict[] = [];
  const merged: Study = { ...a };

  if (isLead) {
    for (const field of SHARED_FIELDS) (merged as Record<string, unknown>)[field] = b[field];
    merged.publicationState = b.publicationState;
  } else {
    for (const field of SHARED_FIELDS) {
      // Who is responsible in the portal is not the sender's to dispute; the record's own lead
      // ("lead") is, and a different one is a conflict like any shared field.
      if (field === "leadOrganisationId") continue;
      const current = a[field];
      const next = b[field];
      if (same(current, next) || isEmpty(next)) continue;
      if (isEmpty(current)) (merged as Record<string, unknown>)[field] = next;
      else conflicts.push({ field, current, incoming: next });
    }
  }

  // Registry identifiers: fill in what is missing; a different value is a conflict for anyone.
  const identifiers = { ...a.identifiers };
  for (const key of Object.keys(identifiers) as (keyof Study["identifiers"])[]) {
    const current = a.identifiers[key];
    const next = b.identifiers[key];
    if (!next || next === current) continue;
    if (!current) identifiers[key] = next;
    else conflicts.push({ field: `identifiers.${key}`, current, incoming: next });
  }
  merged.identifiers = identifiers;

  // Sites: this organisation's come from its record; others' stay; unknown others are placeholders.
  // An organisation that already has a site here owns all its sites: another sender can neither
  // change them nor add more for it (not even a second one under another hospital). Locations that
  // match no registered organisation belong to the lead's record; another sender only adds new ones.
  const ownedBySender = (s: Study["sites"][number]) => owns(s.organisationId) || (s.organisationId == null && isLead);
  const orgsWithSites = new Set(a.sites.map((s) => s.organisationId).filter((x): x is string => x != null));
  const existingKeys = new Set(a.sites.map(siteKey));
  const others = a.sites.filter((s) => !ownedBySender(s));
  const own = b.sites.filter(ownedBySender);
  const isPlaceholder = (s: Study["sites"][number]) =>
    s.organisationId == null ? !existingKeys.has(siteKey(s)) : !orgsWithSites.has(s.organisationId);
  const placeholders = b.sites.filter((s) => !ownedBySender(s) && isPlaceholder(s));
  const ignored = b.sites.filter((s) => !ownedBySender(s) && !isPlaceholder(s));
  for (const s of ignored) {
    const current = a.sites.find((x) => siteKey(x) === siteKey(s));
    if (!current || !same({ ...current, withdrawn: false }, { ...s, withdrawn: false })) {
      warnings.push(
        `stedet ${siteKey(s)} eies av ${s.organisationId ?? "hovedansvarlig"}; endringene i denne leveransen er ikke brukt`,
      );
    }
  }
  merged.sites = [...others, ...own, ...placeholders];

  const localIds = [...a.localIds];
  for (const l of [...b.localIds.filter((x) => x.organisationId === organisationId), ownLocalId]) {
    if (!localIds.some((x) => x.organisationId === l.organisationId && x.localId === l.localId)) localIds.push(l);
  }
  merged.localIds = localIds;
  return { study: canonicalStudy(merged), conflicts, warnings };
}

/** The study with every site of one organisation withdrawn (it left that organisation's full feed). */
export function withdrawOrganisationSites(study: Study, organisationId: string | readonly string[]): Study {
  const owners = typeof organisationId === "string" ? [organisationId] : organisationId;
  return canonicalStudy({
    ...study,
    sites: study.sites.map((s) =>
      (s.organisationId != null && owners.includes(s.organisationId)) ||
      (s.organisationId == null && owners.includes(study.leadOrganisationId))
        ? { ...s, withdrawn: true }
        : s,
    ),
  });
}
