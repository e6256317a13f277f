/**
 * What signed-in researchers and editors do to studies, with authorisation checked here (not
 * only in the pages): every function takes the acting Principal and throws ForbiddenError
 * (app/auth/policy.ts) before it reads anything it may not see or writes anything it may not
 * change. Every change goes through saveStudy, so it becomes a version with the user as actor and
 * reaches the search outbox in the same transaction.
 */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";
import {
  authorize,
  canAnswerForSite,
  canCreateStudy,
  canEditSiteDates,
  canEditSiteLocal,
  canEditStudy,
  canReviewStudy,
  canViewStudy,
  isAdmin,
  memberOrgs,
  orgsWithRole,
  type Action,
  type Principal,
} from "#app/auth/policy";
import { parseStudy, type FieldProblem, type SiteInput, type Study, type StudyInput } from "#app/domain/study";
import { canonicalStudy, diffStudies, siteKey, type ChangeEntry } from "#app/domain/study-snapshot";
import {
  confirmSiteAsIs,
  getStudies,
  getStudy,
  latestSnapshot,
  saveStudy,
  type SiteConfirmation,
  type StudyRecord,
} from "./study.server";
import { insertStudyReview } from "./user.server";
import { missingForPublishing } from "#app/domain/study-readiness";
import { getStudyHold, listOpenHolds, releaseStudyHold, type StudyHold } from "./ingest.server";
import {
  insertRevision,
  liveVersion,
  openRevision,
  setRevisionState,
  studiesWithSitesPendingFor,
  studiesWithSubmittedRevision,
  type StudyRevision,
} from "./study-revisions.server";

export class NotFoundError extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** revision: the pending revision a change to a published study's shared fields was saved as (ADR 0014). */
export type WorkResult =
  { ok: true; version: number; changed: boolean; revision?: number } | { ok: false; problems: FieldProblem[] };

/**
 * A study's shared fields: everything but its sites, its publication state and the demo mark.
 * These are written once by the lead organisation's researchers and approved by its editors;
 * each site's own fields (dates, contact, referral, pause, and whether it takes part at all)
 * belong to the site's organisation and change directly (ADR 0014).
 */
export function sharedFields(study: Study): Omit<Study, "sites" | "publicationState" | "isDemo"> {
  const parsed = parseStudy(study);
  const {
    sites: _sites,
    publicationState: _state,
    isDemo: _demo,
    ...shared
  } = canonicalStudy(parsed.ok ? parsed.study : study);
  return shared;
}
const sameShared = (a: Study, b: Study) => JSON.stringify(sharedFields(a)) === JSON.stringify(sharedFields(b));

/** The edit refused because what the editor reviewed is no longer what would be published. */
const stale = (message: string): WorkResult => ({ ok: false, problems: [{ field: "reviewedVersion", message }] });

const actorOf = (p: Principal) => ({ kind: "user" as const, id: String(p.id), name: p.name });

function snapshotOrThrow(db: Db, studyId: number): Study {
  const snapshot = latestSnapshot(db, studyId);
  if (!snapshot) throw new NotFoundError(`Studien ${studyId} finnes ikke.`);
  return snapshot;
}

function save(db: Db, p: Principal, studyId: number, study: Study, now: Date): WorkResult {
  const result = saveStudy(db, study, { studyId, actor: actorOf(p), now });
  return result.ok ? { ok: true, version: result.version, changed: result.changed } : result;
}

/** Studies the user works on: led by, or with a site of, one of their organisations (all, for an admin). */
export function listMyStudies(db: Db, p: Principal): StudyRecord[] {
  const ids = isAdmin(p)
    ? (sql(db, "SELECT id FROM studies ORDER BY updated_at DESC, id DESC").pluck().all() as number[])
    : (sql(
        db,
        `SELECT id FROM studies WHERE lead_organisation_id IN (SELECT value FROM json_each(?))
           OR id IN (SELECT study_id FROM study_sites WHERE (withdrawn = 0 OR pending_consent = 1) AND organisation_id IN (SELECT value FROM json_each(?)))
         ORDER BY updated_at DESC, id DESC`,
      )
        .pluck()
        .all(JSON.stringify(memberOrgs(p)), JSON.stringify(memberOrgs(p))) as number[]);
  return getStudies(db, ids);
}

