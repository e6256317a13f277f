/**
 * The one ingest service: CLI and HTTP both call ingestBatch. It validates every mapped record,
 * merges it into the study it names (one study, many sites), writes through the study model (one
 * version per real change, none for a repeat), withdraws this organisation's sites that left a
 * full feed, and records the run with its counts, rejections, skipped records (per reason) and
 * warnings. Every record read is accounted for: received = created + changed + unchanged +
 * skipped + rejected. Records that look like tests or examples, or whose links the public cannot
 * open (app/domain/junk-check.ts), are stored but held unpublished for an editor, with the reason.
 *
 * Atomicity: each record is written in its own savepoint inside a chunk transaction, so a crash
 * (even kill -9) leaves every study either fully old or fully new.
 */
import { placeCentres, placeKey } from "#app/models/postcode.server";
import type { Db } from "#app/db.server";
import { describeProblems, studyInputSchema, type Study } from "#app/domain/study";
import { mergeIncomingStudy, withdrawOrganisationSites } from "#app/domain/study-merge";
import { heldLinkReasons, junkReasons } from "#app/domain/junk-check";
import {
  activeStudiesFromSource,
  clearStudyHold,
  ensureFeedSource,
  findStudyIdsByIdentifiers,
  finishIngestRun,
  getStudyHold,
  organisationExists,
  recordConflicts,
  recordStudyHold,
  startIngestRun,
  summariseSkipped,
  type IngestRunCounts,
  type SkipSummary,
} from "#app/models/ingest.server";
import { findStudyIdByProvenance, latestSnapshot, saveStudy, type Actor } from "#app/models/study.server";
import { BoundedRejections } from "./bounded-rejections";
import { cleanControlChars, showControlChars } from "./control-chars";
import { safeParseInNorwegian } from "./norwegian-issues";
import { inSenderTerms, senderFieldPath } from "./sender-fields";
import type { IngestFormat, MappedRecord, MapResult, Rejection } from "./types";

export interface IngestOptions {
  organisationId: string;
  /**
   * Organisations the sender may also send for (a regional feed naming several health trusts):
   * a record whose own lead ("utført av") is one of them belongs to that organisation, and the
   * sender owns their sites. Any other named organisation stays the sender's responsibility.
   */
  alsoFor?: readonly string[];
  format: IngestFormat;
  /** full: the complete list of this organisation's studies (missing ones are withdrawn). */
  mode: "full" | "partial";
  dryRun?: boolean;
  actor?: Actor;
  now?: Date;
  /** Records per transaction; each record still has its own savepoint. */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** This run is one organisation's part of a registry import (registry-import.server.ts). */
  registryImportId?: number;
}

export interface IngestReport extends IngestRunCounts {
  runId: number | null;
  organisationId: string;
  /**
   * Organisations the sender may also send for (a regional feed naming several health trusts):
   * a record whose own lead ("utført av") is one of them belongs to that organisation, and the
   * sender owns their sites. Any other named organisation stays the sender's responsibility.
   */
  alsoFor?: readonly string[];
  format: IngestFormat;
  mode: "full" | "partial";
  dryRun: boolean;
  rejections: Rejection[];
  /** Skipped records per reason, largest first, each with its first few records. */
  skippedReasons: SkipSummary[];
  /** Records stored but held unpublished for an editor, and why. */
  holds: { ref: string; externalId: string; studyId: number; reasons: string[] }[];
  warnings: { ref: string; message: string }[];
  conflicts: number;
  studyIds: number[];
  /** Source ids of the records this run created or changed. */
  changedIds: string[];
}

/** Feeds are one source per organisation and format: provenance ids are that source's ids. */
export function feedSourceId(organisationId: string, format: IngestFormat): string {
  return `feed:${organisationId}:${format}`;
}

class DryRunRollback extends Error {}

export function ingestBatch(db: Db, mapped: MapResult, options: IngestOptions): IngestReport {
  return new IngestRun(db, mapped, options).execute();
}

type Warning = { ref: string; message: string };

/**
 * One run of ingestBatch, step by step: open the run, ingest the records chunk by chunk (each in
 * its own savepoint), withdraw what left a full feed, and finish the run's account. Every
 * rejection goes through recordRejection, the one place that counts it.
 */
