/**
 * The CSV export (pure): one row per study, built from the same API representation as the JSON
 * (StudyOut), RFC 4180 (quoted where needed, CRLF), UTF-8 with a byte-order mark so spreadsheet
 * programs read æøå. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
 * the start) get a leading apostrophe: the data comes from many hospital feeds.
 */
import type { StudyOut } from "./schemas";

type Cell = string | number | boolean | null | undefined;

export const CSV_BOM = "\uFEFF";

export function csvCell(value: Cell): string {
  if (value == null) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(",")}\r\n`;

const list = (values: readonly string[]) => values.join("; ");

const COLUMNS: [string, (s: StudyOut) => Cell][] = [
  ["id", (s) => s.id],
  ["version", (s) => s.version],
  ["url", (s) => s.webUrl],
  ["nct", (s) => s.identifiers.nct],
  ["eu_ct", (s) => s.identifiers.euCt],
  ["eudract", (s) => s.identifiers.eudract],
  ["isrctn", (s) => s.identifiers.isrctn],
  ["rek", (s) => s.identifiers.rek],
  ["title_nb", (s) => s.title.nb],
  ["title_nn", (s) => s.title.nn],
  ["title_en", (s) => s.title.en],
  ["short_title_nb", (s) => s.shortTitle.nb],
  ["summary_nb", (s) => s.summary.nb],
  ["study_type", (s) => s.studyType],
  ["phase", (s) => s.phase],
  ["status", (s) => s.status],
  ["status_changes_at", (s) => s.statusChangesAt],
  ["categories", (s) => list(s.categories.map((c) => c.id))],
  ["icd10", (s) => list(s.icd10.map((c) => c.code))],
  ["conditions", (s) => list(s.conditions)],
  ["min_age_years", (s) => s.eligibility.minAgeYears],
  ["max_age_years", (s) => s.eligibility.maxAgeYears],
  ["sex", (s) => s.eligibility.sex],
  ["healthy_volunteers", (s) => s.eligibility.healthyVolunteers],
  ["sponsor", (s) => s.sponsor],
  ["lead_organisation_id", (s) => s.leadOrganisation.id],
  ["lead_organisation", (s) => s.leadOrganisation.name],
  ["lead_region", (s) => s.leadOrganisation.region.name],
  ["site_count", (s) => s.sites.length],
  ["open_site_count", (s) => s.sites.filter((x) => x.status === "open").length],
  ["status_basis", (s) => list([...new Set(s.sites.map((x) => x.statusBasis))])],
  // The oldest confirmation among the sites (the one that most needs renewing), ADR 0019.
  [
    "oldest_site_confirmation",
    (s) =>
      s.sites
        .map((x) => x.confirmedOn)
        .filter((d): d is string => d != null)
        .sort()[0] ?? null,
  ],
  [
    "sites",
    (s) =>
      list(
        s.sites.map(
          (x) =>
            `${x.hospital?.name ?? x.organisation?.name ?? x.name ?? `${x.unnamedCount ?? "?"} ikke navngitt`}` +
            // Firm inclusion dates as they are; a registry's estimates only ever as "forventet".
            ` (${x.inclusionStart || x.inclusionEnd ? `${x.inclusionStart ?? "?"}–${x.inclusionEnd ?? ""}, ` : ""}` +
            `${x.expectedStart || x.expectedEnd ? `forventet ${x.expectedStart ?? "?"}–${x.expectedEnd ?? ""}, ` : ""}${x.status}, ${x.statusBasis}` +
            `${x.declaredStatus ? `: «${x.declaredStatus.text}» ${x.declaredStatus.by} ${x.declaredStatus.on}` : ""}` +
            // When the site was last confirmed and on what basis (ADR 0019).
            `${x.confirmedOn ? `; bekreftet ${x.confirmedOn} (${x.confirmationBasis})` : ""})`,
        ),
      ),
  ],
  [
    "first_inclusion_start",
    (s) =>
      s.sites
        .map((x) => x.inclusionStart)
        .filter((d): d is string => d != null)
        .sort()[0] ?? null,
  ],
  [
    "last_inclusion_end",
    (s) =>
      s.sites
        .map((x) => x.inclusionEnd)
        .filter((d): d is string => d != null)
        .sort()
        .at(-1) ?? null,
  ],
  ["target_enrolment", (s) => s.targetEnrolment],
  ["is_demo", (s) => s.isDemo],
  ["created_at", (s) => s.createdAt],
  ["updated_at", (s) => s.updatedAt],
  ["published_at", (s) => s.publishedAt],
  // The source's own first publication (ADR 0028); empty when the source has none.
  ["first_posted", (s) => s.firstPosted?.date ?? null],
  ["first_posted_basis", (s) => s.firstPosted?.basis ?? null],
];

export const STUDY_CSV_HEADER = COLUMNS.map(([name]) => name);

export const studyCsvHeaderLine = (): string => csvLine(STUDY_CSV_HEADER);

export const studyCsvLine = (study: StudyOut): string => csvLine(COLUMNS.map(([, value]) => value(study)));
