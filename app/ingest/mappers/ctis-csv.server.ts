/**
 * EU CTIS public-portal CSV export ("Download results" on euclinicaltrials.eu) → candidate
 * studies. Pure: no I/O, no clock.
 *
 * Input: Buffer or string, UTF-8 (a byte-order mark is dropped), optionally gzip-compressed.
 * One row per trial. Only trials whose "Location(s) and recruitment status" lists Norway are
 * mapped; the others are listed in `skipped` with their reason.
 *
 * Columns and what they mean in CTIS (dates are DD/MM/YYYY, "N/A" when absent):
 *  Trial number                  → identifiers.euCt and MappedRecord.externalId (required)
 *  Title of the trial            → title.nb (no language tag; original text, warned — not copied to en)
 *  Overall trial status          → only used when the Norway entry has no status
 *  Location(s) and recruitment status
 *                                → "Country:Status, Country:Status, …" (statuses contain commas:
 *                                  "Ongoing, recruiting"); the Norway entry decides the site
 *  Age group / Age range secondary identifier
 *                                → eligibility.ageGroups as written (groups, then secondary groups);
 *                                  minAgeYears = the lowest group's lower bound (certain: CTIS has a
 *                                  separate group for every younger age); maxAgeYears null — an age
 *                                  group is a bucket, not the protocol's upper limit
 *  Gender                        → eligibility.sex ("Female, Male" → all)
 *  Number of participants enrolled → targetEnrolment (planned number, whole trial)
 *  Medical conditions            → conditions (one string: CTIS free text, commas are not separators)
 *  Trial phase                   → phase ("Therapeutic confirmatory (Phase III)" → phase_3; integrated
 *                                  I/II → phase_1_2, II/III → phase_2_3; III/IV has no portal value →
 *                                  phase_3, warned)
 *  Sponsor/Co-Sponsors           → sponsor and lead (as written; organisationId when it is a
 *                                  registered organisation, by the organisation matcher's aliases)
 *  Protocol code                 → otherIdentifiers (scheme "Protokollkode")
 *  Product                       → interventions (type drug). One column of names that themselves
 *                                  contain commas: split only at ", " followed by a capital letter
 *                                  (not after "-"), duplicates dropped, warned
 *  Estimated … (any column whose name starts with "Estimated", none in today's export)
 *                                → expectedStart / expectedEnd of the Norwegian site
 *  Decision date, Start date, End date, Global end of the trial
 *                                → read (an impossible date rejects the row) but not inclusion dates:
 *                                  they are the trial's, not Norway's recruitment (noted in a warning)
 *  Last updated                  → the date Norway's status was declared
 *  (first publication)           → none: the export has no column for when the trial was first made
 *                                  public ("Decision date" is the authorisation decision, "Last
 *                                  updated" the latest change), so firstPosted stays null and the
 *                                  statistics count such a trial by the portal's first publication
 *  Endpoints, Therapeutic area, Trial region, results, Sponsor type → not mapped
 * All trials in CTIS are clinical trials of medicinal products (interventional) → studyType
 * "treatment". Link: https://euclinicaltrials.eu/ctis-public/view/<EU CT number>.
 *
 * The Norwegian site. CTIS names no sites, only countries with a status. The sender is not a site
 * (PRODUCT.md "Never invent"): a trial listing Norway gets ONE site with no organisation, named
 * NORWAY_UNNAMED_SITE ("Norge (studiesteder ikke navngitt i kilden)") — the export gives no count
 * of Norwegian sites, so unnamedCount stays null rather than a guessed 1 — with Norway's status as
 * *declared* by "EU CTIS" on "Last updated" (CTIS_STATUSES). No inclusion dates: CTIS has none
 * per country, and no other date stands in for them.
 *
 * No CTIS export has a plain-language summary: records are "submitted" (waiting for a hospital
 * editor to add a Norwegian summary), never "published".
 */
import { parse } from "csv-parse/sync";
import { isCalendarDate } from "#app/domain/calendar-date";
import type { DeclaredStatusValue } from "#app/domain/inclusion-status";
import { IDENTIFIER_PATTERNS, studyInputSchema, type Phase, type StudyInput } from "#app/domain/study";
import { matchOrganisationName } from "#app/ingest/organisation-matcher";
import { SKIP_REASONS, type MapContext, type MapResult, type MappedRecord, type Rejection } from "#app/ingest/types";
import { csvErrorRef, csvRows, openText, type CsvRow } from "./open-input.server";
import { errorText } from "./values";