export function getStudyFor(db: Db, p: Principal, studyId: number): StudyRecord {
  const study = getStudy(db, studyId);
  if (!study) throw new NotFoundError(`Studien ${studyId} finnes ikke.`);
  authorize(canViewStudy(p, study), "view-study");
  return study;
}

/** The study as the registration form edits it; only for those who may edit its shared fields. */
export function getStudyForEdit(db: Db, p: Principal, studyId: number): Study {
  const study = snapshotOrThrow(db, studyId);
  authorize(canEditStudy(p, study), "edit-study");
  return withOpenRevision(db, study, studyId);
}

/** A published study as its researchers work on it: the open revision's shared fields, the live sites. */
function withOpenRevision(db: Db, live: Study, studyId: number): Study {
  const open = live.publicationState === "published" ? openRevision(db, studyId) : null;
  return open
    ? { ...open.snapshot, sites: live.sites, publicationState: live.publicationState, isDemo: live.isDemo }
    : live;
}

/** The open (draft or submitted) revision of a study the user may see, if any. */
export function openRevisionFor(db: Db, p: Principal, studyId: number): StudyRevision | null {
  const study = snapshotOrThrow(db, studyId);
  authorize(canViewStudy(p, study), "view-study");
  return study.publicationState === "published" ? openRevision(db, studyId) : null;
}

function findSite(study: Study, key: string) {
  const site = study.sites.find((s) => siteKey(s) === key && !s.withdrawn);
  if (!site) throw new NotFoundError(`Studien har ikke studiestedet ${key}.`);
  return site;
}

/** The most common change: one site's inclusion window. */
export function updateSiteDates(
  db: Db,
  p: Principal,
  studyId: number,
  key: string,
  dates: { inclusionStart: string | null; inclusionEnd: string | null },
  now = new Date(),
): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findSite(study, key);
  authorize(canEditSiteDates(p, site), "edit-site-dates");
  const sites = study.sites.map((s) =>
    s === site ? { ...s, inclusionStart: dates.inclusionStart, inclusionEnd: dates.inclusionEnd } : s,
  );
  return prefixSiteProblems(save(db, p, studyId, { ...study, sites }, now), study, key);
}

/**
 * One click: the site's inclusion dates (or declared status) are still right. Authorised like
 * changing those dates. No new version (nothing changed), a history entry, a new confirmation
 * date on every surface (ADR 0019).
 */
export function confirmSite(db: Db, p: Principal, studyId: number, key: string, now = new Date()): SiteConfirmation {
  const study = snapshotOrThrow(db, studyId);
  const site = findSite(study, key);
  authorize(canEditSiteDates(p, site), "edit-site-dates");
  const confirmation = confirmSiteAsIs(db, studyId, key, actorOf(p), now);
  if (!confirmation) throw new NotFoundError(`Studien har ikke studiestedet ${key}.`);
  return confirmation;
}

/** Local information an editor completes on their own site: contact, referral note, pause. */
export function updateSiteLocal(
  db: Db,
  p: Principal,
  studyId: number,
  key: string,
  local: {
    contact: { name: string; email: string | null; phone: string | null } | null;
    referral: string | null;
    paused: boolean;
    pauseReason: string | null;
  },
  now = new Date(),
): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findSite(study, key);
  authorize(canEditSiteLocal(p, site), "edit-site-local");
  const sites = study.sites.map((s) => (s === site ? { ...s, ...local } : s));
  return prefixSiteProblems(save(db, p, studyId, { ...study, sites }, now), study, key);
}

/** Site problems come back as "sites.2.inclusionEnd": name them by the field alone for the site form. */
function prefixSiteProblems(result: WorkResult, study: Study, key: string): WorkResult {
  if (result.ok) return result;
  const index = [...study.sites].findIndex((s) => siteKey(s) === key);
  const prefix = `sites.${index}.`;
  return {
    ok: false,
    problems: result.problems.map((pr) =>
      pr.field.startsWith(prefix) ? { ...pr, field: pr.field.slice(prefix.length) } : pr,
    ),
  };
}

