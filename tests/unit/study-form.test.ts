/** The registration form's schema and its mapper onto the study record (pure). */
import { describe, expect, it } from "vitest";
import { formFieldName, formToStudy, splitIcd10, studyToForm } from "#app/domain/study-form";
import { parseStudyForm } from "#app/forms/study-form";
import { studyInputSchema } from "#app/domain/study";
import { canonicalStudy } from "#app/domain/study-snapshot";

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
    }
  });
});
