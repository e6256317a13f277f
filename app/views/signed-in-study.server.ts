/**
 * What the two signed-in pages about one study show, each built in one call so the routes stay
 * thin (issue 21 item 5): the researcher's study page (/forsker/studier/:id) and the editor's
 * review page (/redaksjon/studier/:id). The models throw ForbiddenError / NotFoundError for a
 * study the person may not see; the route turns those into 403 / 404 (`guarded`).
 */
import type { Db } from "#app/db.server";
import {
  canAnswerForSite,
  canEditSiteDates,
  canEditSiteLocal,
  canEditStudy,
  canReviewStudy,
  type Principal,
} from "#app/auth/policy";
import type { Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { changesSincePublished, getStudyFor, openRevisionFor, studyHoldFor } from "#app/models/study-work.server";
import { listStudyReviews } from "#app/models/user.server";
import { diffWordsFor, formatInstant, studyOverview } from "./researcher.server";
import { studyPreview } from "./study-preview.server";
import { describeChange } from "./version-diff";

/**
 * The researcher's study page: the study, which of its sites this person may change or answer
 * for, the pending revision, the editors' decisions, and the notices the last action asked for
 * (`lagret`, `bekreftet`, `endring`, `svar` in the query).
 */
export function researcherStudyPage(db: Db, user: Principal, id: number, lang: Lang, query: URLSearchParams) {
  const record = getStudyFor(db, user, id);
  const study = studyOverview(record, new Date(), lang);
  const revision = openRevisionFor(db, user, id);
  return {
    study,
    canEdit: canEditStudy(user, record),
    editableSites: study.sites.filter((s) => canEditSiteDates(user, s)).map((s) => s.key),
    ownSites: study.sites.filter((s) => canAnswerForSite(user, s)).map((s) => s.key),
    answerable: study.pendingSites.filter((s) => canAnswerForSite(user, s)).map((s) => s.key),
    revision: revision
      ? {
          revision: revision.revision,
          state: revision.state,
          createdAt: formatInstant(revision.createdAt, lang),
          by: revision.actorName,
        }
      : null,
    revisionSaved: query.get("endring"),
    answered: query.get("svar"),
    reviews: listStudyReviews(db, id).map((r) => ({ ...r, createdAt: formatInstant(r.createdAt, lang) })),
    saved: query.get("lagret"),
    confirmed: query.get("bekreftet"),
  };
}

/**
 * The editor's review page: the study, the changes since the last published version (in words),
 * exactly which version or revision is under review, why the ingest held it back (if it did),
 * the public pages as they will be published, the editor's own sites, and the last action's
 * notice (`ferdig` in the query).
 */
export function reviewPage(db: Db, user: Principal, id: number, lang: Lang, query: URLSearchParams) {
  const tr = translator(lang);
  const record = getStudyFor(db, user, id);
  const since = changesSincePublished(db, user, id);
  const study = studyOverview(record, new Date(), lang);
  const hold = studyHoldFor(db, user, id);
  const words = diffWordsFor(db, record, lang);
  return {
    study,
    sinceVersion: since.sinceVersion,
    changes: since.changes.map((c) => describeChange(c, words)),
    reviewing: {
      version: since.version,
      revision: since.revision
        ? {
            revision: since.revision.revision,
            state: since.revision.state,
            by: since.revision.actorName,
            createdAt: formatInstant(since.revision.createdAt, lang),
          }
        : null,
    },
    canReview: canReviewStudy(user, record),
    hold: hold
      ? {
          reasons: hold.reasons,
          heldAt: formatInstant(hold.heldAt, lang),
          released: hold.releasedAt
            ? tr.t("review.hold.releasedBy", {
                at: formatInstant(hold.releasedAt, lang),
                name: hold.releasedBy ?? tr.t("review.hold.unknownPerson"),
              })
            : null,
        }
      : null,
    preview: studyPreview(db, record, since.revision, lang),
    localSites: study.sites.filter((s) => canEditSiteLocal(user, s)),
    done: query.get("ferdig"),
  };
}