export function versionSnapshot(db: Db, studyId: number, version: number): Study | null {
  const json = sql(db, "SELECT snapshot FROM study_versions WHERE study_id = ? AND version = ?")
    .pluck()
    .get(studyId, version) as string | undefined;
  return json ? (JSON.parse(json) as Study) : null;
}

/**
 * Restores an earlier version, authorised and saved exactly like an edit through the form
 * (saveContent): the same lead-organisation rule, the same rules for other organisations' sites,
 * and, for a published study, a pending revision until an editor approves it. What is restored:
 * the shared fields and the sites of the user's own organisations; other organisations' sites
 * and the publication state stay as they are now (a restore never undoes another hospital's
 * dates, nor publishes or unpublishes anything).
 */
export function restoreVersion(db: Db, p: Principal, studyId: number, version: number, now = new Date()): WorkResult {
  const current = snapshotOrThrow(db, studyId);
  authorize(canEditStudy(p, current), "restore-version");
  const earlier = versionSnapshot(db, studyId, version);
  if (!earlier) throw new NotFoundError(`Studien ${studyId} har ingen versjon ${version}.`);
  const mine = (s: { organisationId: string | null }) =>
    isAdmin(p) || (s.organisationId != null && memberOrgs(p).includes(s.organisationId));
  // The sites as the edit form would send them: the others' as they are, the user's own as then.
  const sites = [
    ...current.sites.filter((s) => !s.withdrawn && !mine(s)),
    ...earlier.sites.filter((s) => !s.withdrawn && mine(s)),
  ];
  const { publicationState: _state, isDemo: _demo, ...content } = earlier;
  return saveContent(db, p, studyId, { ...content, sites } as StudyInput, { now, action: "restore-version" });
}

export type CreateResult = { ok: true; studyId: number; version: number } | { ok: false; problems: FieldProblem[] };

/**
 * A researcher registers a study led by one of their organisations, as a draft or straight to
 * approval ("submitted") in one version. Sites of other organisations may be proposed with their
 * dates; from then on those organisations own them (updateSiteDates, updateSiteLocal).
 */
export function createStudy(
  db: Db,
  p: Principal,
  input: StudyInput,
  options: { submit?: boolean; now?: Date } = {},
): CreateResult {
  authorize(canCreateStudy(p, input.leadOrganisationId), "create-study");
  const sites = (input.sites ?? []).map((s) => ({
    ...s,
    paused: false,
    pauseReason: null,
    ...formLocal(p, s),
    ...consentFor(p, s.organisationId ?? null),
  }));
  const study = { ...input, sites, publicationState: options.submit ? "submitted" : "draft", isDemo: false };
  if (options.submit) {
    const parsed = parseStudy(study);
    if (!parsed.ok) return parsed;
    const missing = notReady(parsed.study, "sendes til godkjenning");
    if (missing && !missing.ok) return missing;
  }
  const result = saveStudy(db, study, { actor: actorOf(p), now: options.now ?? new Date() });
  return result.ok ? { ok: true, studyId: result.studyId, version: result.version } : result;
}

/**
 * The shared fields from the registration form, as one new version (and, with `submit`, sent for
 * approval in the same version). Who may change what stays as everywhere else: the study's
 * researchers edit the shared fields and may not hand the study to an organisation they are not
 * part of; another organisation's existing site keeps its dates unless the user belongs to it,
 * and cannot be removed by them; a site's contact and referral are taken from the form only for
 * the user's own organisation's sites (ADR 0026), its pause only from its editors. The publication state is kept.
 */
export function saveStudyContent(
  db: Db,
  p: Principal,
  studyId: number,
  input: StudyInput,
  options: { submit?: boolean; now?: Date } = {},
): WorkResult {
  return saveContent(db, p, studyId, input, { ...options, action: "edit-study" });
}

