/**
 * Registry imports (ClinicalTrials.gov): there is no sending organisation, so each Norwegian site
 * is written by its own organisation — the records are ingested once per organisation that has a
 * site in them, as a partial batch (a registry file never withdraws anything).
 */
import type { Db } from "../db.server";
import { parseCtgovCsv } from "./mappers/ctgov-csv";
import { parseCtgovJson } from "./mappers/ctgov-json";
import { buildMapContext, wrongFormat } from "./formats.server";
import { ingestBatch, type IngestReport } from "./ingest-service.server";
import { boundRejections } from "./bounded-rejections";
import { inSenderTerms } from "./sender-fields";
import type { MapResult, Rejection } from "./types";

export interface RegistryImportReport {
  received: number;
  skipped: number;
  studies: number;
  unmatched: Rejection[];
  /** In ClinicalTrials.gov's own field names; bounded (see bounded-rejections.ts): count with rejectedCount. */
  rejected: Rejection[];
  rejectedCount: number;
  perOrganisation: Pick<IngestReport, "organisationId" | "created" | "changed" | "unchanged" | "rejected" | "runId">[];
}

export function importCtgov(db: Db, input: Buffer, options: { format: "ctgov-json" | "ctgov-csv"; dryRun?: boolean; now?: Date }): RegistryImportReport {
  // Any organisation will do as the map context's sender: leadFallback "first-site" means the
  // sender is never used as the lead.
  const ctx = buildMapContext(db, "ous");
  const mapOptions = { norwayOnly: true, leadFallback: "first-site" as const, now: options.now };
  const mapped: MapResult =
    wrongFormat(options.format, input) ??
    (options.format === "ctgov-json" ? parseCtgovJson(input, ctx, mapOptions) : parseCtgovCsv(input, ctx, mapOptions));
  const unmatched: Rejection[] = [];
  const byOrganisation = new Map<string, MapResult["records"]>();
  for (const record of mapped.records) {
    const orgs = [...new Set((record.study.sites ?? []).map((s) => s.organisationId))];
    if (orgs.length === 0) {
      unmatched.push({
        ref: record.ref,
        externalId: record.externalId,
        field: "sites",
        message: "ingen av de norske studiestedene kunne kobles til en organisasjon; studien er ikke tatt med",
      });
      continue;
    }
    // Every organisation's pass carries the same record, so whichever pass creates the study,
    // the shared fields are the registry's; each pass then owns only its own site.
    for (const org of orgs) {
      byOrganisation.set(org, [...(byOrganisation.get(org) ?? []), record]);
    }
  }
  const perOrganisation: RegistryImportReport["perOrganisation"] = [];
  const run = () => {
    for (const org of [...byOrganisation.keys()].sort()) {
      const report = ingestBatch(
        db,
        { records: byOrganisation.get(org)!, rejected: [] },
        { organisationId: org, format: options.format, mode: "partial", now: options.now },
      );
      perOrganisation.push({ organisationId: org, created: report.created, changed: report.changed, unchanged: report.unchanged, rejected: report.rejected, runId: report.runId });
    }
  };
  if (options.dryRun) {
    try {
      db.transaction(() => {
        run();
        throw new Error("dry-run");
      })();
    } catch (error) {
      if ((error as Error).message !== "dry-run") throw error;
    }
  } else run();
  return {
    received: mapped.records.length + mapped.rejected.length + (mapped.skipped ?? 0),
    skipped: mapped.skipped ?? 0,
    studies: mapped.records.length - unmatched.length,
    unmatched,
    rejected: boundRejections(mapped.rejected.map((r) => inSenderTerms(options.format, r))),
    rejectedCount: mapped.rejected.length,
    perOrganisation,
  };
}
