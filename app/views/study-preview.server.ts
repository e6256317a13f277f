/**
 * "Forhåndsvisning" on the editor's review page (issue 18 item 4): the patient and clinician
 * pages as they will be published when the editor approves, built by the same view builders the
 * public pages use (study-page.server.ts), from what is under review — the pending revision of a
 * published study (its shared fields over the live sites, exactly what approveRevision publishes)
 * or the submitted study itself.
 */
import type { Db } from "#app/db.server";
import type { Lang } from "#app/i18n/languages";
import { icd10NamesFor } from "#app/models/icd10.server";
import type { StudyRecord } from "#app/models/study.server";
import type { StudyRevision } from "#app/models/study-revisions.server";
import { sharedFields } from "#app/models/study-work.server";
import {
  categoryNamesFor,
  clinicianStudyUrl,
  clinicianStudyView,
  patientStudyView,
  type ClinicianStudyView,
  type PatientStudyView,
} from "./study-page.server";

export interface StudyPreview {
  patient: PatientStudyView;
  clinician: ClinicianStudyView;
}

/** The record the public would see after approval. */
export function recordAsPublished(db: Db, record: StudyRecord, revision: StudyRevision | null): StudyRecord {
  const proposed: StudyRecord = revision
    ? { ...record, ...sharedFields(revision.snapshot), sites: record.sites }
    : { ...record };
  return {
    ...proposed,
    publicationState: "published",
    icd10Names: { ...proposed.icd10Names, ...icd10NamesFor(db, proposed.icd10) },
  };
}

export function studyPreview(
  db: Db,
  record: StudyRecord,
  revision: StudyRevision | null,
  lang: Lang,
  now = new Date(),
): StudyPreview {
  const study = recordAsPublished(db, record, revision);
  const options = { lang, now, categoryNames: categoryNamesFor(db, lang), withdrawnAt: null };
  return {
    patient: patientStudyView(study, { ...options, postcode: null, backHref: "" }),
    clinician: clinicianStudyView(study, {
      ...options,
      studyUrl: clinicianStudyUrl(study.id, lang),
      patient: { age: null, sex: null },
      problems: [],
    }),
  };
}