function saveContent(
  db: Db,
  p: Principal,
  studyId: number,
  input: StudyInput,
  options: { submit?: boolean; now?: Date; action: Action },
): WorkResult {
  const now = options.now ?? new Date();
  const current = snapshotOrThrow(db, studyId);
  authorize(canEditStudy(p, current), options.action);
  authorize(canCreateStudy(p, input.leadOrganisationId), options.action);
  if (current.publicationState === "published")
    return savePublishedContent(db, p, studyId, current, input, { submit: options.submit ?? false, now });
  if (options.submit && current.publicationState !== "draft") {
    return {
      ok: false,
      problems: [{ field: "publicationState", message: "bare et utkast kan sendes til godkjenning" }],
    };
  }
  const sites = mergeFormSites(p, current, input.sites ?? []);
  const publicationState = options.submit ? "submitted" : current.publicationState;
  const result = saveStudy(
    db,
    { ...input, sites, publicationState, isDemo: current.isDemo },
    { studyId, actor: actorOf(p), now },
  );
  return result.ok ? { ok: true, version: result.version, changed: result.changed } : result;
}

/**
 * An edit of a published study: the sites' own changes (the user's own sites' dates, a new own
 * site, a proposed site of another organisation) are saved at once as a version, like the site
 * form does; a change to the shared fields becomes a pending revision that the public does not
 * see until an editor of the lead organisation approves it. Saving an open revision again keeps
 * it as submitted as it was (it stays in the editors' queue, now showing the new revision).
 */
function savePublishedContent(
  db: Db,
  p: Principal,
  studyId: number,
  current: Study,
  input: StudyInput,
  options: { submit: boolean; now: Date },
): WorkResult {
  const sites = mergeFormSites(p, current, input.sites ?? []);
  const parsed = parseStudy({ ...input, sites, publicationState: current.publicationState, isDemo: current.isDemo });
  if (!parsed.ok) return parsed;
  const proposed = parsed.study;
  return db
    .transaction((): WorkResult => {
      const live = save(db, p, studyId, { ...current, sites: proposed.sites }, options.now);
      if (!live.ok) return live;
      const open = openRevision(db, studyId);
      if (sameShared(proposed, current)) {
        // Back to what is published: nothing waits any more.
        if (open) setRevisionState(db, studyId, open.revision, "replaced", options.now);
        return { ok: true, version: live.version, changed: live.changed || open != null };
      }
      if (options.submit) {
        const missing = notReady(proposed, "sendes til godkjenning");
        if (missing) return missing;
      }
      const state = options.submit || open?.state === "submitted" ? "submitted" : "draft";
      if (open && open.state === state && sameShared(open.snapshot, proposed))
        return { ok: true, version: live.version, changed: live.changed, revision: open.revision };
      const revision = insertRevision(db, {
        studyId,
        baseVersion: live.version,
        state,
        snapshot: proposed,
        actor: actorOf(p),
        now: options.now,
      });
      return { ok: true, version: live.version, changed: true, revision };
    })
    .immediate();
}

/** A new site of an organisation the user does not belong to waits for that organisation's answer (withdrawn until then). */
/**
 * A site's contact and referral as the form gives them, for a site of the user's own organisation
 * (the same people who set its dates, ADR 0026); a site proposed for another organisation gets
 * none: that organisation writes its own. Pause stays with the editors (updateSiteLocal).
 */
function formLocal<C, R>(
  p: Principal,
  s: { organisationId?: string | null; contact?: C | null; referral?: R | null },
): { contact: C | null; referral: R | null } {
  return canAnswerForSite(p, { organisationId: s.organisationId ?? null })
    ? { contact: s.contact ?? null, referral: s.referral ?? null }
    : { contact: null, referral: null };
}

function consentFor(p: Principal, organisationId: string | null): { withdrawn: boolean; pendingConsent?: true } {
  return organisationId != null && !canAnswerForSite(p, { organisationId })
    ? { withdrawn: true, pendingConsent: true }
    : { withdrawn: false };
}

