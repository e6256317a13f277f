/**
 * Studies in SQLite: the only place study SQL runs. Views, API and ingestion all write through
 * saveStudy, which validates, keeps every change as a version and never deletes anything.
 */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";
import { notifyStudyChanged } from "./study-events.server";
import {
  parseStudy,
  siteIdentity,
  TEXT_FIELDS,
  type FieldProblem,
  type FirstPosted,
  type Language,
  type PublicationState,
  type Study,
  type TextField,
} from "#app/domain/study";
import { canonicalStudy, diffStudies, siteKey, summariseChanges, type ChangeEntry } from "#app/domain/study-snapshot";
import { osloDate, type DeclaredStatus, type DeclaredStatusValue } from "#app/domain/inclusion-status";

export interface Actor {
  kind: "user" | "source" | "system" | "seed";
  id?: string | null;
  name: string;
}

export interface Provenance {
  sourceId: string;
  externalId: string;
}

export type SaveStudyResult =
  | { ok: true; studyId: number; version: number; created: boolean; changed: boolean; changes: ChangeEntry[] }
  | { ok: false; problems: FieldProblem[] };

export interface SaveStudyOptions {
  /** Update this study; without it, the study is found by provenance or created. */
  studyId?: number;
  provenance?: Provenance;
  actor: Actor;
  now?: Date;
}

/* ------------------------------------------------------------------ writes */