export const CTIS_MAX_BYTES = 200 * 1024 * 1024;
export const CTIS_MAX_ROWS = 200_000;

export const CTIS_REQUIRED_COLUMNS = [
  "Trial number",
  "Title of the trial",
  "Overall trial status",
  "Location(s) and recruitment status",
  "Start date",
  "Last updated",
] as const;

const NO_NORWEGIAN_TEXT = "ingen norsk tekst: tittelen er lagret i originalspråket og må oversettes";

/** The one site of a trial that lists Norway without naming its sites. */
export const NORWAY_UNNAMED_SITE = "Norge (studiesteder ikke navngitt i kilden)";
export const CTIS_DECLARED_BY = "EU CTIS";

/** CTIS recruitment statuses (per country, or overall) → a declared status; lower case keys. */
export const CTIS_STATUSES: Record<string, DeclaredStatusValue> = {
  "ongoing, recruiting": "recruiting",
  "authorised, recruiting": "recruiting",
  recruiting: "recruiting",
  "ongoing, recruitment ended": "active_not_recruiting",
  "recruitment ended": "active_not_recruiting",
  "authorised, recruitment pending": "not_yet_recruiting",
  authorised: "not_yet_recruiting",
  "temporarily halted": "suspended",
  halted: "suspended",
  suspended: "suspended",
  ended: "completed",
  completed: "completed",
  "ended early": "terminated",
  "prematurely ended": "terminated",
  terminated: "terminated",
  withdrawn: "withdrawn",
  revoked: "withdrawn",
  "not authorised": "withdrawn",
  expired: "unknown",
};

/** A CTIS status text → a declared status ("unknown" for wordings not in CTIS_STATUSES). */
export function ctisStatus(text: string): DeclaredStatusValue {
  return CTIS_STATUSES[text.replace(/\s+/g, " ").trim().toLowerCase()] ?? "unknown";
}

class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const absent = (v: string | undefined): boolean => {
  const t = (v ?? "").trim();
  return t === "" || /^n\/?a$/i.test(t);
};
const clean = (v: string | undefined): string | null => (absent(v) ? null : v!.replace(/\s+/g, " ").trim());