function mergeFormSites(p: Principal, current: Study, edited: NonNullable<StudyInput["sites"]>): Partial<SiteInput>[] {
  const mine = (organisationId: string | null) =>
    isAdmin(p) || (organisationId != null && memberOrgs(p).includes(organisationId));
  const before = new Map(current.sites.map((s) => [siteKey(s), s]));
  const nameOf = (x: unknown) => (typeof x === "string" ? x : null);
  const merged = edited.map((e): Partial<SiteInput> => {
    const key = siteKey({
      organisationId: e.organisationId ?? null,
      hospitalId: e.hospitalId ?? null,
      name: nameOf(e.name),
      city: nameOf(e.city),
    });
    const old = before.get(key);
    const dates = { inclusionStart: e.inclusionStart ?? null, inclusionEnd: e.inclusionEnd ?? null };
    if (!old)
      return {
        ...(e as Partial<SiteInput>),
        ...dates,
        paused: false,
        pauseReason: null,
        ...formLocal(p, e as Partial<SiteInput>),
        ...consentFor(p, e.organisationId ?? null),
      };
    // A proposed site still waiting for its organisation's answer stays waiting; its proposed dates may change.
    if (old.pendingConsent) return { ...old, ...dates };
    const changed = old.inclusionStart !== dates.inclusionStart || old.inclusionEnd !== dates.inclusionEnd;
    // Bringing back a site its organisation withdrew is that organisation's decision too.
    if (changed || old.withdrawn) authorize(mine(old.organisationId), "edit-site-dates");
    const { pendingConsent: _pending, ...site } = old;
    // Contact and referral from the form for the user's own site; another organisation's stay theirs.
    const local = mine(old.organisationId) ? formLocal(p, e as Partial<SiteInput>) : {};
    return { ...site, ...dates, ...local, withdrawn: false };
  });
  const kept = new Set(
    merged.map((s) =>
      siteKey({
        organisationId: s.organisationId ?? null,
        hospitalId: s.hospitalId ?? null,
        name: s.name ?? null,
        city: s.city ?? null,
      }),
    ),
  );
  for (const old of current.sites) {
    if (!old.withdrawn && !kept.has(siteKey(old))) authorize(mine(old.organisationId), "remove-site");
  }
  return merged;
}

/**
 * What stops a study from being submitted or published (study-readiness: bokmål summary, REK
 * number, a site with a whole inclusion period), checked here and not only by the form: the
 * "send" button on the study page and any other caller reach this function directly.
 */
function notReady(study: Study, what: "sendes til godkjenning" | "godkjennes"): WorkResult | null {
  const missing = missingForPublishing(study);
  if (missing.length === 0) return null;
  return {
    ok: false,
    problems: missing.map((m) => ({
      field: "study",
      message: `Studien kan ikke ${what} før dette er på plass: ${m}.`,
    })),
  };
}

export function submitStudy(db: Db, p: Principal, studyId: number, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  authorize(canEditStudy(p, study), "submit-study");
  if (study.publicationState === "published") {
    const open = openRevision(db, studyId);
    if (!open || open.state !== "draft") {
      return {
        ok: false,
        problems: [{ field: "publicationState", message: "ingen ulagrede endringer å sende til godkjenning" }],
      };
    }
    const missing = notReady(open.snapshot, "sendes til godkjenning");
    if (missing) return missing;
    setRevisionState(db, studyId, open.revision, "submitted", now);
    return { ok: true, version: liveVersion(db, studyId), changed: true, revision: open.revision };
  }
  if (study.publicationState !== "draft") {
    return {
      ok: false,
      problems: [{ field: "publicationState", message: "bare et utkast kan sendes til godkjenning" }],
    };
  }
  const missing = notReady(study, "sendes til godkjenning");
  if (missing) return missing;
  return save(db, p, studyId, { ...study, publicationState: "submitted" }, now);
}

/**
 * What the editor reviewed: the study version (a submitted study) or the pending revision (a
 * change to a published study) the review page showed. The approval publishes exactly that, or
 * is refused when the researcher changed the study since (the study stays in the queue, showing
 * the new version).
 */
export interface Reviewed {
  version: number | null;
  revision: number | null;
}

