/** Accounts and studies for the researcher/editor tests, written through the real models. */
import type { Db } from "#app/db.server";
import type { StudyInput } from "#app/domain/study";
import { hashPassword } from "#app/auth/password.server";
import { createUser, type RoleGrant } from "#app/models/user.server";
import { saveStudyOrThrow } from "./studies";

export const PASSWORD = "riktig-hest-batteri-stift";

export const PEOPLE = {
  researcherStOlavs: {
    email: "forsker@stolav.example.no",
    name: "Kari Forsker",
    roles: [{ role: "researcher", organisationId: "st-olavs" }],
  },
  researcherOus: {
    email: "forsker@ous.example.no",
    name: "Ola Forsker",
    roles: [{ role: "researcher", organisationId: "ous" }],
  },
  editorStOlavs: {
    email: "redaktor@stolav.example.no",
    name: "Siri Redaktør",
    roles: [{ role: "editor", organisationId: "st-olavs" }],
  },
  editorOus: {
    email: "redaktor@ous.example.no",
    name: "Per Redaktør",
    roles: [{ role: "editor", organisationId: "ous" }],
  },
  admin: { email: "admin@example.no", name: "Nina Admin", roles: [{ role: "admin", organisationId: null }] },
  lockout: {
    email: "sperret@stolav.example.no",
    name: "Lise Låst",
    roles: [{ role: "researcher", organisationId: "st-olavs" }],
  },
} satisfies Record<string, { email: string; name: string; roles: RoleGrant[] }>;
export type Person = keyof typeof PEOPLE;

export async function createPeople(db: Db): Promise<Record<Person, number>> {
  const hash = await hashPassword(PASSWORD);
  const ids = {} as Record<Person, number>;
  for (const [key, p] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    ids[key] = createUser(db, { email: p.email, name: p.name, passwordHash: hash, roles: p.roles });
  }
  return ids;
}

export function testStudy(overrides: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: { rek: "987654" },
    title: { nb: "Fiktiv studie av hjertesvikt", en: "Fictional heart failure study" },
    summary: { nb: "Vi prøver en ny medisin. Dette er en fiktiv teststudie.", en: "A fictional test study." },
    studyType: "treatment",
    phase: "phase_3",
    leadOrganisationId: "st-olavs",
    contacts: [{ name: "Studiesykepleier", email: "studie@example.no", role: "public" }],
    sites: [
      { organisationId: "st-olavs", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2027-06-30" },
      { organisationId: "ous", hospitalId: null, inclusionStart: "2026-03-01", inclusionEnd: "2027-03-01" },
    ],
    publicationState: "submitted",
    ...overrides,
  };
}

/** A (lead st-olavs, sites st-olavs + ous, submitted) and B (lead ous, site ous only, draft). */
export function createStudies(db: Db): { a: number; b: number } {
  const actor = { kind: "system" as const, name: "test" };
  const a = saveStudyOrThrow(db, testStudy(), { actor }, "study A");
  const b = saveStudyOrThrow(
    db,
    testStudy({
      identifiers: { rek: "987655" },
      title: { nb: "Fiktiv studie ved OUS" },
      leadOrganisationId: "ous",
      sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" }],
      publicationState: "draft",
    }),
    { actor },
    "study B",
  );
  return { a: a.studyId, b: b.studyId };
}