class IngestRun {
  private readonly now: Date;
  private readonly nowIso: string;
  private readonly sourceId: string;
  private readonly actor: Actor;
  private readonly dryRun: boolean;
  private readonly report: IngestReport;
  // Every rejection is told in the sender's own field names, with control characters it quotes
  // made visible, and the list is bounded: a file with millions of the same error stores a few
  // rows and one line saying how many more there were (report.rejected stays the exact count).
  private readonly rejections = new BoundedRejections();
  private readonly runId: number | null;
  /**
   * Every id in the feed counts as present, even when its record is rejected: a broken record
   * must never withdraw a site.
   */
  private readonly presentIds: Set<string>;
  private readonly alsoFor: string[];
  private centres: ReturnType<typeof placeCentres> | null = null;
  private readonly firstRef = new Map<string, string>();
  private readonly chunkSize: number;

  constructor(
    private readonly db: Db,
    private readonly mapped: MapResult,
    private readonly options: IngestOptions,
  ) {
    if (!organisationExists(db, options.organisationId)) {
      throw new Error(`Ukjent organisasjon "${options.organisationId}"`);
    }
    this.now = options.now ?? new Date();
    this.nowIso = this.now.toISOString();
    this.sourceId = feedSourceId(options.organisationId, options.format);
    this.actor = options.actor ?? {
      kind: "source",
      id: this.sourceId,
      name: `${options.organisationId} (${options.format})`,
    };
    this.dryRun = options.dryRun ?? false;
    this.report = {
      runId: null,
      organisationId: options.organisationId,
      format: options.format,
      mode: options.mode,
      dryRun: this.dryRun,
      received: mapped.records.length + countRecords(mapped.rejected) + (mapped.skipped?.length ?? 0),
      created: 0,
      changed: 0,
      unchanged: 0,
      withdrawn: 0,
      rejected: 0,
      skipped: mapped.skipped?.length ?? 0,
      held: 0,
      rejections: [],
      skippedReasons: summariseSkipped(mapped.skipped ?? []),
      holds: [],
      warnings: mapped.records.flatMap((r) =>
        r.warnings.map((message) => ({ ref: showControlChars(r.ref), message: showControlChars(message) })),
      ),
      conflicts: 0,
      studyIds: [],
      changedIds: [],
    };
    this.recordRejection(mapped.rejected);

    ensureFeedSource(
      db,
      this.sourceId,
      options.organisationId,
      options.format,
      `${options.organisationId} (${options.format})`,
    );
    this.runId = this.dryRun
      ? null
      : startIngestRun(db, {
          organisationId: options.organisationId,
          sourceId: this.sourceId,
          format: options.format,
          mode: options.mode,
          dryRun: this.dryRun,
          startedAt: this.nowIso,
        });
    this.report.runId = this.runId;

    this.presentIds = new Set<string>(mapped.rejected.map((r) => r.externalId).filter((x): x is string => !!x));
    this.alsoFor = (options.alsoFor ?? []).filter((org) => org !== options.organisationId);
    for (const org of this.alsoFor) if (!organisationExists(db, org)) throw new Error(`Ukjent organisasjon "${org}"`);
    this.chunkSize = Math.max(1, options.chunkSize ?? 200);
  }

  /** Do the run (or, dry, do it and roll every write back) and finish its account, also on a crash. */
  execute(): IngestReport {
    try {
      if (this.dryRun) this.rollingBack(() => this.work());
      else this.work();
    } catch (error) {
      this.finish((error as Error).message);
      throw error;
    }
    this.finish(null);
    return this.report;
  }

  /**
   * The one place a rejection is recorded: each problem is told (bounded list), and the records
   * they belong to are counted once each (a mapper may list several problems for one record).
   */
  private recordRejection(problems: readonly Rejection[], records = countRecords(problems)): void {
    for (const problem of problems) this.tell(problem);
    this.report.rejected += records;
  }

  private tell(r: Rejection): void {
    const told = inSenderTerms(this.options.format, r);
    this.rejections.push({
      ref: showControlChars(told.ref),
      externalId: told.externalId == null ? null : showControlChars(told.externalId),
      field: showControlChars(told.field),
      message: showControlChars(told.message),
    });
  }

  private rejectRecord(record: MappedRecord, problems: readonly { field: string; message: string }[]): void {
    this.recordRejection(
      problems.map((p) => ({ ref: record.ref, externalId: record.externalId, field: p.field, message: p.message })),
      1,
    );
  }

