/** Studies saved through the real model for tests: a fixture that the model refuses stops the test with its problems. */
import type { Db } from "#app/db.server";
import type { StudyInput } from "#app/domain/study";
import { saveStudy, type SaveStudyOptions, type SaveStudyResult } from "#app/models/study.server";

export type SavedStudy = Extract<SaveStudyResult, { ok: true }>;

/**
 * `saveStudy`, for a fixture that must go in: the saved study (id, version, whether it changed),
 * or an error naming the fixture (`what`) and every problem the model found.
 */
export function saveStudyOrThrow(db: Db, input: unknown, options: SaveStudyOptions, what = "test study"): SavedStudy {
  const r = saveStudy(db, input, options);
  if (!r.ok) throw new Error(`${what} refused: ${JSON.stringify(r.problems)}`);
  return r;
}

/** The input of a small published study led by UNN. */
export function publishedStudyInput(title: string, extra: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: {},
    title: { nb: title },
    summary: { nb: "Sammendrag." },
    studyType: "treatment",
    leadOrganisationId: "unn",
    publicationState: "published",
    ...extra,
  } as StudyInput;
}

/** A published study saved through the model, as the tests of the search outbox and indexing need one. */
export function savePublishedStudy(db: Db, title: string, extra: Partial<StudyInput> = {}): number {
  return saveStudyOrThrow(db, publishedStudyInput(title, extra), { actor: { kind: "system", name: "test" } }).studyId;
}
