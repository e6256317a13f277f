/**
 * ClinicalTrials.gov website "Download CSV" → candidate studies.
 *
 * Each row is turned into the v2 JSON shape it came from and mapped by `mapCtgovStudy`, so the
 * two formats cannot drift apart. Column → v2 field:
 *  "NCT Number" → identificationModule.nctId       "Study Title" → briefTitle
 *  "Acronym" → acronym                              "Other IDs" (pipe-separated) → secondaryIdInfos
 *  "Study Status" → statusModule.overallStatus      "Brief Summary" → descriptionModule.briefSummary
 *  "Start Date" / "Primary Completion Date" / "Completion Date" / "Last Update Posted" → the date structs
 *  "Conditions" (pipe) → conditions                 "Interventions" ("DRUG: name", pipe) → interventions
 *  "Sponsor" → leadSponsor.name                     "Sex" → sex
 *  "Phases" (pipe) → phases                         "Enrollment" → enrollmentInfo.count
 *  "Study Type" → studyType
 *  "First Posted" → studyFirstPostDateStruct → firstPosted, basis "ctgov-csv:First Posted" and no
 *          type (the CSV does not say ACTUAL or ESTIMATED); an absent column or empty cell → null
 *  "Age" → eligibility.ageGroups as written (CHILD, ADULT, OLDER_ADULT): the CSV has no exact ages,
 *          and a group is a range, not a limit, so minimum/maximum age stay unknown (null).
 *  "Locations" (pipe) → locations: "Facility, City, [State,] [Zip,] Country" — facility names can
 *          hold commas, so it is read from the right: country = last part, a part with digits
 *          before it is the zip, the part before that the city, the rest the facility.
 *          The CSV has no per-site status and no coordinates: each site's declared status is the
 *          study status, dated by "Last Update Posted" (there is no status-verified date), and a
 *          location is a registered organisation only when its name says so (as for JSON).
 *  Dates have no ACTUAL/ESTIMATED type in the CSV, so none becomes an expected date, and none is
 *  ever an inclusion date.
 * Not in the CSV: eligibility criteria, healthy volunteers (unknown: null, not "no"), detailed
 * description, contacts, official title, keywords.
 */
import type { MapContext, MapResult } from "#app/ingest/types";
import { MAX_RECORDS, MAX_UNCOMPRESSED_BYTES, mapCtgovStudy, type CtgovOptions } from "./ctgov-json.server";
import { csvErrorRef, csvRows, gzipFailure, openText, type CsvRow } from "./open-input.server";
import { errorText } from "./values";

/** Columns without which a row cannot become a study (the export lets users choose columns). */
export const REQUIRED_CSV_COLUMNS = [
  "NCT Number",
  "Study Title",
  "Study Status",
  "Study Type",
  "Start Date",
  "Primary Completion Date",
  "Locations",
] as const;

/** Where the CSV's first posted date is read from (the v2 JSON's is CTGOV_FIRST_POSTED_BASIS). */
export const CTGOV_CSV_FIRST_POSTED_BASIS = "ctgov-csv:First Posted";

const split = (value: string | undefined, separator = "|"): string[] =>
  (value ?? "")
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

function parseLocation(text: string): {
  facility: string | null;
  city: string | null;
  zip: string | null;
  country: string | null;
} {
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const country = parts.pop() ?? null;
  let zip: string | null = null;
  if (parts.length > 1 && /\d/.test(parts[parts.length - 1]!)) zip = parts.pop()!;
  const city = parts.pop() ?? null;
  const facility = parts.length > 0 ? parts.join(", ") : null;
  return { facility, city, zip, country };
}

/** "ADULT, OLDER_ADULT" → the groups as written. */
function ageGroupsFrom(groupsText: string | undefined): string[] {
  return [...new Set(split(groupsText, ","))];
}

function dateStruct(value: string | undefined): { date: string } | undefined {
  const v = value?.trim();
  return v ? { date: v } : undefined;
}

