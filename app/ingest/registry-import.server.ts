/**
 * Registry imports (ClinicalTrials.gov): there is no sending organisation, so each Norwegian site
 * is written by its own organisation — the records are ingested once per organisation that has a
 * site in them, as a partial batch (a registry file never withdraws anything). Each of those
 * passes is an ingest run like any other (ingest_runs, with its warnings and holds); the whole
 * file's account — received = stored + unchanged + skipped (per reason, including studies whose
 * Norwegian sites matched no organisation) + rejected — is recorded as a registry import.
 */
import type { Db } from "#app/db.server";
import { parseCtgovCsv } from "./mappers/ctgov-csv.server";
import { parseCtgovJson } from "./mappers/ctgov-json.server";
import { buildMapContext, wrongFormat } from "./formats.server";
import { ingestBatch, type IngestReport } from "./ingest-service.server";
import {
  ensureRegistrySource,
  finishRegistryImport,
  startRegistryImport,
  summariseSkipped,
  type SkipSummary,
} from "#app/models/ingest.server";
import { SKIP_REASONS, type MapResult, type Rejection, type SkippedRecord } from "./types";
import { boundRejections } from "./bounded-rejections";
import { inSenderTerms } from "./sender-fields";

export interface RegistryImportReport {
  /** The registry import's record (null on a dry run). */
  importId: number | null;
  /** received = stored + unchanged + skipped + rejected, counting each study once however many organisations it has. */
  received: number;
  /** Studies created or changed by at least one organisation's pass. */
  stored: number;
  unchanged: number;
  skipped: number;
  /** Records rejected by the mapper or by every pass that carried them. */
  rejectedCount: number;
  /** Studies stored but held unpublished for an editor. */
  held: number;
  skippedReasons: SkipSummary[];
  studies: number;
  unmatched: Rejection[];
  /** In ClinicalTrials.gov's own field names; bounded (see bounded-rejections.ts): count with rejectedCount. */
  rejected: Rejection[];
  perOrganisation: Pick<
    IngestReport,
    "organisationId" | "created" | "changed" | "unchanged" | "rejected" | "held" | "runId"
  >[];
}