export function saveStudy(db: Db, input: unknown, options: SaveStudyOptions): SaveStudyResult {
  const parsed = parseStudy(input);
  if (!parsed.ok) return parsed;
  const now = (options.now ?? new Date()).toISOString();

  // IMMEDIATE: take the write lock before reading. A deferred transaction that reads first fails at
  // once with SQLITE_BUSY (no busy wait) when another process committed in between.
  return db
    .transaction((): SaveStudyResult => {
      const existingId =
        options.studyId ?? (options.provenance ? findStudyIdByProvenance(db, options.provenance) : null);
      if (options.studyId != null && !studyExists(db, options.studyId)) {
        return { ok: false, problems: [{ field: "id", message: `studien ${options.studyId} finnes ikke` }] };
      }
      const previous = existingId != null ? latestSnapshot(db, existingId) : null;

      // Sites that the new input leaves out are withdrawn, never deleted.
      const study = canonicalStudy(withWithdrawnSites(parsed.study, previous));
      const problems = checkReferences(db, study, existingId);
      if (problems.length > 0) return { ok: false, problems };

      if (previous && JSON.stringify(previous) === JSON.stringify(study)) {
        if (options.provenance) touchProvenance(db, existingId!, options.provenance, now, options.actor);
        // A delivery that carries the sites unchanged confirms them (by that feed).
        if (recordConfirmations(db, existingId!, parsed.study, previous, options.actor, now)) {
          sql(db, "INSERT INTO search_outbox (study_id, enqueued_at) VALUES (?, ?)").run(existingId!, now);
          notifyStudyChanged(existingId!);
        }
        const version = currentVersion(db, existingId!);
        return { ok: true, studyId: existingId!, version, created: false, changed: false, changes: [] };
      }
      // The same statuses declared again on a later day (a listing read again): a confirmation,
      // not a change. The sites' declaration dates move on in place, without a new version (the
      // versions keep the wording and the date it was first said); the index learns the new date,
      // since a declaration's age decides when it stops counting (ADR 0012).
      if (previous && JSON.stringify(withoutDeclaredDates(previous)) === JSON.stringify(withoutDeclaredDates(study))) {
        const confirmed = recordConfirmations(db, existingId!, parsed.study, previous, options.actor, now);
        if (confirmDeclarations(db, existingId!, study) || confirmed) {
          sql(db, "INSERT INTO search_outbox (study_id, enqueued_at) VALUES (?, ?)").run(existingId!, now);
          notifyStudyChanged(existingId!);
        }
        if (options.provenance) touchProvenance(db, existingId!, options.provenance, now, options.actor);
        return {
          ok: true,
          studyId: existingId!,
          version: currentVersion(db, existingId!),
          created: false,
          changed: false,
          changes: [],
        };
      }

      const changes = diffStudies(previous, study);
      let studyId: number;
      let version: number;
      if (existingId == null) {
        studyId = insertStudyRow(db, study, now);
        version = 1;
      } else {
        studyId = existingId;
        version = currentVersion(db, studyId) + 1;
        updateStudyRow(db, studyId, study, version, now);
      }
      writeChildren(db, studyId, study, existingId == null);
      recordConfirmations(db, studyId, parsed.study, previous, options.actor, now);
      if (options.provenance) touchProvenance(db, studyId, options.provenance, now, options.actor);
      sql(
        db,
        `INSERT INTO study_versions (study_id, version, created_at, actor_kind, actor_id, actor_name, source_id, summary, snapshot, diff)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        studyId,
        version,
        now,
        options.actor.kind,
        options.actor.id ?? null,
        options.actor.name,
        options.provenance?.sourceId ?? null,
        previous ? summariseChanges(changes) : "Opprettet",
        JSON.stringify(study),
        JSON.stringify(changes),
      );
      // Same transaction as the change: the search index can never miss it (see search/indexer).
      sql(db, "INSERT INTO search_outbox (study_id, enqueued_at) VALUES (?, ?)").run(studyId, now);
      notifyStudyChanged(studyId);
      return { ok: true, studyId, version, created: existingId == null, changed: true, changes };
    })
    .immediate();
}

/** What a confirmation vouches for: the fields the site's status rests on. */
function windowFields(site: Study["sites"][number]) {
  return {
    inclusionStart: site.inclusionStart,
    inclusionEnd: site.inclusionEnd,
    paused: site.paused,
    declared: site.declared,
  };
}

const CONFIRMATION_KIND: Record<Actor["kind"], Exclude<ConfirmationKind, "backfill">> = {
  user: "user",
  source: "feed",
  seed: "seed",
  system: "system",
};

/**
 * Records who confirmed which sites (ADR 0019): a delivery from a source confirms every site it
 * carries; anyone else confirms a site by creating it or by changing its dates, pause or declared
 * status (saving other fields confirms nothing). A user's confirmation is also kept in
 * site_confirmations for the history. True when a site's confirmation date moved (the search
 * index must learn when its status stops counting).
 */
function recordConfirmations(
  db: Db,
  studyId: number,
  input: Study,
  previous: Study | null,
  actor: Actor,
  instant: string,
): boolean {
  const before = new Map(
    (previous?.sites ?? []).filter((s) => !s.withdrawn).map((s) => [siteIdentity(s), JSON.stringify(windowFields(s))]),
  );
  const sites = input.sites.filter((s) => !s.withdrawn && !s.pendingConsent);
  const chosen =
    actor.kind === "source"
      ? sites
      : sites.filter((s) => before.get(siteIdentity(s)) !== JSON.stringify(windowFields(s)));
  if (chosen.length === 0) return false;
  const byIdentity = siteRowsByIdentity(db, studyId, true);
  const on = osloDate(new Date(instant));
  const kind = CONFIRMATION_KIND[actor.kind];
  let moved = false;
  for (const site of chosen) {
    const row = byIdentity.get(siteIdentity(site));
    if (!row) continue;
    writeConfirmation(
      db,
      studyId,
      row.id,
      { at: instant, on, byKind: kind, byId: actor.id ?? null, byName: actor.name },
      windowFields(site),
    );
    if (row.confirmed_on !== on) moved = true;
  }
  return moved;
}

/** The columns a study_sites row names its site by. */
interface SiteIdentityColumns {
  organisation_id: string | null;
  hospital_id: string | null;
  site_name: string | null;
  site_city: string | null;
}

/** A stored site row's identity, as siteIdentity gives it for the site in the study record. */
const rowIdentity = (r: SiteIdentityColumns) =>
  siteIdentity({ organisationId: r.organisation_id, hospitalId: r.hospital_id, name: r.site_name, city: r.site_city });

interface SiteRowDates {
  id: number;
  confirmed_on: string | null;
  declared_on: string | null;
}

/** The study's site rows (every one, or only those not withdrawn) with their dates, by site identity. */
function siteRowsByIdentity(db: Db, studyId: number, activeOnly: boolean): Map<string, SiteRowDates> {
  const rows = sql(
    db,
    `SELECT id, organisation_id, hospital_id, site_name, site_city, confirmed_on, declared_on FROM study_sites
     WHERE study_id = ?${activeOnly ? " AND withdrawn = 0" : ""}`,
  ).all(studyId) as (SiteIdentityColumns & SiteRowDates)[];
  return new Map(rows.map((r) => [rowIdentity(r), r]));
}

function writeConfirmation(
  db: Db,
  studyId: number,
  siteId: number,
  c: Omit<SiteConfirmation, "byKind"> & { byKind: Exclude<ConfirmationKind, "backfill"> },
  window: unknown,
): void {
  sql(
    db,
    "UPDATE study_sites SET confirmed_at = ?, confirmed_on = ?, confirmed_by_kind = ?, confirmed_by_id = ?, confirmed_by_name = ? WHERE id = ?",
  ).run(c.at, c.on, c.byKind, c.byId, c.byName, siteId);
  // Only people's confirmations are history: deliveries come many times a day (ingest runs record them).
  if (c.byKind === "user") {
    sql(
      db,
      "INSERT INTO site_confirmations (study_id, site_id, confirmed_at, confirmed_on, actor_kind, actor_id, actor_name, site_window) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(studyId, siteId, c.at, c.on, c.byKind, c.byId, c.byName, JSON.stringify(window));
  }
}

/**
 * A person confirms one site's dates (or declared status) as they stand: no new version (nothing
 * changed), a history entry, and the search index learns the new date. The caller authorises.
 */
export function confirmSiteAsIs(
  db: Db,
  studyId: number,
  siteIdentityKey: string,
  actor: Actor,
  now = new Date(),
): SiteConfirmation | null {
  const instant = now.toISOString();
  return db
    .transaction((): SiteConfirmation | null => {
      const snapshot = latestSnapshot(db, studyId);
      const site = snapshot?.sites.find((s) => !s.withdrawn && siteIdentity(s) === siteIdentityKey);
      if (!snapshot || !site) return null;
      const match = siteRowsByIdentity(db, studyId, true).get(siteIdentityKey);
      if (!match) return null;
      const confirmation = {
        at: instant,
        on: osloDate(now),
        byKind: CONFIRMATION_KIND[actor.kind],
        byId: actor.id ?? null,
        byName: actor.name,
      };
      writeConfirmation(db, studyId, match.id, confirmation, windowFields(site));
      if (match.confirmed_on !== confirmation.on) {
        sql(db, "INSERT INTO search_outbox (study_id, enqueued_at) VALUES (?, ?)").run(studyId, instant);
      }
      notifyStudyChanged(studyId);
      return confirmation;
    })
    .immediate();
}

export interface SiteConfirmationEntry {
  siteId: number;
  siteKey: string;
  confirmedAt: string;
  confirmedOn: string;
  actorKind: string;
  actorName: string;
  window: { inclusionStart: string | null; inclusionEnd: string | null; paused: boolean };
}

/** Confirmations people made on a study's sites, newest first (the history beside the versions). */
export function listSiteConfirmations(db: Db, studyId: number): SiteConfirmationEntry[] {
  const rows = sql(
    db,
    `SELECT c.site_id, c.confirmed_at, c.confirmed_on, c.actor_kind, c.actor_name, c.site_window,
            ss.organisation_id, ss.hospital_id, ss.site_name, ss.site_city
     FROM site_confirmations c JOIN study_sites ss ON ss.id = c.site_id
     WHERE c.study_id = ? ORDER BY c.confirmed_at DESC, c.id DESC`,
  ).all(studyId) as {
    site_id: number;
    confirmed_at: string;
    confirmed_on: string;
    actor_kind: string;
    actor_name: string;
    site_window: string;
    organisation_id: string | null;
    hospital_id: string | null;
    site_name: string | null;
    site_city: string | null;
  }[];
  return rows.map((r) => ({
    siteId: r.site_id,
    siteKey: rowIdentity(r),
    confirmedAt: r.confirmed_at,
    confirmedOn: r.confirmed_on,
    actorKind: r.actor_kind,
    actorName: r.actor_name,
    window: JSON.parse(r.site_window) as SiteConfirmationEntry["window"],
  }));
}

function withoutDeclaredDates(study: Study): Study {
  return { ...study, sites: study.sites.map((s) => (s.declared ? { ...s, declared: { ...s.declared, on: "" } } : s)) };
}

/** Moves each site's declaration date forward to the one just received; true when any moved. */
function confirmDeclarations(db: Db, studyId: number, study: Study): boolean {
  const byIdentity = siteRowsByIdentity(db, studyId, false);
  const update = sql(db, "UPDATE study_sites SET declared_on = ? WHERE id = ?");
  let moved = false;
  for (const site of study.sites) {
    const row = byIdentity.get(siteIdentity(site));
    if (site.declared && row && row.declared_on != null && site.declared.on > row.declared_on) {
      update.run(site.declared.on, row.id);
      moved = true;
    }
  }
  return moved;
}

function withWithdrawnSites(study: Study, previous: Study | null): Study {
  if (!previous) return study;
  const present = new Set(study.sites.map(siteKey));
  const dropped = previous.sites.filter((s) => !present.has(siteKey(s))).map((s) => ({ ...s, withdrawn: true }));
  return dropped.length ? { ...study, sites: [...study.sites, ...dropped] } : study;
}

/** Problems a schema cannot see: references to organisations, hospitals, categories; taken identifiers. */
function checkReferences(db: Db, study: Study, studyId: number | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const orgExists = sql(db, "SELECT 1 FROM organisations WHERE id = ?").pluck();
  const hospitalOrg = sql(db, "SELECT organisation_id FROM hospitals WHERE id = ?").pluck();
  const categoryExists = sql(db, "SELECT 1 FROM hrcs_categories WHERE id = ?").pluck();
  const org = (field: string, id: string | null | undefined) => {
    if (id && !orgExists.get(id)) problems.push({ field, message: `ukjent organisasjon "${id}"` });
  };
  org("leadOrganisationId", study.leadOrganisationId);
  org("lead.organisationId", study.lead?.organisationId);
  org("principalInvestigator.organisationId", study.principalInvestigator?.organisationId);
  study.localIds.forEach((l, i) => org(`localIds.${i}.organisationId`, l.organisationId));
  study.sites.forEach((site, i) => {
    org(`sites.${i}.organisationId`, site.organisationId);
    if (site.hospitalId) {
      const owner = hospitalOrg.get(site.hospitalId) as string | undefined;
      if (!owner) problems.push({ field: `sites.${i}.hospitalId`, message: `ukjent sykehus "${site.hospitalId}"` });
      else if (site.organisationId != null && owner !== site.organisationId)
        problems.push({
          field: `sites.${i}.hospitalId`,
          message: `sykehuset "${site.hospitalId}" hører til ${owner}, ikke ${site.organisationId}`,
        });
    }
  });
  study.categories.forEach((c, i) => {
    if (!categoryExists.get(c)) problems.push({ field: `categories.${i}`, message: `ukjent HRCS-kategori "${c}"` });
  });
  const identifierColumns = {
    nct: "nct_id",
    euCt: "eu_ct_number",
    eudract: "eudract_number",
    isrctn: "isrctn",
  } as const;
  for (const [key, column] of Object.entries(identifierColumns) as [keyof typeof identifierColumns, string][]) {
    const value = study.identifiers[key];
    if (!value) continue;
    const other = sql(db, `SELECT id FROM studies WHERE ${column} = ? AND id IS NOT ?`).pluck().get(value, studyId) as
      number | undefined;
    if (other != null)
      problems.push({ field: `identifiers.${key}`, message: `${value} er allerede registrert på studie ${other}` });
  }
  study.localIds.forEach((l, i) => {
    const other = sql(
      db,
      "SELECT study_id FROM study_local_ids WHERE organisation_id = ? AND local_id = ? AND study_id IS NOT ?",
    )
      .pluck()
      .get(l.organisationId, l.localId, studyId) as number | undefined;
    if (other != null)
      problems.push({
        field: `localIds.${i}.localId`,
        message: `${l.organisationId} bruker allerede "${l.localId}" for studie ${other}`,
      });
  });
  return problems;
}

function studyRowParams(study: Study) {
  return {
    nct: study.identifiers.nct,
    euCt: study.identifiers.euCt,
    eudract: study.identifiers.eudract,
    isrctn: study.identifiers.isrctn,
    rek: study.identifiers.rek,
    studyType: study.studyType,
    phase: study.phase,
    minAge: study.eligibility.minAgeYears,
    maxAge: study.eligibility.maxAgeYears,
    sex: study.eligibility.sex,
    healthyVolunteers: study.eligibility.healthyVolunteers ? 1 : 0,
    healthyVolunteersStated: study.eligibility.healthyVolunteers == null ? 0 : 1,
    ageGroups: JSON.stringify(study.eligibility.ageGroups),
    sponsor: study.sponsor,
    lead: study.leadOrganisationId,
    leadName: study.lead?.name ?? null,
    leadMatch: study.lead?.organisationId ?? null,
    officialTitle: study.officialTitle,
    firstPostedOn: study.firstPosted?.date ?? null,
    firstPostedBasis: study.firstPosted?.basis ?? null,
    firstPostedType: study.firstPosted?.type ?? null,
    piName: study.principalInvestigator?.name ?? null,
    piTitle: study.principalInvestigator?.title ?? null,
    piOrg: study.principalInvestigator?.organisationId ?? null,
    target: study.targetEnrolment,
    state: study.publicationState,
    isDemo: study.isDemo ? 1 : 0,
  };
}

function insertStudyRow(db: Db, study: Study, now: string): number {
  const result = sql(
    db,
    `INSERT INTO studies (nct_id, eu_ct_number, eudract_number, isrctn, rek_number, study_type, phase, min_age_years,
         max_age_years, sex, healthy_volunteers, sponsor, lead_organisation_id, pi_name, pi_title, pi_organisation_id,
         target_enrolment, publication_state, is_demo, current_version, created_at, updated_at, published_at,
         healthy_volunteers_stated, age_groups, lead_as_written, lead_match_organisation_id, official_title,
         first_posted_on, first_posted_basis, first_posted_type)
       VALUES (@nct, @euCt, @eudract, @isrctn, @rek, @studyType, @phase, @minAge, @maxAge, @sex, @healthyVolunteers,
         @sponsor, @lead, @piName, @piTitle, @piOrg, @target, @state, @isDemo, 1, @now, @now,
         CASE WHEN @state = 'published' THEN @now END,
         @healthyVolunteersStated, @ageGroups, @leadName, @leadMatch, @officialTitle,
         @firstPostedOn, @firstPostedBasis, @firstPostedType)`,
  ).run({ ...studyRowParams(study), now });
  return Number(result.lastInsertRowid);
}

function updateStudyRow(db: Db, id: number, study: Study, version: number, now: string): void {
  sql(
    db,
    `UPDATE studies SET nct_id = @nct, eu_ct_number = @euCt, eudract_number = @eudract, isrctn = @isrctn,
       rek_number = @rek, study_type = @studyType, phase = @phase, min_age_years = @minAge, max_age_years = @maxAge,
       sex = @sex, healthy_volunteers = @healthyVolunteers, sponsor = @sponsor, lead_organisation_id = @lead,
       pi_name = @piName, pi_title = @piTitle, pi_organisation_id = @piOrg, target_enrolment = @target,
       publication_state = @state, is_demo = @isDemo, current_version = @version, updated_at = @now,
       healthy_volunteers_stated = @healthyVolunteersStated, age_groups = @ageGroups, lead_as_written = @leadName,
       lead_match_organisation_id = @leadMatch, official_title = @officialTitle,
       first_posted_on = @firstPostedOn, first_posted_basis = @firstPostedBasis, first_posted_type = @firstPostedType,
       published_at = CASE WHEN @state = 'published' THEN coalesce(published_at, @now) ELSE published_at END
     WHERE id = @id`,
  ).run({ ...studyRowParams(study), version, now, id });
}

/** Child rows are rewritten from the study; sites are updated in place so their ids stay stable. */
function writeChildren(db: Db, studyId: number, study: Study, isNew: boolean): void {
  // A new study has no child rows yet: skip nine DELETEs per study on bulk loads.
  if (!isNew)
    for (const table of [
      "study_texts",
      "study_local_ids",
      "study_categories",
      "study_conditions",
      "study_icd10",
      "study_snomed",
      "study_interventions",
      "study_contacts",
      "study_links",
      "study_keywords",
      "study_other_identifiers",
    ]) {
      sql(db, `DELETE FROM ${table} WHERE study_id = ?`).run(studyId);
    }
  const text = sql(db, "INSERT INTO study_texts (study_id, field, lang, text) VALUES (?, ?, ?, ?)");
  const texts: Record<TextField, Partial<Record<Language, string | null>>> = {
    title: study.title,
    shortTitle: study.shortTitle,
    summary: study.summary,
    scientificSummary: study.scientificSummary,
    participation: study.participation,
    inclusionCriteria: study.eligibility.inclusionCriteria,
    exclusionCriteria: study.eligibility.exclusionCriteria,
  };
  for (const field of TEXT_FIELDS) {
    for (const [lang, value] of Object.entries(texts[field])) if (value) text.run(studyId, field, lang, value);
  }
  const localId = sql(db, "INSERT INTO study_local_ids (study_id, organisation_id, local_id) VALUES (?, ?, ?)");
  for (const l of study.localIds) localId.run(studyId, l.organisationId, l.localId);
  const category = sql(db, "INSERT INTO study_categories (study_id, category_id) VALUES (?, ?)");
  for (const c of study.categories) category.run(studyId, c);
  const condition = sql(db, "INSERT INTO study_conditions (study_id, position, text) VALUES (?, ?, ?)");
  study.conditions.forEach((c, i) => condition.run(studyId, i, c));
  const icd = sql(db, "INSERT INTO study_icd10 (study_id, code) VALUES (?, ?)");
  for (const c of study.icd10) icd.run(studyId, c);
  const snomed = sql(db, "INSERT INTO study_snomed (study_id, concept_id) VALUES (?, ?)");
  for (const c of study.snomed) snomed.run(studyId, c);
  const intervention = sql(
    db,
    "INSERT INTO study_interventions (study_id, position, type, name, description) VALUES (?, ?, ?, ?, ?)",
  );
  study.interventions.forEach((x, i) => intervention.run(studyId, i, x.type, x.name, x.description));
  const contact = sql(
    db,
    "INSERT INTO study_contacts (study_id, position, role, name, email, phone) VALUES (?, ?, ?, ?, ?, ?)",
  );
  study.contacts.forEach((c, i) => contact.run(studyId, i, c.role, c.name, c.email, c.phone));
  const link = sql(db, "INSERT INTO study_links (study_id, position, url, label) VALUES (?, ?, ?, ?)");
  study.links.forEach((l, i) => link.run(studyId, i, l.url, l.label));
  const keyword = sql(db, "INSERT INTO study_keywords (study_id, position, text) VALUES (?, ?, ?)");
  study.keywords.forEach((k, i) => keyword.run(studyId, i, k));
  const otherId = sql(
    db,
    "INSERT INTO study_other_identifiers (study_id, position, scheme, value, url) VALUES (?, ?, ?, ?, ?)",
  );
  study.otherIdentifiers.forEach((x, i) => otherId.run(studyId, i, x.scheme, x.value, x.url));

  // Sites are updated in place by their identity (siteIdentity), so their ids stay stable.
  const existing = isNew
    ? new Map<string, number>()
    : new Map(
        (
          sql(
            db,
            "SELECT id, organisation_id, hospital_id, site_name, site_city FROM study_sites WHERE study_id = ?",
          ).all(studyId) as {
            id: number;
            organisation_id: string | null;
            hospital_id: string | null;
            site_name: string | null;
            site_city: string | null;
          }[]
        ).map((r) => [
          siteIdentity({
            organisationId: r.organisation_id,
            hospitalId: r.hospital_id,
            name: r.site_name,
            city: r.site_city,
          }),
          r.id,
        ]),
      );
  const SITE_COLUMNS = `organisation_id = @organisationId, hospital_id = @hospitalId, site_name = @name, site_city = @city,
       site_lat = @lat, site_lon = @lon, unnamed_count = @unnamedCount, inclusion_start = @start, inclusion_end = @end,
       expected_start = @expectedStart, expected_end = @expectedEnd, declared_status = @declaredStatus,
       declared_text = @declaredText, declared_on = @declaredOn, declared_by = @declaredBy, paused = @paused,
       pause_reason = @pauseReason, contact_name = @contactName, contact_email = @contactEmail,
       contact_phone = @contactPhone, more_contacts = @moreContacts, referral = @referral, withdrawn = @withdrawn,
       pending_consent = @pendingConsent`;
  const insertSite = sql(
    db,
    `INSERT INTO study_sites (study_id, organisation_id, hospital_id, site_name, site_city, site_lat, site_lon, unnamed_count,
       inclusion_start, inclusion_end, expected_start, expected_end, declared_status, declared_text, declared_on, declared_by,
       paused, pause_reason, contact_name, contact_email, contact_phone, more_contacts, referral, withdrawn, pending_consent)
     VALUES (@studyId, @organisationId, @hospitalId, @name, @city, @lat, @lon, @unnamedCount, @start, @end, @expectedStart,
       @expectedEnd, @declaredStatus, @declaredText, @declaredOn, @declaredBy, @paused, @pauseReason, @contactName,
       @contactEmail, @contactPhone, @moreContacts, @referral, @withdrawn, @pendingConsent)`,
  );
  const updateSite = sql(db, `UPDATE study_sites SET ${SITE_COLUMNS} WHERE id = @id`);
  for (const s of study.sites) {
    const params = {
      studyId,
      organisationId: s.organisationId,
      hospitalId: s.hospitalId,
      name: s.name,
      city: s.city,
      lat: s.lat,
      lon: s.lon,
      unnamedCount: s.unnamedCount,
      start: s.inclusionStart,
      end: s.inclusionEnd,
      expectedStart: s.expectedStart,
      expectedEnd: s.expectedEnd,
      declaredStatus: s.declared?.status ?? null,
      declaredText: s.declared?.text ?? null,
      declaredOn: s.declared?.on ?? null,
      declaredBy: s.declared?.by ?? null,
      paused: s.paused ? 1 : 0,
      pauseReason: s.pauseReason,
      contactName: s.contact?.name ?? null,
      contactEmail: s.contact?.email ?? null,
      contactPhone: s.contact?.phone ?? null,
      moreContacts: JSON.stringify(s.moreContacts),
      referral: s.referral,
      withdrawn: s.withdrawn ? 1 : 0,
      pendingConsent: s.pendingConsent ? 1 : 0,
    };
    const id = existing.get(siteIdentity(s));
    if (id == null) insertSite.run(params);
    else updateSite.run({ ...params, id });
  }
}

function touchProvenance(db: Db, studyId: number, p: Provenance, now: string, actor: Actor): void {
  ensureSource(db, p.sourceId, actor);
  sql(
    db,
    `INSERT INTO study_provenance (study_id, source_id, external_id, first_received_at, last_received_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source_id, external_id) DO UPDATE SET last_received_at = excluded.last_received_at`,
  ).run(studyId, p.sourceId, p.externalId, now, now);
}

function ensureSource(db: Db, sourceId: string, actor: Actor): void {
  sql(db, `INSERT INTO sources (id, kind, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`).run(
    sourceId,
    actor.kind === "seed" ? "seed" : actor.kind === "source" ? "feed" : "manual",
    actor.name,
    new Date().toISOString(),
  );
}

/* ------------------------------------------------------------------ reads */

function studyExists(db: Db, id: number): boolean {
  return sql(db, "SELECT 1 FROM studies WHERE id = ?").pluck().get(id) === 1;
}

function currentVersion(db: Db, id: number): number {
  return sql(db, "SELECT current_version FROM studies WHERE id = ?").pluck().get(id) as number;
}

export function findStudyIdByProvenance(db: Db, p: Provenance): number | null {
  const id = sql(db, "SELECT study_id FROM study_provenance WHERE source_id = ? AND external_id = ?")
    .pluck()
    .get(p.sourceId, p.externalId) as number | undefined;
  return id ?? null;
}

/** The latest version's snapshot: the study exactly as last saved. */
export function latestSnapshot(db: Db, studyId: number): Study | null {
  const json = sql(db, "SELECT snapshot FROM study_versions WHERE study_id = ? ORDER BY version DESC LIMIT 1")
    .pluck()
    .get(studyId) as string | undefined;
  return json ? (JSON.parse(json) as Study) : null;
}

export interface SiteRecord {
  id: number;
  /** null: a location the source names that matches no registered organisation (see name). */
  organisationId: string | null;
  organisationName: string | null;
  regionId: string | null;
  regionName: string | null;
  /** The location as the source names it; set for every unregistered site. */
  name: string | null;
  city: string | null;
  /** "N sites in Norway, not named in the source". */
  unnamedCount: number | null;
  expectedStart: string | null;
  expectedEnd: string | null;
  declared: DeclaredStatus | null;
  moreContacts: { name: string; email: string | null; phone: string | null }[];
  hospitalId: string | null;
  hospitalName: string | null;
  municipality: string | null;
  lat: number | null;
  lon: number | null;
  /**
   * Set when the site names its organisation but no hospital, and lat/lon are the organisation's
   * main hospital's (shown as such). Absent or null otherwise.
   */
  placedAtMainHospital?: string | null;
  inclusionStart: string | null;
  inclusionEnd: string | null;
  paused: boolean;
  pauseReason: string | null;
  contact: { name: string; email: string | null; phone: string | null } | null;
  referral: string | null;
  withdrawn: boolean;
  /** Proposed by another organisation and not yet accepted by this site's own (stored withdrawn meanwhile). */
  pendingConsent?: boolean;
  /** The calendar date (Oslo) the site was last confirmed; the status rule counts from it (ADR 0019). */
  confirmedOn?: string | null;
  /** Who or what confirmed it last; byKind "backfill": no confirmation, the site's last change before they were recorded. */
  confirmation?: SiteConfirmation | null;
}

export type ConfirmationKind = "user" | "feed" | "seed" | "system" | "backfill";
export interface SiteConfirmation {
  at: string;
  on: string;
  byKind: ConfirmationKind;
  byId: string | null;
  byName: string;
}

export interface StudyRecord extends Omit<Study, "sites"> {
  id: number;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  leadOrganisation: { id: string; name: string; shortName: string; regionId: string; regionName: string };
  categoryNames: Record<string, string>;
  icd10Names: Record<string, string>;
  sites: SiteRecord[];
}

interface StudyRow {
  id: number;
  lead_as_written: string | null;
  lead_match_organisation_id: string | null;
  official_title: string | null;
  first_posted_on: string | null;
  first_posted_basis: string | null;
  first_posted_type: FirstPosted["type"];
  healthy_volunteers_stated: number;
  age_groups: string;
  nct_id: string | null;
  eu_ct_number: string | null;
  eudract_number: string | null;
  isrctn: string | null;
  rek_number: string | null;
  study_type: Study["studyType"];
  phase: Study["phase"];
  min_age_years: number | null;
  max_age_years: number | null;
  sex: Study["eligibility"]["sex"];
  healthy_volunteers: number;
  sponsor: string | null;
  lead_organisation_id: string;
  lead_name: string;
  lead_short_name: string;
  lead_region_id: string;
  lead_region_name: string;
  pi_name: string | null;
  pi_title: string | null;
  pi_organisation_id: string | null;
  target_enrolment: number | null;
  publication_state: PublicationState;
  is_demo: number;
  current_version: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

const STUDY_SELECT = `SELECT s.*, o.name AS lead_name, o.short_name AS lead_short_name, o.region_id AS lead_region_id,
    r.name AS lead_region_name
  FROM studies s JOIN organisations o ON o.id = s.lead_organisation_id JOIN regions r ON r.id = o.region_id`;

interface SiteRow {
  id: number;
  study_id: number;
  organisation_id: string | null;
  organisation_name: string | null;
  region_id: string | null;
  region_name: string | null;
  site_name: string | null;
  site_city: string | null;
  site_lat: number | null;
  site_lon: number | null;
  unnamed_count: number | null;
  expected_start: string | null;
  expected_end: string | null;
  declared_status: DeclaredStatusValue | null;
  declared_text: string | null;
  declared_on: string | null;
  declared_by: string | null;
  more_contacts: string;
  hospital_id: string | null;
  hospital_name: string | null;
  municipality: string | null;
  lat: number | null;
  lon: number | null;
  main_hospital_name: string | null;
  main_municipality: string | null;
  main_lat: number | null;
  main_lon: number | null;
  inclusion_start: string | null;
  inclusion_end: string | null;
  paused: number;
  pause_reason: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  referral: string | null;
  withdrawn: number;
  pending_consent: number;
  confirmed_at: string | null;
  confirmed_on: string | null;
  confirmed_by_kind: ConfirmationKind | null;
  confirmed_by_id: string | null;
  confirmed_by_name: string | null;
}

/**
 * Where a site is: its hospital; else the place the source gave; else, for a site that names its
 * organisation but no hospital, the organisation's main hospital (marked, so pages say so); else
 * unknown ("sted ikke oppgitt").
 */
function siteLocation(r: SiteRow): Pick<SiteRecord, "municipality" | "lat" | "lon" | "placedAtMainHospital"> {
  if (r.lat != null && r.lon != null)
    return { municipality: r.municipality ?? r.site_city, lat: r.lat, lon: r.lon, placedAtMainHospital: null };
  if (r.site_lat != null && r.site_lon != null)
    return {
      municipality: r.municipality ?? r.site_city,
      lat: r.site_lat,
      lon: r.site_lon,
      placedAtMainHospital: null,
    };
  if (r.main_lat != null && r.main_lon != null && r.main_hospital_name) {
    return {
      municipality: r.municipality ?? r.site_city ?? r.main_municipality,
      lat: r.main_lat,
      lon: r.main_lon,
      placedAtMainHospital: r.main_hospital_name,
    };
  }
  return { municipality: r.municipality ?? r.site_city, lat: null, lon: null, placedAtMainHospital: null };
}

function loadSites(db: Db, studyIds: number[]): Map<number, SiteRecord[]> {
  const rows = sql(
    db,
    `SELECT ss.*, o.name AS organisation_name, o.region_id, r.name AS region_name, h.name AS hospital_name,
              h.municipality, h.lat, h.lon,
              mh.name AS main_hospital_name, mh.municipality AS main_municipality, mh.lat AS main_lat, mh.lon AS main_lon
       FROM study_sites ss
       LEFT JOIN organisations o ON o.id = ss.organisation_id
       LEFT JOIN regions r ON r.id = o.region_id
       LEFT JOIN hospitals h ON h.id = ss.hospital_id
       LEFT JOIN hospitals mh ON ss.hospital_id IS NULL AND mh.id = o.main_hospital_id
       WHERE ss.study_id IN (SELECT value FROM json_each(?))
       ORDER BY ss.study_id, ss.organisation_id IS NULL, ss.organisation_id, coalesce(ss.hospital_id, ''), ss.site_name`,
  ).all(JSON.stringify(studyIds)) as SiteRow[];
  const byStudy = new Map<number, SiteRecord[]>();
  for (const r of rows) {
    const list = byStudy.get(r.study_id) ?? [];
    list.push({
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      regionId: r.region_id,
      regionName: r.region_name,
      name: r.site_name,
      city: r.site_city,
      unnamedCount: r.unnamed_count,
      hospitalId: r.hospital_id,
      hospitalName: r.hospital_name,
      ...siteLocation(r),
      expectedStart: r.expected_start,
      expectedEnd: r.expected_end,
      declared:
        r.declared_status != null
          ? { status: r.declared_status, text: r.declared_text!, on: r.declared_on!, by: r.declared_by! }
          : null,
      moreContacts: JSON.parse(r.more_contacts) as SiteRecord["moreContacts"],
      inclusionStart: r.inclusion_start,
      inclusionEnd: r.inclusion_end,
      paused: r.paused === 1,
      pauseReason: r.pause_reason,
      contact: r.contact_name ? { name: r.contact_name, email: r.contact_email, phone: r.contact_phone } : null,
      referral: r.referral,
      withdrawn: r.withdrawn === 1,
      // Only when set, as the domain writes it (a site record read back saves unchanged).
      ...(r.pending_consent === 1 ? { pendingConsent: true as const } : {}),
      confirmedOn: r.confirmed_on,
      confirmation:
        r.confirmed_at != null && r.confirmed_on != null
          ? {
              at: r.confirmed_at,
              on: r.confirmed_on,
              byKind: r.confirmed_by_kind ?? "system",
              byId: r.confirmed_by_id,
              byName: r.confirmed_by_name ?? "",
            }
          : null,
    });
    byStudy.set(r.study_id, list);
  }
  return byStudy;
}

type Texts = Record<TextField, Partial<Record<Language, string>>>;

function loadTexts(db: Db, studyIds: number[], fields: readonly TextField[] = TEXT_FIELDS): Map<number, Texts> {
  const rows = sql(
    db,
    `SELECT study_id, field, lang, text FROM study_texts
       WHERE study_id IN (SELECT value FROM json_each(?)) AND field IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(studyIds), JSON.stringify(fields)) as {
    study_id: number;
    field: TextField;
    lang: Language;
    text: string;
  }[];
  const byStudy = new Map<number, Texts>();
  for (const id of studyIds) {
    byStudy.set(id, Object.fromEntries(TEXT_FIELDS.map((f) => [f, {}])) as Texts);
  }
  for (const r of rows) byStudy.get(r.study_id)![r.field][r.lang] = r.text;
  return byStudy;
}

function loadColumn(db: Db, query: string, studyIds: number[]): Map<number, string[]> {
  const rows = sql(db, query).all(JSON.stringify(studyIds)) as { study_id: number; value: string }[];
  const byStudy = new Map<number, string[]>();
  for (const r of rows) byStudy.set(r.study_id, [...(byStudy.get(r.study_id) ?? []), r.value]);
  return byStudy;
}

const IN_IDS = "WHERE study_id IN (SELECT value FROM json_each(?))";

export function getStudy(db: Db, id: number): StudyRecord | null {
  return getStudies(db, [id])[0] ?? null;
}

/**
 * Full records for many studies in a fixed number of queries (one per child table, not per
 * study), in the order of `ids`; ids that do not exist are left out. Used by search result pages,
 * which get ids from the search engine and must read the studies themselves from the database.
 */
export function getStudies(db: Db, ids: readonly number[]): StudyRecord[] {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const json = JSON.stringify(wanted);
  const rows = sql(db, `${STUDY_SELECT} WHERE s.id IN (SELECT value FROM json_each(?))`).all(json) as StudyRow[];
  if (rows.length === 0) return [];
  const found = rows.map((r) => r.id);
  const texts = loadTexts(db, found);
  const categories = loadColumn(
    db,
    `SELECT study_id, category_id AS value FROM study_categories ${IN_IDS} ORDER BY study_id, category_id`,
    found,
  );
  const icd10 = loadColumn(
    db,
    `SELECT study_id, code AS value FROM study_icd10 ${IN_IDS} ORDER BY study_id, code`,
    found,
  );
  const snomed = loadColumn(
    db,
    `SELECT study_id, concept_id AS value FROM study_snomed ${IN_IDS} ORDER BY study_id, concept_id`,
    found,
  );
  const conditions = loadColumn(
    db,
    `SELECT study_id, text AS value FROM study_conditions ${IN_IDS} ORDER BY study_id, position`,
    found,
  );
  const foundJson = JSON.stringify(found);
  const grouped = <T>(query: string): Map<number, T[]> => {
    const out = new Map<number, T[]>();
    for (const { study_id, ...rest } of sql(db, query).all(foundJson) as ({ study_id: number } & T)[]) {
      const list = out.get(study_id) ?? [];
      list.push(rest as unknown as T);
      out.set(study_id, list);
    }
    return out;
  };
  const localIds = grouped<Study["localIds"][number]>(
    `SELECT study_id, organisation_id AS organisationId, local_id AS localId FROM study_local_ids ${IN_IDS} ORDER BY study_id, organisation_id, local_id`,
  );
  const interventions = grouped<Study["interventions"][number]>(
    `SELECT study_id, type, name, description FROM study_interventions ${IN_IDS} ORDER BY study_id, position`,
  );
  const contacts = grouped<Study["contacts"][number]>(
    `SELECT study_id, name, email, phone, role FROM study_contacts ${IN_IDS} ORDER BY study_id, position`,
  );
  const links = grouped<Study["links"][number]>(
    `SELECT study_id, url, label FROM study_links ${IN_IDS} ORDER BY study_id, position`,
  );
  const keywords = loadColumn(
    db,
    `SELECT study_id, text AS value FROM study_keywords ${IN_IDS} ORDER BY study_id, position`,
    found,
  );
  const otherIdentifiers = grouped<Study["otherIdentifiers"][number]>(
    `SELECT study_id, scheme, value, url FROM study_other_identifiers ${IN_IDS} ORDER BY study_id, position`,
  );
  const allCategories = [...new Set([...categories.values()].flat())];
  const allCodes = [...new Set([...icd10.values()].flat())];
  const categoryName = new Map(
    (
      sql(db, `SELECT id, name_nb FROM hrcs_categories WHERE id IN (SELECT value FROM json_each(?))`).all(
        JSON.stringify(allCategories),
      ) as {
        id: string;
        name_nb: string;
      }[]
    ).map((c) => [c.id, c.name_nb]),
  );
  const icdName = new Map(
    (
      sql(db, `SELECT code, name_nb FROM icd10_codes WHERE code IN (SELECT value FROM json_each(?))`).all(
        JSON.stringify(allCodes),
      ) as {
        code: string;
        name_nb: string;
      }[]
    ).map((c) => [c.code, c.name_nb]),
  );
  const sites = loadSites(db, found);
  const byId = new Map<number, StudyRecord>();
  for (const row of rows) {
    const id = row.id;
    const t = texts.get(id)!;
    const studyCategories = categories.get(id) ?? [];
    const studyIcd10 = icd10.get(id) ?? [];
    byId.set(id, {
      id,
      identifiers: {
        nct: row.nct_id,
        euCt: row.eu_ct_number,
        eudract: row.eudract_number,
        isrctn: row.isrctn,
        rek: row.rek_number,
      },
      localIds: localIds.get(id) ?? [],
      title: t.title as Study["title"],
      shortTitle: t.shortTitle,
      summary: t.summary as Study["summary"],
      scientificSummary: t.scientificSummary,
      participation: t.participation,
      studyType: row.study_type,
      phase: row.phase,
      categories: studyCategories,
      conditions: conditions.get(id) ?? [],
      icd10: studyIcd10,
      snomed: snomed.get(id) ?? [],
      interventions: interventions.get(id) ?? [],
      eligibility: {
        minAgeYears: row.min_age_years,
        maxAgeYears: row.max_age_years,
        sex: row.sex,
        healthyVolunteers: row.healthy_volunteers_stated === 0 ? null : row.healthy_volunteers === 1,
        ageGroups: JSON.parse(row.age_groups) as string[],
        inclusionCriteria: t.inclusionCriteria,
        exclusionCriteria: t.exclusionCriteria,
      },
      sponsor: row.sponsor,
      leadOrganisationId: row.lead_organisation_id,
      lead: row.lead_as_written ? { name: row.lead_as_written, organisationId: row.lead_match_organisation_id } : null,
      officialTitle: row.official_title,
      firstPosted:
        row.first_posted_on && row.first_posted_basis
          ? { date: row.first_posted_on, basis: row.first_posted_basis, type: row.first_posted_type }
          : null,
      keywords: keywords.get(id) ?? [],
      otherIdentifiers: otherIdentifiers.get(id) ?? [],
      principalInvestigator: row.pi_name
        ? { name: row.pi_name, title: row.pi_title, organisationId: row.pi_organisation_id }
        : null,
      contacts: contacts.get(id) ?? [],
      links: links.get(id) ?? [],
      targetEnrolment: row.target_enrolment,
      publicationState: row.publication_state,
      isDemo: row.is_demo === 1,
      currentVersion: row.current_version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      publishedAt: row.published_at,
      leadOrganisation: {
        id: row.lead_organisation_id,
        name: row.lead_name,
        shortName: row.lead_short_name,
        regionId: row.lead_region_id,
        regionName: row.lead_region_name,
      },
      categoryNames: Object.fromEntries(
        studyCategories.filter((c) => categoryName.has(c)).map((c) => [c, categoryName.get(c)!]),
      ),
      icd10Names: Object.fromEntries(studyIcd10.filter((c) => icdName.has(c)).map((c) => [c, icdName.get(c)!])),
      sites: sites.get(id) ?? [],
    });
  }
  return wanted.flatMap((id) => byId.get(id) ?? []);
}

/**
 * When a withdrawn study was withdrawn: the first version of the unbroken run of withdrawn
 * versions at the end of its history (a study can be withdrawn, republished and withdrawn again).
 */
export function withdrawnAt(db: Db, studyId: number): string | null {
  const rows = sql(
    db,
    `SELECT created_at AS createdAt, json_extract(snapshot, '$.publicationState') AS state
     FROM study_versions WHERE study_id = ? ORDER BY version DESC`,
  ).all(studyId) as { createdAt: string; state: string }[];
  let since: string | null = null;
  for (const r of rows) {
    if (r.state !== "withdrawn") break;
    since = r.createdAt;
  }
  return since;
}

/** The stored study in the canonical input shape (what the latest version's snapshot must equal). */
export function toStudyInput(record: StudyRecord): Study {
  const {
    id,
    currentVersion,
    createdAt,
    updatedAt,
    publishedAt,
    leadOrganisation,
    categoryNames,
    icd10Names,
    sites,
    ...rest
  } = record;
  return canonicalStudy({
    ...rest,
    sites: sites.map((s) => ({
      organisationId: s.organisationId,
      hospitalId: s.hospitalId,
      name: s.name,
      city: s.city,
      // A hospital's (or the main hospital's stand-in) coordinates are not the site's own.
      lat: s.hospitalId || s.placedAtMainHospital ? null : s.lat,
      lon: s.hospitalId || s.placedAtMainHospital ? null : s.lon,
      unnamedCount: s.unnamedCount,
      expectedStart: s.expectedStart,
      expectedEnd: s.expectedEnd,
      declared: s.declared,
      moreContacts: s.moreContacts,
      inclusionStart: s.inclusionStart,
      inclusionEnd: s.inclusionEnd,
      paused: s.paused,
      pauseReason: s.pauseReason,
      contact: s.contact,
      referral: s.referral,
      withdrawn: s.withdrawn,
      ...(s.pendingConsent ? { pendingConsent: true as const } : {}),
    })),
  });
}

export interface StudySummary {
  id: number;
  title: string;
  shortTitle: string | null;
  summary: string;
  studyType: Study["studyType"];
  phase: Study["phase"];
  publicationState: PublicationState;
  isDemo: boolean;
  leadOrganisation: { id: string; name: string; shortName: string; regionId: string; regionName: string };
  categories: string[];
  icd10: string[];
  minAgeYears: number | null;
  maxAgeYears: number | null;
  sex: Study["eligibility"]["sex"];
  updatedAt: string;
  sites: SiteRecord[];
}

export interface ListStudiesOptions {
  states?: PublicationState[];
  limit?: number;
  offset?: number;
}

/** Studies for lists, newest change first, with everything a list needs to derive status. */
export function listStudies(db: Db, options: ListStudiesOptions = {}): StudySummary[] {
  const states = options.states ?? ["published"];
  const rows = sql(
    db,
    `${STUDY_SELECT} WHERE s.publication_state IN (SELECT value FROM json_each(?))
       ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?`,
  ).all(JSON.stringify(states), options.limit ?? 1000, options.offset ?? 0) as StudyRow[];
  const ids = rows.map((r) => r.id);
  const texts = loadTexts(db, ids, ["title", "shortTitle", "summary"]);
  const sites = loadSites(db, ids);
  const categories = loadColumn(
    db,
    `SELECT study_id, category_id AS value FROM study_categories ${IN_IDS} ORDER BY category_id`,
    ids,
  );
  const icd10 = loadColumn(db, `SELECT study_id, code AS value FROM study_icd10 ${IN_IDS} ORDER BY code`, ids);
  return rows.map((row) => {
    const t = texts.get(row.id)!;
    return {
      id: row.id,
      title: t.title.nb ?? "",
      shortTitle: t.shortTitle.nb ?? null,
      summary: t.summary.nb ?? "",
      studyType: row.study_type,
      phase: row.phase,
      publicationState: row.publication_state,
      isDemo: row.is_demo === 1,
      leadOrganisation: {
        id: row.lead_organisation_id,
        name: row.lead_name,
        shortName: row.lead_short_name,
        regionId: row.lead_region_id,
        regionName: row.lead_region_name,
      },
      categories: categories.get(row.id) ?? [],
      icd10: icd10.get(row.id) ?? [],
      minAgeYears: row.min_age_years,
      maxAgeYears: row.max_age_years,
      sex: row.sex,
      updatedAt: row.updated_at,
      sites: sites.get(row.id) ?? [],
    };
  });
}

export interface StudyVersion {
  version: number;
  createdAt: string;
  actorKind: Actor["kind"];
  actorName: string;
  sourceId: string | null;
  summary: string;
  changes: ChangeEntry[];
}

export function listStudyVersions(db: Db, studyId: number): StudyVersion[] {
  const rows = sql(
    db,
    `SELECT version, created_at, actor_kind, actor_name, source_id, summary, diff FROM study_versions
       WHERE study_id = ? ORDER BY version DESC`,
  ).all(studyId) as {
    version: number;
    created_at: string;
    actor_kind: Actor["kind"];
    actor_name: string;
    source_id: string | null;
    summary: string;
    diff: string;
  }[];
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    actorKind: r.actor_kind,
    actorName: r.actor_name,
    sourceId: r.source_id,
    summary: r.summary,
    changes: JSON.parse(r.diff) as ChangeEntry[],
  }));
}

export function countStudiesByState(db: Db): Record<PublicationState, number> {
  const rows = sql(
    db,
    "SELECT publication_state AS state, count(*) AS n FROM studies GROUP BY publication_state",
  ).all() as {
    state: PublicationState;
    n: number;
  }[];
  const counts: Record<PublicationState, number> = { draft: 0, submitted: 0, published: 0, withdrawn: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