export function approveStudy(
  db: Db,
  p: Principal,
  studyId: number,
  reviewed: Reviewed,
  comment: string | null,
  now = new Date(),
): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  authorize(canReviewStudy(p, study), "approve-study");
  if (study.publicationState === "published") return approveRevision(db, p, studyId, study, reviewed, comment, now);
  if (study.publicationState !== "submitted") {
    return { ok: false, problems: [{ field: "publicationState", message: "bare en innsendt studie kan godkjennes" }] };
  }
  const current = liveVersion(db, studyId);
  if (reviewed.version == null)
    return stale(
      `Skjemaet sier ikke hvilken versjon du godkjenner. Åpne studien igjen og godkjenn versjon ${current}.`,
    );
  const seen = reviewed.version <= current ? versionSnapshot(db, studyId, reviewed.version) : null;
  if (!seen)
    return stale(`Studien har ingen versjon ${reviewed.version}. Åpne studien igjen og godkjenn versjon ${current}.`);
  if (!sameShared(seen, study)) {
    return stale(
      `Studien er endret etter at du åpnet den: du så versjon ${reviewed.version}, nå er den versjon ${current}. Se gjennom endringene og godkjenn på nytt.`,
    );
  }
  const missing = notReady(study, "godkjennes");
  if (missing) return missing;
  return db
    .transaction((): WorkResult => {
      const result = save(db, p, studyId, { ...study, publicationState: "published" }, now);
      if (result.ok)
        insertStudyReview(
          db,
          { studyId, version: result.version, userId: p.id, decision: "approved", comment: comment?.trim() || null },
          now,
        );
      if (result.ok) releaseStudyHold(db, studyId, p.name, now.toISOString());
      return result;
    })
    .immediate();
}

function approveRevision(
  db: Db,
  p: Principal,
  studyId: number,
  live: Study,
  reviewed: Reviewed,
  comment: string | null,
  now: Date,
): WorkResult {
  const open = openRevision(db, studyId);
  if (!open || open.state !== "submitted") {
    return {
      ok: false,
      problems: [{ field: "publicationState", message: "ingen endringer i studien venter på godkjenning" }],
    };
  }
  if (reviewed.revision !== open.revision) {
    return stale(
      `Studien er endret etter at du åpnet den: du så ${reviewed.revision ? `endring ${reviewed.revision}` : "en annen versjon"}, nå venter endring ${open.revision}. Se gjennom endringene og godkjenn på nytt.`,
    );
  }
  const proposed = {
    ...open.snapshot,
    sites: live.sites,
    publicationState: live.publicationState,
    isDemo: live.isDemo,
  };
  const missing = notReady(proposed, "godkjennes");
  if (missing) return missing;
  return db
    .transaction((): WorkResult => {
      const result = save(db, p, studyId, proposed, now);
      if (!result.ok) return result;
      setRevisionState(db, studyId, open.revision, "approved", now, result.version);
      insertStudyReview(
        db,
        {
          studyId,
          version: result.version,
          revision: open.revision,
          userId: p.id,
          decision: "approved",
          comment: comment?.trim() || null,
        },
        now,
      );
      return { ...result, revision: open.revision };
    })
    .immediate();
}

/**
 * An editor publishes a study the ingest held back (it looked like a test or an example, or
 * linked to a host the public cannot reach) deliberately, having looked at it. The hold is
 * released: later runs keep the study published unless they find a new reason. The source's own
 * content rules still apply (studyInputSchema); the researcher form's readiness list does not,
 * since a hospital listing has no REK number or inclusion dates to give.
 */
export function publishHeldStudy(db: Db, p: Principal, studyId: number, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  authorize(canReviewStudy(p, study), "approve-study");
  const hold = getStudyHold(db, studyId);
  if (!hold || hold.releasedAt) {
    return { ok: false, problems: [{ field: "publicationState", message: "studien er ikke holdt tilbake" }] };
  }
  if (study.publicationState !== "submitted") {
    return {
      ok: false,
      problems: [{ field: "publicationState", message: "bare en studie som venter på publisering kan publiseres" }],
    };
  }
  return db
    .transaction((): WorkResult => {
      const result = save(db, p, studyId, { ...study, publicationState: "published" }, now);
      if (result.ok) {
        insertStudyReview(
          db,
          {
            studyId,
            version: result.version,
            userId: p.id,
            decision: "approved",
            comment: `publisert tross: ${hold.reasons.join("; ")}`.slice(0, 2000),
          },
          now,
        );
        releaseStudyHold(db, studyId, p.name, now.toISOString());
      }
      return result;
    })
    .immediate();
}