export function importCtgov(
  db: Db,
  input: Buffer,
  options: { format: "ctgov-json" | "ctgov-csv"; dryRun?: boolean; now?: Date },
): RegistryImportReport {
  // Any organisation will do as the map context's sender: leadFallback "first-site" means the
  // sender is never used as the lead.
  const ctx = buildMapContext(db, "ous");
  const mapOptions = { norwayOnly: true, leadFallback: "first-site" as const, now: options.now };
  const mapped: MapResult =
    wrongFormat(options.format, input) ??
    (options.format === "ctgov-json" ? parseCtgovJson(input, ctx, mapOptions) : parseCtgovCsv(input, ctx, mapOptions));
  const unmatched: Rejection[] = [];
  const skipped: SkippedRecord[] = [...(mapped.skipped ?? [])];
  const byOrganisation = new Map<string, MapResult["records"]>();
  for (const record of mapped.records) {
    // Only registered organisations can own a site's dates in the portal; places that match none
    // travel with the record as they are (never dropped, never forced onto a hospital).
    const orgs = [
      ...new Set((record.study.sites ?? []).map((s) => s.organisationId).filter((x): x is string => x != null)),
    ].sort();
    if (orgs.length === 0) {
      unmatched.push({
        ref: record.ref,
        externalId: record.externalId,
        field: "sites",
        message:
          "ingen av de norske studiestedene er et registrert foretak, så ingen i portalen kan eie studien; den er ikke tatt med (stedene står i kilden)",
      });
      skipped.push({ ref: record.ref, externalId: record.externalId, reason: SKIP_REASONS.noMatchedOrganisation });
      continue;
    }
    // The portal organisation responsible for the record: the record's own lead when it is a
    // registered organisation with a site here, else the first registered site's organisation.
    // The record's lead as written stays in study.lead; the registry is never made the lead.
    const ownLead = record.study.lead?.organisationId;
    const owner = ownLead && orgs.includes(ownLead) ? ownLead : orgs[0]!;
    record.study = { ...record.study, leadOrganisationId: owner };
    // Every organisation's pass carries the same record, so whichever pass creates the study,
    // the shared fields are the registry's; each pass then owns only its own site.
    for (const org of orgs) {
      byOrganisation.set(org, [...(byOrganisation.get(org) ?? []), record]);
    }
  }
  const perOrganisation: RegistryImportReport["perOrganisation"] = [];
  // Per study (external id): did any pass store a change, did every pass reject it, is it held.
  const outcome = new Map<string, { changed: boolean; stored: boolean; held: boolean; rejections: Rejection[] }>();
  const sourceId = `registry:ctgov:${options.format}`;
  let importId: number | null = null;
  const run = () => {
    if (!options.dryRun) {
      ensureRegistrySource(db, sourceId, options.format, `ClinicalTrials.gov (${options.format})`);
      importId = startRegistryImport(db, {
        sourceId,
        format: options.format,
        startedAt: (options.now ?? new Date()).toISOString(),
      });
    }
    for (const org of [...byOrganisation.keys()].sort()) {
      const records = byOrganisation.get(org)!;
      const report = ingestBatch(
        db,
        { records, rejected: [] },
        {
          organisationId: org,
          format: options.format,
          mode: "partial",
          now: options.now,
          registryImportId: importId ?? undefined,
        },
      );
      perOrganisation.push({
        organisationId: org,
        created: report.created,
        changed: report.changed,
        unchanged: report.unchanged,
        rejected: report.rejected,
        held: report.held,
        runId: report.runId,
      });
      const rejectedIds = new Set(report.rejections.map((r) => r.externalId));
      const heldIds = new Set(report.holds.map((h) => h.externalId));
      const storedIds = new Set(records.map((r) => r.externalId).filter((id) => !rejectedIds.has(id)));
      for (const r of records) {
        const o = outcome.get(r.externalId) ?? { changed: false, stored: false, held: false, rejections: [] };
        if (storedIds.has(r.externalId)) o.stored = true;
        if (heldIds.has(r.externalId)) o.held = true;
        o.rejections.push(
          ...report.rejections
            .filter((x) => x.externalId === r.externalId)
            .map((x) => ({ ...x, ref: `${x.ref} (${org})` })),
        );
        outcome.set(r.externalId, o);
      }
      for (const id of report.changedIds) {
        const o = outcome.get(id);
        if (o) o.changed = true;
      }
    }
  };
  if (options.dryRun) {
    try {
      db.transaction(() => {
        run();
        throw new Error("dry-run");
      }).immediate();
    } catch (error) {
      if ((error as Error).message !== "dry-run") throw error;
    }
  } else {
    try {
      run();
    } catch (error) {
      if (importId != null) {
        finishRegistryImport(
          db,
          importId,
          { received: 0, stored: 0, unchanged: 0, skipped: skipped.length, rejected: 0, held: 0 },
          { skipped: summariseSkipped(skipped), rejections: mapped.rejected },
          (error as Error).message,
        );
      }
      throw error;
    }
  }
  const all = [...outcome.values()];
  const rejectedInPasses = all.filter((o) => !o.stored).flatMap((o) => o.rejections);
  const mapperRejected = new Set(mapped.rejected.map((r) => `${r.ref}\u0000${r.externalId ?? ""}`)).size;
  const report: RegistryImportReport = {
    importId,
    received: mapped.records.length + mapperRejected + (mapped.skipped?.length ?? 0),
    stored: all.filter((o) => o.stored && o.changed).length,
    unchanged: all.filter((o) => o.stored && !o.changed).length,
    skipped: skipped.length,
    rejectedCount: mapperRejected + all.filter((o) => !o.stored).length,
    held: all.filter((o) => o.held).length,
    skippedReasons: summariseSkipped(skipped),
    studies: mapped.records.length - unmatched.length,
    unmatched,
    rejected: boundRejections([...mapped.rejected, ...rejectedInPasses].map((r) => inSenderTerms(options.format, r))),
    perOrganisation,
  };
  if (importId != null) {
    finishRegistryImport(
      db,
      importId,
      {
        received: report.received,
        stored: report.stored,
        unchanged: report.unchanged,
        skipped: report.skipped,
        rejected: report.rejectedCount,
        held: report.held,
      },
      { skipped: report.skippedReasons, rejections: report.rejected },
      null,
    );
  }
  return report;
}
