/** The registration form's schema and its mapper onto the study record (pure). */
import { describe, expect, it } from "vitest";
import { formFieldName, formToStudy, splitIcd10, studyToForm } from "#app/domain/study-form";
import { parseStudyForm } from "#app/forms/study-form";
import { studyInputSchema, type Study } from "#app/domain/study";
import { canonicalStudy } from "#app/domain/study-snapshot";
import { missingForPublishing } from "#app/domain/study-readiness";

const stored = studyInputSchema.parse({
  identifiers: { rek: "2019/1234", nct: "NCT01234567" },
  title: { nb: "Tittel", nn: "Tittel på nynorsk", en: "Title" },
  summary: { nb: "Sammendrag", nn: "Samandrag" },
  studyType: "treatment",
  leadOrganisationId: "st-olavs",
  snomed: ["254837009"],
  icd10: ["C50"],
  eligibility: { minAgeYears: 18, inclusionCriteria: { nb: "Voksne", nn: "Vaksne" } },
  sites: [
    {
      organisationId: "st-olavs",
      inclusionStart: "2026-01-01",
      inclusionEnd: "2026-12-31",
      referral: "Ring oss",
      contact: { name: "Lokal", phone: "123" },
    },
  ],
  publicationState: "published",
});

function formData(values: Record<string, unknown>, prefix = "", out = new URLSearchParams()): URLSearchParams {
  for (const [k, v] of Object.entries(values)) {
    const name = prefix ? (/^\d+$/.test(k) ? `${prefix}[${k}]` : `${prefix}.${k}`) : k;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) v.forEach((x) => out.append(name, x));
    else if (v && typeof v === "object") formData(v as Record<string, unknown>, name, out);
    else out.append(name, String(v ?? ""));
  }
  return out;
}

