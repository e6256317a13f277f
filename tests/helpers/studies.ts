/** A published study saved through the model, as the tests of the search outbox and indexing need one. */
import type { Db } from "#app/db.server";
import type { StudyInput } from "#app/domain/study";
import { saveStudy } from "#app/models/study.server";

export function savePublishedStudy(db: Db, title: string, extra: Partial<StudyInput> = {}): number {
  const r = saveStudy(
    db,
    {
      identifiers: {},
      title: { nb: title },
      summary: { nb: "Sammendrag." },
      studyType: "treatment",
      leadOrganisationId: "unn",
      publicationState: "published",
      ...extra,
    },
    { actor: { kind: "system", name: "test" } },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.studyId;
}