/** One CSV row (by column name) → a v2 study object. */
export function csvRowToV2(row: Record<string, string>): { study: Record<string, unknown>; ageGroups: string[] } {
  const ageGroups = ageGroupsFrom(row["Age"]);
  const enrollment = row["Enrollment"]?.trim();
  const study = {
    protocolSection: {
      identificationModule: {
        nctId: row["NCT Number"]?.trim(),
        briefTitle: row["Study Title"],
        acronym: row["Acronym"],
        secondaryIdInfos: split(row["Other IDs"]).map((id) => ({ id })),
      },
      statusModule: {
        overallStatus: row["Study Status"]?.trim(),
        startDateStruct: dateStruct(row["Start Date"]),
        primaryCompletionDateStruct: dateStruct(row["Primary Completion Date"]),
        completionDateStruct: dateStruct(row["Completion Date"]),
        lastUpdatePostDateStruct: dateStruct(row["Last Update Posted"]),
        studyFirstPostDateStruct: dateStruct(row["First Posted"]),
      },
      descriptionModule: { briefSummary: row["Brief Summary"] },
      conditionsModule: { conditions: split(row["Conditions"]) },
      designModule: {
        studyType: row["Study Type"]?.trim(),
        phases: split(row["Phases"]),
        enrollmentInfo: enrollment ? { count: /^\d+$/.test(enrollment) ? Number(enrollment) : enrollment } : undefined,
      },
      eligibilityModule: { sex: row["Sex"]?.trim() || undefined, stdAges: ageGroups },
      armsInterventionsModule: {
        interventions: split(row["Interventions"]).map((text) => {
          const m = /^([A-Z_ ]+):\s*(.*)$/.exec(text);
          return m ? { type: m[1]!.trim(), name: m[2] } : { type: "OTHER", name: text };
        }),
      },
      sponsorCollaboratorsModule: { leadSponsor: { name: row["Sponsor"] } },
      contactsLocationsModule: {
        locations: split(row["Locations"]).map((text) => {
          const l = parseLocation(text);
          return { facility: l.facility, city: l.city, zip: l.zip, country: l.country };
        }),
      },
    },
  };
  return { study, ageGroups };
}

export function parseCtgovCsv(input: Buffer | string, ctx: MapContext, options: CtgovOptions = {}): MapResult {
  const result: Required<MapResult> = { records: [], rejected: [], skipped: [] };
  const fail = (ref: string, field: string, message: string) => {
    result.rejected.push({ ref, externalId: null, field, message });
    return result;
  };

  const max = Math.min(ctx.maxUnpackedBytes ?? MAX_UNCOMPRESSED_BYTES, MAX_UNCOMPRESSED_BYTES);
  const opened = openText(input, max);
  if (!opened.ok) {
    return opened.stage === "gzip"
      ? fail("input", "gzip", gzipFailure(max, String(opened.error)))
      : fail("input", "(tegnsett)", (opened.error as Error).message);
  }
  const { text } = opened;
  if (text.length > max) return fail("input", "input", `filen er større enn ${max} tegn`);
  if (text.trim() === "") return fail("input", "input", "tom fil: ingen studier");

  let rows: CsvRow[];
  try {
    rows = csvRows(text, MAX_RECORDS + 2);
  } catch (error) {
    return fail(csvErrorRef(error, "input"), "input", `ugyldig CSV: ${errorText(error)}`);
  }
  const header = rows[0]?.record.map((h) => h.trim()) ?? [];
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return fail(
      "line 1",
      missing[0]!,
      `ikke ClinicalTrials.gov-formatet «Download CSV»: mangler kolonnen ${missing.map((c) => `"${c}"`).join(", ")}`,
    );
  }

  let previousEnd = rows[0]!.info.lines;
  for (let i = 1; i < rows.length; i++) {
    const { record, info } = rows[i]!;
    const ref = `line ${previousEnd + 1}`;
    previousEnd = info.lines;
    if (record.length === 1 && record[0]!.trim() === "") continue; // empty line
    if (i > MAX_RECORDS) {
      fail(ref, "input", `mer enn ${MAX_RECORDS} rader; resten er ikke lest`);
      break;
    }
    if (record.length !== header.length) {
      result.rejected.push({
        ref,
        externalId: null,
        field: "input",
        message: `raden har ${record.length} felt, men overskriften har ${header.length}`,
      });
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, index) => (row[name] = record[index] ?? ""));
    const { study, ageGroups } = csvRowToV2(row);
    const outcome = mapCtgovStudy(study, ref, ctx, options);
    if (outcome.kind === "record") {
      const firstPosted = outcome.record.study.firstPosted;
      if (firstPosted) outcome.record.study.firstPosted = { ...firstPosted, basis: CTGOV_CSV_FIRST_POSTED_BASIS };
      if (ageGroups.length > 0) {
        outcome.record.warnings.push(
          `alder er bare oppgitt som aldersgrupper (${ageGroups.join(", ")}) i CSV; beholdt som aldersgrupper, uten eksakt minste og høyeste alder`,
        );
      }
      outcome.record.warnings.push(
        "CSV-eksporten har ikke inklusjonskriterier, kontakter, friske frivillige (ukjent) eller status per sted (studiens status er brukt)",
      );
      result.records.push(outcome.record);
    } else if (outcome.kind === "rejected") {
      result.rejected.push(outcome.rejection);
    } else {
      result.skipped.push({ ref, externalId: outcome.externalId, reason: outcome.reason });
    }
  }
  return result;
}