describe("study form", () => {
  it("splits typed ICD-10 codes and names problems as Conform fields", () => {
    expect(splitIcd10(" c50, D05.1;e11  ")).toEqual(["C50", "D051", "E11"]);
    expect(formFieldName("sites.1.inclusionEnd")).toBe("sites[1].inclusionEnd");
    expect(formFieldName("identifiers.rek")).toBe("identifiers.rek");
  });

  it("round-trips a stored study through the form without losing what the form does not show", () => {
    const submission = parseStudyForm(formData(studyToForm(stored)));
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    const again = studyInputSchema.parse({ ...formToStudy(submission.value, stored), sites: stored.sites });
    // As stored (saveStudy keeps the canonical form): an empty English text is the same as none.
    expect(canonicalStudy(again)).toEqual(canonicalStudy(stored));
  });

  it("keeps what a source said that the form cannot show: places that are no health trust, unknown healthy volunteers, age groups, the record's lead", () => {
    const imported = studyInputSchema.parse({
      ...stored,
      lead: { name: "Eksempeluniversitetet", organisationId: null },
      officialTitle: "An official title",
      keywords: ["tinnitus"],
      eligibility: { ...stored.eligibility, healthyVolunteers: null, ageGroups: ["Adult"] },
      sites: [
        ...stored.sites,
        {
          organisationId: null,
          name: "Eksempeluniversitetet",
          city: "Stavanger",
          declared: { status: "recruiting", text: "RECRUITING", on: "2026-11-01", by: "ClinicalTrials.gov" },
        },
      ],
    });
    const values = studyToForm(imported);
    expect(values.sites.map((s) => s.organisationId)).toEqual(["st-olavs"]);
    const submission = parseStudyForm(formData(values));
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    const again = studyInputSchema.parse(formToStudy(submission.value, imported));
    expect(again.sites.find((s) => s.organisationId == null)).toMatchObject({
      name: "Eksempeluniversitetet",
      declared: { status: "recruiting" },
    });
    expect(again.eligibility).toMatchObject({ healthyVolunteers: null, ageGroups: ["Adult"] });
    expect(again).toMatchObject({
      lead: { name: "Eksempeluniversitetet" },
      officialTitle: "An official title",
      keywords: ["tinnitus"],
    });
    // Ticking the box is a "yes".
    const ticked = parseStudyForm(
      formData({ ...values, eligibility: { ...values.eligibility, healthyVolunteers: "on" } }),
    );
    if (ticked.status !== "success") throw new Error("form did not parse");
    expect(formToStudy(ticked.value, imported).eligibility?.healthyVolunteers).toBe(true);
  });

  // Every part of the public page the researcher writes, typed in the form and read back from the
  // record the form makes: study → form → study for each field on its own.
  const everyPart = studyInputSchema.parse({
    ...stored,
    title: { nb: "Tittel", nn: "Tittel nn", en: "Title en" },
    summary: { nb: "Sammendrag", nn: "Samandrag nn", en: "Summary en" },
    participation: { nb: "Tre besøk", nn: "Tre besøk nn", en: "Three visits" },
    principalInvestigator: { name: "Kari Nordmann", title: "Overlege" },
    sites: [
      {
        organisationId: "st-olavs",
        hospitalId: "st-olavs-hospital",
        inclusionStart: "2026-01-01",
        inclusionEnd: "2026-12-31",
        contact: { name: "Studiesykepleier Ola", phone: "+47 73 00 00 00", email: "ola@example.no" },
        referral: "Henvisning via DIPS",
      },
    ],
  });
  it.each([
    ["title.nn", (s: Study) => s.title.nn, "Tittel nn"],
    ["title.en", (s: Study) => s.title.en, "Title en"],
    ["summary.nn", (s: Study) => s.summary.nn, "Samandrag nn"],
    ["summary.en", (s: Study) => s.summary.en, "Summary en"],
    ["participation.nb", (s: Study) => s.participation.nb, "Tre besøk"],
    ["participation.nn", (s: Study) => s.participation.nn, "Tre besøk nn"],
    ["participation.en", (s: Study) => s.participation.en, "Three visits"],
    ["principalInvestigator.name", (s: Study) => s.principalInvestigator?.name, "Kari Nordmann"],
    ["principalInvestigator.title", (s: Study) => s.principalInvestigator?.title, "Overlege"],
    ["sites[0].hospitalId", (s: Study) => s.sites[0]?.hospitalId, "st-olavs-hospital"],
    ["sites[0].contact.name", (s: Study) => s.sites[0]?.contact?.name, "Studiesykepleier Ola"],
    ["sites[0].contact.phone", (s: Study) => s.sites[0]?.contact?.phone, "+47 73 00 00 00"],
    ["sites[0].contact.email", (s: Study) => s.sites[0]?.contact?.email, "ola@example.no"],
    ["sites[0].referral", (s: Study) => s.sites[0]?.referral, "Henvisning via DIPS"],
  ] as const)("%s goes from the form into the study and back", (field, read, value) => {
    const values = studyToForm(everyPart);
    // Typed into the form (not carried over from the study the form was opened on: base is null).
    const submission = parseStudyForm(formData(values));
    if (submission.status !== "success") throw new Error(JSON.stringify(submission.error));
    const created = studyInputSchema.parse(formToStudy(submission.value, null));
    expect(read(created)).toBe(value);
    // Emptying the field in the form empties it in the study (editing an existing one).
    const params = formData(values);
    params.set(field, "");
    const emptied = parseStudyForm(params);
    if (field.endsWith(".name")) {
      // A name is what makes a contact or an investigator: the rest without it is a problem on the name.
      expect(emptied.status === "error" && Object.keys(emptied.error ?? {})).toEqual([field]);
      return;
    }
    if (emptied.status !== "success") throw new Error(JSON.stringify(emptied.error));
    const edited = studyInputSchema.parse(formToStudy(emptied.value, everyPart));
    if (field === "sites[0].hospitalId") expect(edited.sites[0]?.hospitalId).toBeNull();
    else expect(read(edited) ?? null).toBeNull();
  });

  it("a site contact needs a phone or an e-mail; a principal investigator's title needs a name", () => {
    const values = studyToForm(everyPart);
    const params = formData(values);
    params.set("sites[0].contact.phone", "");
    params.set("sites[0].contact.email", "");
    params.set("principalInvestigator.name", "");
    const submission = parseStudyForm(params);
    expect(submission.status).toBe("error");
    if (submission.status === "success") return;
    expect(Object.keys(submission.error!)).toEqual(
      expect.arrayContaining(["sites[0].contact.email", "principalInvestigator.name"]),
    );
  });

  it("requires REK to send for approval and names a bad ICD-10 code on the codes field", () => {
    const values = studyToForm(stored);
    const submission = parseStudyForm(
      formData({ ...values, intent: "submit", identifiers: { ...values.identifiers, rek: "" }, icd10: "C50, 123" }),
    );
    expect(submission.status).toBe("error");
    if (submission.status === "success") return;
    expect(submission.error!["identifiers.rek"]![0]).toMatch(/REK/);
    expect(submission.error!.icd10).toEqual(["«123» er ikke en ICD-10-kode (skriv for eksempel C50 eller C509)."]);
  });

  it("asks for a summary and a complete inclusion window only when sending for approval", () => {
    const values = studyToForm(stored);
    const bare = {
      ...values,
      summary: { nb: "", en: "" },
      sites: [{ organisationId: "st-olavs", hospitalId: "", inclusionStart: "", inclusionEnd: "" }],
    };
    expect(parseStudyForm(formData({ ...bare, intent: "draft" })).status).toBe("success");
    const submit = parseStudyForm(formData({ ...bare, intent: "submit" }));
    expect(submit.status).toBe("error");
    if (submit.status === "success") return;
    expect(Object.keys(submit.error!)).toEqual(expect.arrayContaining(["summary.nb", "sites[0].inclusionEnd"]));
  });

  // "Lagre utkast" needs only a title; "Send til godkjenning" needs what publishing needs, each
  // named on its field even when the title is missing too.
  it.each([
    { intent: "draft", title: "Bare tittel", fails: [] },
    { intent: "draft", title: "", fails: ["title.nb"] },
    { intent: "submit", title: "Bare tittel", fails: ["identifiers.rek", "studyType", "summary.nb", "sites"] },
    { intent: "submit", title: "", fails: ["title.nb", "identifiers.rek", "studyType", "summary.nb", "sites"] },
  ])("$intent with title '$title' → problems at $fails", ({ intent, title, fails }) => {
    const submission = parseStudyForm(formData({ intent, leadOrganisationId: "st-olavs", title: { nb: title } }));
    const problems = submission.status === "success" ? [] : Object.keys(submission.error ?? {});
    expect(problems.sort()).toEqual([...fails].sort());
    if (submission.status === "success") {
      const study = formToStudy(submission.value, null);
      expect(study.title.nb).toBe(title);
      expect(study.sites).toEqual([]);
      expect(study.identifiers?.rek ?? null).toBeNull();
      // No type chosen: none stored (ADR 0028), not "other" as if chosen.
      expect(studyInputSchema.parse(study).studyType).toBeNull();
    }
  });

  it("a draft may go back to no type; a published study keeps its type when the field is left empty", () => {
    const draft = studyInputSchema.parse({ ...stored, publicationState: "draft", studyType: "observational" });
    const emptied = parseStudyForm(formData({ ...studyToForm(draft), intent: "draft", studyType: "" }));
    if (emptied.status !== "success") throw new Error(JSON.stringify(emptied.error));
    expect(formToStudy(emptied.value, draft).studyType).toBeNull();
    expect(formToStudy(emptied.value, stored).studyType).toBe("treatment");
    expect(studyToForm({ ...draft, studyType: null }).studyType).toBe("");
  });

  it.each([
    ["draft", true],
    ["withdrawn", true],
    ["submitted", false],
    ["published", false],
  ] as const)("a %s study without a type of study is valid: %s", (publicationState, valid) => {
    const result = studyInputSchema.safeParse({ ...stored, studyType: null, publicationState });
    expect(result.success).toBe(valid);
    if (!result.success) expect(result.error.issues.map((i) => i.path.join("."))).toEqual(["studyType"]);
    expect(missingForPublishing({ ...stored, studyType: null })).toEqual(["Type studie"]);
    expect(missingForPublishing(stored)).toEqual([]);
  });
});
