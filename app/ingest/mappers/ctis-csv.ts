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
 *                                → eligibility.minAgeYears / maxAgeYears: the widest span the
 *                                  groups allow, narrowed by secondary groups inside a group
 *                                  ("65+ years" + "65-84 years" → max 84)
 *  Gender                        → eligibility.sex ("Female, Male" → all)
 *  Number of participants enrolled → targetEnrolment (planned number, whole trial)
 *  Medical conditions            → conditions (one string: CTIS free text, commas are not separators)
 *  Trial phase                   → phase ("Therapeutic confirmatory (Phase III)" → phase_3; integrated
 *                                  I/II → phase_1_2, II/III → phase_2_3; III/IV has no portal value →
 *                                  phase_3, warned)
 *  Sponsor/Co-Sponsors           → sponsor
 *  Decision date                 → date of the (latest) authorisation decision
 *  Start date                    → trial start (first start in the EU/EEA; for trials transitioned
 *                                  from EudraCT often years before the CTIS decision)
 *  End date                      → end of the trial in the EU/EEA (last visit — after recruitment)
 *  Global end of the trial       → end of the trial everywhere
 *  Last updated                  → the export's last known date for the record
 *  Protocol code, Product, endpoints, Therapeutic area, Trial region, results, Sponsor type
 *                                → not mapped (no portal field; products cannot be split
 *                                  reliably: names contain commas)
 * All trials in CTIS are clinical trials of medicinal products (interventional) → studyType
 * "treatment". Link: https://euclinicaltrials.eu/ctis-public/view/<EU CT number>.
 *
 * The Norwegian site (one, for ctx.organisationId: the sending organisation owns the site it sends;
 * CTIS has no per-hospital data). CTIS has no per-country recruitment dates, so the window is
 * derived — honestly, and warned — from the Norway status:
 *  Authorised, recruitment pending   → start null, end null (planned; the start is unknown)
 *  Authorised, recruiting /
 *  Ongoing, recruiting               → start = Start date, or Decision date when the trial has no
 *                                      start date (recruitment cannot begin before authorisation);
 *                                      end null
 *  Ongoing, recruitment ended /
 *  Ended (and other "ended" forms)   → start as above; end = the earlier of End date and Last
 *                                      updated: recruitment had ended by both at the latest
 *  Temporarily halted / Suspended    → start as above; paused with a reason
 *  Not authorised / Withdrawn / Revoked → site withdrawn
 * Impossible dates ("30/02/2024") reject the row naming the column; an end before the start rejects
 * the row (field sites.0.inclusionEnd).
 *
 * No CTIS export has a plain-language summary: records are "submitted" (waiting for a hospital
 * editor to add a Norwegian summary), never "published".
 */
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { isCalendarDate } from "../../domain/calendar-date";
import { IDENTIFIER_PATTERNS, studyInputSchema, type Phase, type StudyInput } from "../../domain/study";
import { decodeUtf8Strict } from "../text-decoding";
import { SKIP_REASONS, type MapContext, type MapResult, type MappedRecord, type Rejection } from "../types";

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
  return text
    .split(/, (?=[A-Z][^,:]*:)/)
    .map((part) => {
      const i = part.indexOf(":");
      return i < 0 ? { country: part.trim(), status: "" } : { country: part.slice(0, i).trim(), status: part.slice(i + 1).trim() };
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

function mapAges(groupsRaw: string | null, secondaryRaw: string | null, warnings: string[]): { min: number | null; max: number | null } {
  if (!groupsRaw) return { min: null, max: null };
  const split = (s: string | null) => (s ? s.split(/,\s*(?![^()]*\))/).map((x) => x.trim()).filter(Boolean) : []);
  const groups = split(groupsRaw).map((g) => ({ text: g, range: parseAgeRange(g) }));
  const secondary = split(secondaryRaw).map(parseAgeRange).filter((r): r is [number, number | null] => r !== null);
  if (groups.some((g) => !g.range)) {
    warnings.push(`aldersgruppen «${groupsRaw}» kan ikke leses; alder ikke satt`);
    return { min: null, max: null };
  }
  const inside = (sub: [number, number | null], group: [number, number | null]) =>
    sub[0] >= group[0] && (group[1] === null || (sub[1] !== null && sub[1] <= group[1]));
  const ranges = groups.map(({ range }) => {
    const subs = secondary.filter((s) => inside(s, range!));
    if (subs.length === 0) return range!;
    const lo = Math.min(...subs.map((s) => s[0]));
    const his = subs.map((s) => s[1]);
    return [lo, his.includes(null) ? null : Math.max(...(his as number[]))] as [number, number | null];
  });
  const min = Math.min(...ranges.map((r) => r[0]));
  const maxes = ranges.map((r) => r[1]);
  const max = maxes.includes(null) ? null : Math.max(...(maxes as number[]));
  return { min: Math.min(min, 120), max: max === null ? null : Math.min(max, 120) };
}

function mapSex(raw: string | null): "all" | "female" | "male" {
  if (!raw) return "all";
  const parts = new Set(raw.toLowerCase().split(/,\s*/).map((s) => s.trim()));
  if (parts.size === 1 && parts.has("female")) return "female";
  if (parts.size === 1 && parts.has("male")) return "male";
  return "all";
}

type Row = Record<string, string>;

function mapRow(row: Row, ref: string, ctx: MapContext, norwayStatus: string): MappedRecord {
  const warnings: string[] = [];
  const euCt = (row["Trial number"] ?? "").trim().toUpperCase();
  if (!IDENTIFIER_PATTERNS.euCt.test(euCt)) throw new RowError("Trial number", `ugyldig EU CT-nummer "${euCt.slice(0, 40)}" (eksempel: 2023-501234-12-00)`);
  const title = clean(row["Title of the trial"]);
  if (!title) throw new RowError("Title of the trial", "mangler tittel");
  warnings.push(NO_NORWEGIAN_TEXT);

  const decision = ctisDate(row["Decision date"], "Decision date");
  const trialStart = ctisDate(row["Start date"], "Start date");
  const trialEnd = ctisDate(row["End date"], "End date");
  ctisDate(row["Global end of the trial"], "Global end of the trial");
  const lastUpdated = ctisDate(row["Last updated"], "Last updated");

  const status = norwayStatus.toLowerCase();
  let start: string | null = null;
  let end: string | null = null;
  let paused = false;
  let pauseReason: string | null = null;
  let withdrawn = false;
  const startOrDecision = () => {
    if (trialStart) {
      warnings.push(`CTIS har ingen inklusjonsdatoer per land: inklusjonsstart er studiens startdato (${trialStart})`);
      return trialStart;
    }
    if (decision) {
      warnings.push(`studien mangler startdato i CTIS; inklusjonsstart satt til vedtaksdatoen (${decision}) — rekrutteringen kan ikke ha startet før godkjenning`);
      return decision;
    }
    warnings.push("verken startdato eller vedtaksdato i CTIS: inklusjonsstart ukjent");
    return null;
  };

  if (/recruitment pending/.test(status)) {
    warnings.push("Norge: godkjent, rekrutteringen har ikke startet; startdato ukjent (stedet er planlagt)");
  } else if (/not authorised|withdrawn|revoked|refused/.test(status)) {
    withdrawn = true;
    warnings.push(`Norge: «${norwayStatus}»; stedet er merket som trukket`);
  } else if (/halted|suspended/.test(status)) {
    start = startOrDecision();
    paused = true;
    pauseReason = `Midlertidig stanset i EU CTIS (Norge: ${norwayStatus})`;
  } else if (/recruitment ended|ended|completed/.test(status)) {
    start = startOrDecision();
    const candidates = [trialEnd, lastUpdated].filter((d): d is string => d !== null).sort();
    end = candidates[0] ?? null;
    if (end) {
      warnings.push(
        `Norge: «${norwayStatus}»; CTIS har ingen dato for slutt på rekrutteringen: inklusjonsslutt satt til ${end} (det tidligste av sluttdato og sist oppdatert; rekrutteringen var avsluttet senest da)`,
      );
    } else {
      warnings.push(`Norge: «${norwayStatus}», men ingen sluttdato eller oppdateringsdato: inklusjonsslutt ukjent`);
    }
  } else if (/recruiting|ongoing|authorised/.test(status)) {
    start = startOrDecision();
  } else {
    warnings.push(`ukjent status for Norge «${norwayStatus}»; inklusjonsperioden er ikke satt`);
  }

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
  warnings.push("CTIS-eksporten har ikke sammendrag: studien er sendt til godkjenning, ikke publisert, til en redaktør har skrevet et norsk sammendrag");

  const study: StudyInput = {
    identifiers: { euCt },
    localIds: [],
    title: { nb: title },
    studyType: "treatment",
    phase: mapPhase(clean(row["Trial phase"]), warnings),
    conditions,
    eligibility: { minAgeYears: ages.min, maxAgeYears: ages.max, sex: mapSex(clean(row["Gender"])) },
    sponsor: sponsorRaw ? sponsorRaw.slice(0, 300) : null,
    leadOrganisationId: ctx.organisationId,
    links: [{ url: `https://euclinicaltrials.eu/ctis-public/view/${euCt}`, label: "Studien i EU CTIS" }],
    targetEnrolment: target !== null && target <= 10_000_000 ? target : null,
    sites: [
      { organisationId: ctx.organisationId, hospitalId: null, inclusionStart: start, inclusionEnd: end, paused, pauseReason, withdrawn },
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

  let text: string;
  try {
    if (typeof input === "string") text = input;
    else if (input[0] === 0x1f && input[1] === 0x8b) text = decodeUtf8Strict(gunzipSync(input, { maxOutputLength: CTIS_MAX_BYTES }));
    else text = decodeUtf8Strict(input);
  } catch (error) {
    fail("input", null, "(tegnsett)", error instanceof Error ? error.message : String(error));
    return result;
  }
  if (text.length > CTIS_MAX_BYTES) {
    fail("input", null, "input", `filen er større enn ${CTIS_MAX_BYTES} tegn`);
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
    const lines = (error as { lines?: number }).lines;
    fail(lines ? `line ${lines}` : "line 1", null, "input", `ugyldig CSV i overskriftslinjen: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }
  const missingInHeader = CTIS_REQUIRED_COLUMNS.filter((c) => !firstRecord.map((h) => h.replace(/^\uFEFF/, "").trim()).includes(c));
  if (missingInHeader.length > 0) {
    fail("line 1", null, missingInHeader[0]!, `ikke EU CTIS-eksportformatet: mangler kolonnen ${missingInHeader.map((c) => `"${c}"`).join(", ")}`);
    return result;
  }

  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes as { record, info } (csv-parse's typings do not narrow it).
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: false, to: CTIS_MAX_ROWS + 2 }) as unknown as typeof rows;
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    fail(lines ? `line ${lines}` : "input", null, "input", `ugyldig CSV: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }

  const header = rows[0]?.record.map((h) => h.replace(/^\uFEFF/, "").trim()) ?? [];
  const missing = CTIS_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    fail("line 1", null, missing[0]!, `ikke EU CTIS-eksportformatet: mangler kolonnen ${missing.map((c) => `"${c}"`).join(", ")}`);
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
          issues.map((x) => `${x.path.map(String).join(".") || "(hele studien)"}: ${x.message}`).join("; ").slice(0, 2000),
        );
        continue;
      }
      result.records.push(mapped);
    } catch (error) {
      if (error instanceof RowError) fail(ref, trialNumber, error.field, error.message);
      else fail(ref, trialNumber, "(hele raden)", `uventet feil: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