/** "25/07/2018" → "2018-07-25"; "N/A"/"" → null; anything else → RowError naming the column. */
export function ctisDate(raw: string | undefined, column: string): string | null {
  if (absent(raw)) return null;
  const text = raw!.trim();
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!m) throw new RowError(column, `ugyldig dato "${text.slice(0, 40)}" (forventet DD/MM/ÅÅÅÅ)`);
  const iso = `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  if (!isCalendarDate(iso)) throw new RowError(column, `ugyldig dato "${text}" (finnes ikke i kalenderen)`);
  return iso;
}

/** "Netherlands:Ongoing, recruiting, Norway:Ended" → [["Netherlands","Ongoing, recruiting"], ["Norway","Ended"]]. */
export function parseLocations(raw: string): { country: string; status: string }[] {
  const text = raw.replace(/\s+/g, " ").trim();
  if (!text) return [];
  // A new entry starts after ", " when the next text up to ":" is a country name (no comma in it).
  return text.split(/, (?=[A-Z][^,:]*:)/).map((part) => {
    const i = part.indexOf(":");
    return i < 0
      ? { country: part.trim(), status: "" }
      : { country: part.slice(0, i).trim(), status: part.slice(i + 1).trim() };
  });
}

function mapPhase(raw: string | null, warnings: string[]): Phase | null {
  if (!raw) return null;
  const t = raw.toLowerCase();
  if (/phase iii and phase iv/.test(t)) {
    warnings.push(`fase «${raw}» (integrert III/IV) finnes ikke i portalen; lagret som fase 3`);
    return "phase_3";
  }
  if (/phase ii and phase iii/.test(t)) return "phase_2_3";
  if (/phase i and phase ii/.test(t)) return "phase_1_2";
  if (/\(phase iv\)/.test(t)) return "phase_4";
  if (/\(phase iii\)/.test(t)) return "phase_3";
  if (/\(phase ii\)/.test(t)) return "phase_2";
  if (/\(phase i\)/.test(t)) return "phase_1";
  warnings.push(`ukjent fase «${raw}»; fase ikke satt`);
  return null;
}

/** "18-64 years" → [18, 64]; "65+ years" → [65, null]; "Newborns (0-27 days)" → [0, 27/365]; null when unreadable. */
function parseAgeRange(text: string): [number, number | null] | null {
  const m = /(\d+)\s*(?:-\s*(\d+)|(\+))\s*(years?|months?|days?)/i.exec(text);
  if (!m) return null;
  const unit = m[4]!.toLowerCase();
  const f = unit.startsWith("year") ? 1 : unit.startsWith("month") ? 1 / 12 : 1 / 365;
  const lo = Number(m[1]) * f;
  // "0-17 years" means up to (not including) the 18th birthday; keep the written upper bound.
  const hi = m[3] ? null : Number(m[2]) * f;
  return [Math.round(lo * 100) / 100, hi === null ? null : Math.round(hi * 100) / 100];
}

const splitGroups = (s: string | null) =>
  s
    ? s
        .split(/,\s*(?![^()]*\))/)
        .map((x) => x.replace(/\s+/g, " ").trim())
        .filter(Boolean)
    : [];

/**
 * CTIS age groups → the groups as written and the one bound that is certain: the lowest group's
 * lower bound (CTIS has a group for every younger age, so a trial without "0-17 years" takes no
 * minors). The upper end of a group ("18-64 years") is a bucket edge, not the protocol's limit.
 */
export function mapAges(
  groupsRaw: string | null,
  secondaryRaw: string | null,
  warnings: string[],
): { min: number | null; max: null; groups: string[] } {
  const groups = splitGroups(groupsRaw);
  const all = [...groups];
  for (const g of splitGroups(secondaryRaw)) if (!all.includes(g)) all.push(g);
  if (groups.length === 0) return { min: null, max: null, groups: all.slice(0, 20) };
  const ranges = groups.map(parseAgeRange);
  if (ranges.some((r) => r === null)) {
    warnings.push(`aldersgruppen «${groupsRaw}» kan ikke leses som alder; bare gruppene er lagret`);
    return { min: null, max: null, groups: all.slice(0, 20) };
  }
  const min = Math.min(...ranges.map((r) => r![0]));
  return { min: Math.min(min, 120), max: null, groups: all.map((g) => g.slice(0, 100)).slice(0, 20) };
}

/** "A 10 mg tablets, B, solution, C" → ["A 10 mg tablets", "B, solution", "C"]: split before a capital letter only. */
export function splitProducts(raw: string | null): string[] {
  if (!raw) return [];
  const out: string[] = [];
  for (const part of raw
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<!-),\s+(?=\p{Lu})/u)) {
    const name = part.trim().replace(/[.,;]+$/, "");
    if (name && !out.some((x) => x.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}

function mapSex(raw: string | null): "all" | "female" | "male" {
  if (!raw) return "all";
  const parts = new Set(
    raw
      .toLowerCase()
      .split(/,\s*/)
      .map((s) => s.trim()),
  );
  if (parts.size === 1 && parts.has("female")) return "female";
  if (parts.size === 1 && parts.has("male")) return "male";
  return "all";
}

type Row = Record<string, string>;

function mapRow(row: Row, ref: string, ctx: MapContext, norwayStatus: string): MappedRecord {
  const warnings: string[] = [];
  const euCt = (row["Trial number"] ?? "").trim().toUpperCase();
  if (!IDENTIFIER_PATTERNS.euCt.test(euCt))
    throw new RowError("Trial number", `ugyldig EU CT-nummer "${euCt.slice(0, 40)}" (eksempel: 2023-501234-12-00)`);
  const title = clean(row["Title of the trial"]);
  if (!title) throw new RowError("Title of the trial", "mangler tittel");
  warnings.push(NO_NORWEGIAN_TEXT);

  // The trial's own dates: read (a bad date is bad input), never Norway's inclusion dates.
  const trialDates: string[] = [];
  for (const column of ["Decision date", "Start date", "End date", "Global end of the trial"]) {
    const date = ctisDate(row[column], column);
    if (date) trialDates.push(`${column} ${date}`);
  }
  if (trialDates.length > 0) {
    warnings.push(
      `CTIS har ingen inklusjonsdatoer per land; studiens egne datoer er ikke brukt som inklusjonsdatoer (${trialDates.join(", ")})`,
    );
  }
  const lastUpdated = ctisDate(row["Last updated"], "Last updated");

  // Estimated dates ("Estimated …" columns, when an export has them) are expected, never firm.
  let expectedStart: string | null = null;
  let expectedEnd: string | null = null;
  for (const column of Object.keys(row)) {
    if (!/^estimated\b/i.test(column)) continue;
    const date = ctisDate(row[column], column);
    if (!date) continue;
    if (/start|recruitment start|first/i.test(column) && !/end/i.test(column)) expectedStart ??= date;
    else if (/end|completion/i.test(column)) expectedEnd ??= date;
  }
  if (expectedStart && expectedEnd && expectedEnd < expectedStart) {
    warnings.push(
      `forventet slutt ${expectedEnd} er før forventet start ${expectedStart}; forventet slutt er ikke brukt`,
    );
    expectedEnd = null;
  }

  // Norway's status as CTIS declares it, on the record's last update.
  const statusText = norwayStatus.replace(/\s+/g, " ").trim();
  const on = lastUpdated ?? ctx.receivedOn ?? null;
  let declared: { status: DeclaredStatusValue; text: string; on: string; by: string } | null = null;
  if (!statusText) {
    warnings.push("ingen status for Norge eller for studien i CTIS: status ukjent");
  } else if (!on) {
    warnings.push(
      `Norge: «${statusText}», men «Last updated» mangler og mottaksdagen er ikke oppgitt: statusen er ikke brukt`,
    );
  } else {
    const status = ctisStatus(statusText);
    if (status === "unknown") warnings.push(`Norge: ukjent eller utløpt CTIS-status «${statusText}»; vises som ukjent`);
    if (!lastUpdated) warnings.push(`«Last updated» mangler: Norges status er datert mottaksdagen ${on}`);
    declared = { status, text: statusText.slice(0, 200), on, by: CTIS_DECLARED_BY };
  }
  warnings.push(
    "CTIS navngir ikke studiestedene i Norge: ett sted «Norge (studiesteder ikke navngitt i kilden)» uten organisasjon",
  );

  const conditions: string[] = [];
  const condition = clean(row["Medical conditions"]);
  if (condition) {
    if (condition.length > 300) warnings.push("«Medical conditions» er lengre enn 300 tegn og er forkortet");
    conditions.push(condition.slice(0, 300));
  }
  const ages = mapAges(clean(row["Age group"]), clean(row["Age range secondary identifier"]), warnings);
  const enrolled = clean(row["Number of participants enrolled"]);
  const target = enrolled && /^\d+$/.test(enrolled) ? Number(enrolled) : null;
  const sponsorRaw = clean(row["Sponsor/Co-Sponsors"]);
  if (sponsorRaw && sponsorRaw.length > 300) warnings.push("sponsor er lengre enn 300 tegn og er forkortet");
  const sponsor = sponsorRaw ? sponsorRaw.slice(0, 300) : null;
  const leadMatch = matchOrganisationName(sponsor, ctx.organisations);

  const products = splitProducts(clean(row["Product"]));
  const interventions = products.map((name) => {
    if (name.length > 300)
      warnings.push(`legemiddelnavnet «${name.slice(0, 60)}…» er lengre enn 300 tegn og er forkortet`);
    return { type: "drug" as const, name: name.slice(0, 300) };
  });
  if (products.length > 1)
    warnings.push(`«Product» er delt i ${products.length} legemidler ved komma foran stor bokstav; kontroller navnene`);

  const protocolCode = clean(row["Protocol code"]);
  warnings.push(
    "CTIS-eksporten har ikke sammendrag: studien er sendt til godkjenning, ikke publisert, til en redaktør har skrevet et norsk sammendrag",
  );

  const study: StudyInput = {
    identifiers: { euCt },
    localIds: [],
    title: { nb: title },
    officialTitle: title.slice(0, 1000),
    studyType: "treatment",
    phase: mapPhase(clean(row["Trial phase"]), warnings),
    conditions,
    interventions,
    eligibility: {
      minAgeYears: ages.min,
      maxAgeYears: ages.max,
      sex: mapSex(clean(row["Gender"])),
      healthyVolunteers: null,
      ageGroups: ages.groups,
    },
    sponsor,
    lead: sponsor ? { name: sponsor, organisationId: leadMatch?.organisationId ?? null } : null,
    otherIdentifiers: protocolCode ? [{ scheme: "Protokollkode", value: protocolCode.slice(0, 200), url: null }] : [],
    leadOrganisationId: ctx.organisationId,
    links: [{ url: `https://euclinicaltrials.eu/ctis-public/view/${euCt}`, label: "Studien i EU CTIS" }],
    targetEnrolment: target !== null && target <= 10_000_000 ? target : null,
    sites: [
      {
        organisationId: null,
        hospitalId: null,
        name: NORWAY_UNNAMED_SITE,
        city: null,
        unnamedCount: null,
        expectedStart,
        expectedEnd,
        declared,
        inclusionStart: null,
        inclusionEnd: null,
        paused: false,
        withdrawn: false,
      },
    ],
    publicationState: "submitted",
  };
  return { ref, externalId: euCt, study, warnings };
}