  private rollingBack(work: () => void): void {
    // Do all the work, report it, then roll every write back.
    try {
      this.db
        .transaction(() => {
          work();
          throw new DryRunRollback();
        })
        .immediate();
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
  }

  private work(): void {
    const { records } = this.mapped;
    for (let start = 0; start < records.length; start += this.chunkSize) {
      const chunk = records.slice(start, start + this.chunkSize);
      this.db
        .transaction(() => {
          for (const record of chunk) this.ingestRecord(record);
        })
        .immediate();
      this.options.onProgress?.(Math.min(start + this.chunkSize, records.length), records.length);
    }
    // Withdraw only when the whole feed could be read and every record identified: a broken file
    // (or a record without an id) must never make studies disappear.
    const unreadable = this.mapped.rejected.some((r) => r.externalId == null);
    if (this.options.mode === "full" && !unreadable) this.withdrawMissing();
    else if (this.options.mode === "full") {
      this.report.warnings.push({
        ref: "hele leveransen",
        message: "ingenting er trukket tilbake fordi leveransen (eller en studie uten id) ikke kunne leses",
      });
    }
  }

  private ingestRecord(sent: MappedRecord): void {
    // Control characters (NUL and other C0 except tab and line breaks) are removed from every
    // text field before validation, whatever the format; the sender is told which fields.
    const record = withoutControlChars(sent, this.options.format, this.report.warnings);
    this.presentIds.add(record.externalId);
    const earlier = this.firstRef.get(record.externalId);
    if (earlier) {
      this.rejectRecord(record, [
        {
          field: "id",
          message: `id "${record.externalId}" forekommer to ganger i samme leveranse (først i ${earlier}); bare den første er brukt`,
        },
      ]);
      return;
    }
    this.firstRef.set(record.externalId, record.ref);
    const result = safeParseInNorwegian(studyInputSchema, record.study);
    if (!result.success) {
      this.rejectRecord(record, describeProblems(result.error));
      return;
    }
    try {
      this.db.transaction(() => this.storeRecord(record, result.data)).immediate();
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      this.rejectRecord(record, [{ field: error.field, message: error.message }]);
    }
  }

  /** The study this record is: by this source's id for it, else by its registry identifiers. */
  private matchStudy(provenance: { sourceId: string; externalId: string }, study: Study): number | null {
    const studyId = findStudyIdByProvenance(this.db, provenance);
    if (studyId != null) return studyId;
    const matches = findStudyIdsByIdentifiers(this.db, study.identifiers);
    if (matches.length > 1) {
      throw new RecordProblem(
        "identifiers",
        `identifikatorene peker på flere studier (${matches.join(", ")}); slå dem sammen før ny innlesing`,
      );
    }
    return matches[0] ?? null;
  }

  /** Merge one valid record into its study and save it (inside the record's savepoint). */
  private storeRecord(record: MappedRecord, study: Study): void {
    const { db, report, runId, nowIso } = this;
    const provenance = { sourceId: this.sourceId, externalId: record.externalId };
    const studyId = this.matchStudy(provenance, study);
    const existing: Study | null = studyId != null ? latestSnapshot(db, studyId) : null;
    const incoming = this.withPlaceCoordinates(this.withOwner(study, record), record);
    const merged = mergeIncomingStudy(existing, incoming, this.options.organisationId, record.externalId, this.alsoFor);
    for (const message of merged.warnings) report.warnings.push({ ref: record.ref, message });
    // Junk is stored but held unpublished, unless an editor already published it deliberately
    // for these same reasons.
    const reasons = junkReasons(merged.study);
    for (const why of heldLinkReasons(merged.study))
      report.warnings.push({ ref: record.ref, message: `${why}: lenken er lagret, men vises ikke offentlig` });
    const hold = studyId != null ? getStudyHold(db, studyId) : null;
    const released = hold?.releasedAt != null && reasons.every((r) => hold.reasons.includes(r));
    const held = reasons.length > 0 && !released;
    const toSave =
      held && merged.study.publicationState === "published"
        ? { ...merged.study, publicationState: "submitted" as const }
        : merged.study;
    const result = saveStudy(db, toSave, {
      studyId: studyId ?? undefined,
      provenance,
      actor: this.actor,
      now: this.now,
    });
    if (!result.ok) {
      throw new RecordProblem(
        result.problems[0]!.field,
        result.problems.map((p) => `${p.field}: ${p.message}`).join("; "),
      );
    }
    if (reasons.length > 0) recordStudyHold(db, result.studyId, reasons, runId, nowIso);
    else if (hold) clearStudyHold(db, result.studyId);
    if (held) {
      report.held++;
      report.holds.push({ ref: record.ref, externalId: record.externalId, studyId: result.studyId, reasons });
      report.warnings.push({
        ref: record.ref,
        message: `holdt tilbake for redaktør (ikke publisert): ${reasons.join("; ")}`,
      });
    }
    report.conflicts += recordConflicts(
      db,
      result.studyId,
      this.options.organisationId,
      runId,
      merged.conflicts,
      nowIso,
    );
    if (result.created) report.created++;
    else if (result.changed) report.changed++;
    else report.unchanged++;
    if (result.created || result.changed) report.changedIds.push(record.externalId);
    report.studyIds.push(result.studyId);
  }

  /**
   * The portal organisation responsible for a record: the one the mapper found (the record's own
   * lead) when the sender may send for it; otherwise the sender, and the operator is told.
   */
  private withOwner(study: Study, record: MappedRecord): Study {
    const sender = this.options.organisationId;
    if (study.leadOrganisationId === sender || this.alsoFor.includes(study.leadOrganisationId)) return study;
    this.report.warnings.push({
      ref: record.ref,
      message: `utført av ${study.leadOrganisationId}, men avsenderen ${sender} har ikke fullmakt for den; ${sender} står som ansvarlig`,
    });
    return { ...study, leadOrganisationId: sender };
  }

  /**
   * A place the source names without coordinates (no registered hospital, no geo point) is placed
   * at its town's or municipality's centre from the postcode list, and the operator is told.
   */
  private withPlaceCoordinates(study: Study, record: MappedRecord): Study {
    if (!study.sites.some((s) => s.organisationId == null && s.lat == null && s.city)) return study;
    const centres = (this.centres ??= placeCentres(this.db));
    return {
      ...study,
      sites: study.sites.map((s) => {
        if (s.organisationId != null || s.lat != null || !s.city) return s;
        const centre = centres.get(placeKey(s.city));
        if (!centre) return s;
        this.report.warnings.push({
          ref: record.ref,
          message: `${s.name ?? s.city}: uten koordinater i kilden; plassert i sentrum av ${s.city} (postnummerlisten)`,
        });
        return { ...s, lat: centre.lat, lon: centre.lon };
      }),
    };
  }

  /** A full feed: this sender's (and its also-for organisations') sites in studies it no longer sends. */
  private withdrawMissing(): void {
    const { db, actor } = this;
    const owners = [this.options.organisationId, ...this.alsoFor];
    const gone = activeStudiesFromSource(db, this.sourceId, owners).filter((s) => !this.presentIds.has(s.externalId));
    db.transaction(() => {
      for (const { studyId } of new Map(gone.map((g) => [g.studyId, g])).values()) {
        const snapshot = latestSnapshot(db, studyId);
        if (!snapshot) continue;
        const result = saveStudy(db, withdrawOrganisationSites(snapshot, owners), {
          studyId,
          actor: { ...actor, name: `${actor.name}: ikke lenger i full leveranse` },
          now: this.now,
        });
        if (result.ok && result.changed) this.report.withdrawn++;
      }
    }).immediate();
  }

  /** The run's account: counts, the bounded rejection list, notes, and the error that stopped it. */
  private finish(errorMessage: string | null): void {
    const { report } = this;
    report.rejections = this.rejections.toArray();
    if (this.runId == null) return;
    const notes = {
      skipped: report.skippedReasons,
      warnings: report.warnings,
      registryImportId: this.options.registryImportId ?? null,
    };
    finishIngestRun(this.db, this.runId, countsOf(report), report.rejections, errorMessage, notes);
  }
}

class RecordProblem extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The record with control characters removed from its id and every text of its study; one warning per field. */
function withoutControlChars(record: MappedRecord, format: IngestFormat, warnings: Warning[]): MappedRecord {
  const { value: study, cleaned } = cleanControlChars(record.study);
  const { value: externalId } = cleanControlChars(record.externalId);
  if (cleaned.length === 0 && externalId === record.externalId) return record;
  const ref = showControlChars(record.ref);
  if (externalId !== record.externalId) warnings.push({ ref, message: "id: kontrolltegn er fjernet fra id-en" });
  for (const c of cleaned) {
    warnings.push({
      ref,
      message: `${senderFieldPath(format, c.path)}: kontrolltegn (${c.removed.join(", ")}) er fjernet fra teksten`,
    });
  }
  return { ...record, ref, externalId, study };
}

/** Rejections from mappers may list several problems for one record: count records, not lines. */
function countRecords(rejections: readonly Rejection[]): number {
  return new Set(rejections.map((r) => `${r.ref}\u0000${r.externalId ?? ""}`)).size;
}

function countsOf(r: IngestReport): IngestRunCounts {
  return {
    received: r.received,
    created: r.created,
    changed: r.changed,
    unchanged: r.unchanged,
    withdrawn: r.withdrawn,
    rejected: r.rejected,
    skipped: r.skipped,
    held: r.held,
  };
}