export function sendBackStudy(db: Db, p: Principal, studyId: number, comment: string, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  authorize(canReviewStudy(p, study), "send-back-study");
  if (study.publicationState === "published") {
    const open = openRevision(db, studyId);
    if (!open || open.state !== "submitted") {
      return {
        ok: false,
        problems: [{ field: "publicationState", message: "ingen endringer i studien venter på godkjenning" }],
      };
    }
    if (!comment.trim())
      return { ok: false, problems: [{ field: "comment", message: "skriv hva forskeren må rette" }] };
    const version = liveVersion(db, studyId);
    db.transaction(() => {
      setRevisionState(db, studyId, open.revision, "draft", now);
      insertStudyReview(
        db,
        { studyId, version, revision: open.revision, userId: p.id, decision: "sent_back", comment: comment.trim() },
        now,
      );
    }).immediate();
    return { ok: true, version, changed: true, revision: open.revision };
  }
  if (study.publicationState !== "submitted") {
    return {
      ok: false,
      problems: [{ field: "publicationState", message: "bare en innsendt studie kan sendes tilbake" }],
    };
  }
  if (!comment.trim()) return { ok: false, problems: [{ field: "comment", message: "skriv hva forskeren må rette" }] };
  return db
    .transaction((): WorkResult => {
      const result = save(db, p, studyId, { ...study, publicationState: "draft" }, now);
      if (result.ok)
        insertStudyReview(
          db,
          { studyId, version: result.version, userId: p.id, decision: "sent_back", comment: comment.trim() },
          now,
        );
      return result;
    })
    .immediate();
}

/** Submitted studies led by the editor's organisations (all, for an admin), oldest change first. */
export function reviewQueue(db: Db, p: Principal): StudyRecord[] {
  const submitted = isAdmin(p)
    ? (sql(db, "SELECT id FROM studies WHERE publication_state = 'submitted' ORDER BY updated_at, id")
        .pluck()
        .all() as number[])
    : (sql(
        db,
        `SELECT id FROM studies WHERE publication_state = 'submitted' AND lead_organisation_id IN (SELECT value FROM json_each(?))
         ORDER BY updated_at, id`,
      )
        .pluck()
        .all(JSON.stringify(orgsWithRole(p, "editor"))) as number[]);
  // Published studies with a change waiting for approval are in the queue too.
  const revised = studiesWithSubmittedRevision(db, isAdmin(p) ? null : orgsWithRole(p, "editor"));
  return getStudies(db, [...submitted, ...revised]);
}

/**
 * What an editor reviews: the version of a submitted study, or the pending revision of a
 * published one, with what changed since the last published version (everything, when it was
 * never published). The approve form carries `version` / `revision` back (approveStudy).
 */
export function changesSincePublished(
  db: Db,
  p: Principal,
  studyId: number,
): { sinceVersion: number | null; changes: ChangeEntry[]; version: number; revision: StudyRevision | null } {
  const live = snapshotOrThrow(db, studyId);
  authorize(canViewStudy(p, live), "view-study");
  const version = liveVersion(db, studyId);
  const revision = live.publicationState === "published" ? openRevision(db, studyId) : null;
  if (revision) {
    const proposed = {
      ...revision.snapshot,
      sites: live.sites,
      publicationState: live.publicationState,
      isDemo: live.isDemo,
    };
    return { sinceVersion: version, changes: diffStudies(live, proposed), version, revision };
  }
  const row = sql(
    db,
    `SELECT version, snapshot FROM study_versions WHERE study_id = ? AND json_extract(snapshot, '$.publicationState') = 'published'
     ORDER BY version DESC LIMIT 1`,
  ).get(studyId) as { version: number; snapshot: string } | undefined;
  if (!row) return { sinceVersion: null, changes: [], version, revision: null };
  const published = JSON.parse(row.snapshot) as Study;
  return {
    sinceVersion: row.version,
    changes: diffStudies(published, { ...live, publicationState: published.publicationState }),
    version,
    revision: null,
  };
}

function findPendingSite(study: Study, key: string) {
  const site = study.sites.find((s) => siteKey(s) === key && s.pendingConsent);
  if (!site) throw new NotFoundError(`Studien har ikke noe studiested ${key} som venter på svar.`);
  return site;
}

/**
 * The site's own organisation accepts a site another organisation proposed for it: from now on
 * the site is shown everywhere (when the study is published) and belongs to that organisation.
 */