export function parseCtisCsv(input: Buffer | string, ctx: MapContext): MapResult {
  const result: Required<MapResult> = { records: [], rejected: [], skipped: [] };
  const fail = (ref: string, externalId: string | null, field: string, message: string): Rejection => {
    const r = { ref, externalId, field, message };
    result.rejected.push(r);
    return r;
  };

  const max = Math.min(ctx.maxUnpackedBytes ?? CTIS_MAX_BYTES, CTIS_MAX_BYTES);
  const opened = openText(input, max);
  if (!opened.ok) {
    fail("input", null, "(tegnsett)", errorText(opened.error));
    return result;
  }
  const { text } = opened;
  if (text.length > max) {
    fail("input", null, "input", `filen er større enn ${max} tegn`);
    return result;
  }
  if (text.trim() === "") {
    fail("input", null, "input", "tom fil: ingen studier");
    return result;
  }

  // The layout is checked on the header alone first: a file that is not a CTIS export gets one
  // clear message about its columns, not a parse error from somewhere further down.
  let firstRecord: string[] = [];
  try {
    firstRecord = (parse(text, { bom: true, to: 1, relax_column_count: true }) as string[][])[0] ?? [];
  } catch (error) {
    fail(csvErrorRef(error, "line 1"), null, "input", `ugyldig CSV i overskriftslinjen: ${errorText(error)}`);
    return result;
  }
  const missingInHeader = CTIS_REQUIRED_COLUMNS.filter(
    (c) => !firstRecord.map((h) => h.replace(/^\uFEFF/, "").trim()).includes(c),
  );
  if (missingInHeader.length > 0) {
    fail(
      "line 1",
      null,
      missingInHeader[0]!,
      `ikke EU CTIS-eksportformatet: mangler kolonnen ${missingInHeader.map((c) => `"${c}"`).join(", ")}`,
    );
    return result;
  }

  let rows: CsvRow[];
  try {
    rows = csvRows(text, CTIS_MAX_ROWS + 2);
  } catch (error) {
    fail(csvErrorRef(error, "input"), null, "input", `ugyldig CSV: ${errorText(error)}`);
    return result;
  }

  const header = rows[0]?.record.map((h) => h.replace(/^\uFEFF/, "").trim()) ?? [];
  const missing = CTIS_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    fail(
      "line 1",
      null,
      missing[0]!,
      `ikke EU CTIS-eksportformatet: mangler kolonnen ${missing.map((c) => `"${c}"`).join(", ")}`,
    );
    return result;
  }

  let previousEnd = rows[0]!.info.lines;
  for (let i = 1; i < rows.length; i++) {
    const { record, info } = rows[i]!;
    const ref = `line ${previousEnd + 1}`;
    previousEnd = info.lines;
    if (record.length === 1 && record[0]!.trim() === "") continue;
    if (i > CTIS_MAX_ROWS) {
      fail(ref, null, "input", `mer enn ${CTIS_MAX_ROWS} rader; resten er ikke lest`);
      break;
    }
    const trialNumber = (record[header.indexOf("Trial number")] ?? "").trim() || null;
    if (record.length !== header.length) {
      fail(ref, trialNumber, "input", `raden har ${record.length} felt, men overskriften har ${header.length}`);
      continue;
    }
    const row: Row = {};
    header.forEach((name, index) => (row[name] = record[index] ?? ""));

    const locations = parseLocations(row["Location(s) and recruitment status"] ?? "");
    const norway = locations.find((l) => l.country.toLowerCase() === "norway");
    if (!norway) {
      result.skipped.push({ ref, externalId: trialNumber, reason: SKIP_REASONS.noNorwegianSite });
      continue;
    }
    const norwayStatus = norway.status || (row["Overall trial status"] ?? "").trim();
    try {
      const mapped = mapRow(row, ref, ctx, norwayStatus);
      const parsed = studyInputSchema.safeParse(mapped.study);
      if (!parsed.success) {
        const issues = parsed.error.issues;
        fail(
          ref,
          mapped.externalId,
          issues[0]?.path.map(String).join(".") || "(hele studien)",
          issues
            .map((x) => `${x.path.map(String).join(".") || "(hele studien)"}: ${x.message}`)
            .join("; ")
            .slice(0, 2000),
        );
        continue;
      }
      result.records.push(mapped);
    } catch (error) {
      if (error instanceof RowError) fail(ref, trialNumber, error.field, error.message);
      else
        fail(
          ref,
          trialNumber,
          "(hele raden)",
          `uventet feil: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  }
  return result;
}