export function acceptSite(db: Db, p: Principal, studyId: number, key: string, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findPendingSite(study, key);
  authorize(canAnswerForSite(p, site), "accept-site");
  const { pendingConsent: _pending, ...accepted } = site;
  return prefixSiteProblems(
    save(
      db,
      p,
      studyId,
      { ...study, sites: study.sites.map((s) => (s === site ? { ...accepted, withdrawn: false } : s)) },
      now,
    ),
    study,
    key,
  );
}

/** The site's own organisation declines a proposed site: it stays withdrawn (kept, never deleted) and is no longer waiting. */
export function declineSite(db: Db, p: Principal, studyId: number, key: string, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findPendingSite(study, key);
  authorize(canAnswerForSite(p, site), "decline-site");
  const { pendingConsent: _pending, ...declined } = site;
  return save(
    db,
    p,
    studyId,
    { ...study, sites: study.sites.map((s) => (s === site ? { ...declined, withdrawn: true } : s)) },
    now,
  );
}

/** The site's own organisation withdraws its site from a study (kept as withdrawn; the study's other sites stay). */
export function withdrawSite(db: Db, p: Principal, studyId: number, key: string, now = new Date()): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findSite(study, key);
  authorize(canAnswerForSite(p, site), "remove-site");
  return save(
    db,
    p,
    studyId,
    { ...study, sites: study.sites.map((s) => (s === site ? { ...s, withdrawn: true } : s)) },
    now,
  );
}

/** Studies with a site proposed for one of the user's organisations, waiting for its answer. */
export function sitesAwaitingAnswer(db: Db, p: Principal): StudyRecord[] {
  return getStudies(db, studiesWithSitesPendingFor(db, isAdmin(p) ? null : memberOrgs(p)));
}

/**
 * Pauses or resumes inclusion at one of the editor's own sites, keeping its other local fields.
 * A pause needs a reason (it is shown to patients on the public page); resuming clears it. The
 * change is a version like any other (who, when, the reason in the diff).
 */
export function setSitePause(
  db: Db,
  p: Principal,
  studyId: number,
  key: string,
  change: { paused: boolean; reason: string | null },
  now = new Date(),
): WorkResult {
  const study = snapshotOrThrow(db, studyId);
  const site = findSite(study, key);
  authorize(canEditSiteLocal(p, site), "edit-site-local");
  const reason = change.reason?.trim() || null;
  if (change.paused && !reason)
    return { ok: false, problems: [{ field: "pauseReason", message: "en pause må ha en begrunnelse" }] };
  const sites = study.sites.map((s) =>
    s === site ? { ...s, paused: change.paused, pauseReason: change.paused ? reason : null } : s,
  );
  return prefixSiteProblems(save(db, p, studyId, { ...study, sites }, now), study, key);
}

/** Published and submitted studies with an active site of one of the editor's organisations (none for an admin: too many). */
export function editorSiteStudies(db: Db, p: Principal): StudyRecord[] {
  const orgs = orgsWithRole(p, "editor");
  if (orgs.length === 0) return [];
  const ids = sql(
    db,
    `SELECT id FROM studies WHERE publication_state IN ('published', 'submitted')
       AND id IN (SELECT study_id FROM study_sites WHERE withdrawn = 0 AND organisation_id IN (SELECT value FROM json_each(?)))
     ORDER BY updated_at DESC, id DESC`,
  )
    .pluck()
    .all(JSON.stringify(orgs)) as number[];
  return getStudies(db, ids);
}

/** Studies held for an editor (not yet released) that the editor's organisations lead or have a site in (all, for an admin). */
export function heldStudiesFor(db: Db, p: Principal): (StudyHold & { title: string; publicationState: string })[] {
  return listOpenHolds(db, isAdmin(p) ? null : orgsWithRole(p, "editor"));
}

/** Why a study the user may see is held for an editor (null when it is not held, or was released). */
export function studyHoldFor(db: Db, p: Principal, studyId: number): StudyHold | null {
  const study = snapshotOrThrow(db, studyId);
  authorize(canViewStudy(p, study), "view-study");
  return getStudyHold(db, studyId);
}
