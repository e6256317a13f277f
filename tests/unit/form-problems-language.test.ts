/**
 * The signed-in forms' problems in the page's language (issue 18 item 4): the study schema and
 * the form's own checks speak bokmål (app/domain stays pure); parseStudyForm and the site forms
 * say each problem in nb, nn or en from the catalogue, on the same field. Table-tested: each
 * kind of problem, in each language, is exactly the catalogue's sentence.
 */
import { describe, expect, it } from "vitest";
import { parseStudyForm } from "#app/forms/study-form";
import { parseSiteDates, parseSiteLocal } from "#app/forms/site-forms";
import { fieldLabel, problemFieldLabel } from "#app/forms/field-label";
import { problemText } from "#app/forms/problem-text";
import { translator, type Vars } from "#app/i18n/translate";
import type { MessageKey } from "#app/i18n/messages/nb";
import { LANGS } from "#app/i18n/languages";

const base = { intent: "draft", leadOrganisationId: "ous", "title.nb": "Tittel", "eligibility.sex": "all" };

const CASES: { name: string; form: Record<string, string>; field: string; key: MessageKey; vars?: Vars }[] = [
  {
    name: "sending without a REK number",
    form: { intent: "submit" },
    field: "identifiers.rek",
    key: "form.error.rekRequired",
  },
  { name: "sending without a type", form: { intent: "submit" }, field: "studyType", key: "form.error.typeRequired" },
  {
    name: "sending without a summary",
    form: { intent: "submit" },
    field: "summary.nb",
    key: "form.error.summaryRequired",
  },
  { name: "no title", form: { "title.nb": "" }, field: "title.nb", key: "form.error.required" },
  {
    name: "an NCT number in the wrong format",
    form: { "identifiers.nct": "NCT12" },
    field: "identifiers.nct",
    key: "form.error.format",
    vars: { example: "NCT01234567" },
  },
  {
    name: "an unknown ICD-10 code",
    form: { icd10: "C50, XYZ" },
    field: "icd10",
    key: "form.error.icd10Code",
    vars: { code: "XYZ" },
  },
  {
    name: "a site that ends before it starts",
    form: {
      "sites[0].organisationId": "ous",
      "sites[0].inclusionStart": "2027-01-01",
      "sites[0].inclusionEnd": "2026-01-01",
    },
    field: "sites[0].inclusionEnd",
    key: "form.error.endBeforeStart",
    vars: { end: "2026-01-01", start: "2027-01-01" },
  },
  {
    name: "a contact with neither e-mail nor phone",
    form: { "contacts[0].name": "Kari", "contacts[0].role": "public" },
    field: "contacts[0].email",
    key: "form.error.contactNeedsEmailOrPhone",
  },
  {
    name: "an age that is not a number",
    form: { "eligibility.minAgeYears": "atten" },
    field: "eligibility.minAgeYears",
    key: "form.error.number",
  },
];

describe("the study form's problems in nb, nn and en", () => {
  for (const c of CASES) {
    for (const lang of LANGS) {
      it(`${c.name} (${lang})`, () => {
        const tr = translator(lang);
        const submission = parseStudyForm(new URLSearchParams({ ...base, ...c.form }), tr);
        expect(submission.status).toBe("error");
        const errors = submission.status === "error" ? submission.error : {};
        expect(errors?.[c.field], JSON.stringify(errors)).toContain(tr.t(c.key, c.vars));
      });
    }
  }

  it("no problem in nn or en is left in bokmål", () => {
    const form = new URLSearchParams({
      ...base,
      intent: "submit",
      "title.nb": "",
      "identifiers.nct": "x",
      icd10: "Q",
      "contacts[0].name": "Kari",
      "contacts[0].role": "public",
      "eligibility.minAgeYears": "atten",
    });
    const nb = parseStudyForm(form, translator("nb"));
    const nbMessages = new Set(Object.values(nb.status === "error" ? (nb.error ?? {}) : {}).flat());
    expect(nbMessages.size).toBeGreaterThan(5);
    for (const lang of ["nn", "en"] as const) {
      const parsed = parseStudyForm(form, translator(lang));
      const messages = Object.values(parsed.status === "error" ? (parsed.error ?? {}) : {}).flat();
      for (const m of messages) expect(nbMessages.has(m ?? ""), `${lang}: ${m}`).toBe(false);
    }
  });
});

describe("the small site forms", () => {
  it("a date that is no date, named with its label, in each language", () => {
    const want = {
      nb: "Inklusjonsstart må være en dato (åååå-mm-dd), ikke «1. mars».",
      nn: "Inklusjonsstart må vere ein dato (åååå-mm-dd), ikkje «1. mars».",
      en: "Inclusion start must be a date (yyyy-mm-dd), not “1. mars”.",
    };
    for (const lang of LANGS) {
      const s = parseSiteDates(new URLSearchParams({ site: "ous/", inclusionStart: "1. mars" }), translator(lang));
      expect(s.status === "error" ? s.error?.inclusionStart : null).toEqual([want[lang]]);
    }
    const ok = parseSiteDates(new URLSearchParams({ site: "ous/", inclusionStart: "2026-03-01" }), translator("en"));
    expect(ok.status === "success" ? ok.value : null).toEqual({ site: "ous/", inclusionStart: "2026-03-01" });
  });

  it("local information: a pause needs a reason, a contact a name and a way to reach them", () => {
    const cases: [Record<string, string>, string, MessageKey][] = [
      [{ paused: "on" }, "pauseReason", "review.local.reasonMissing"],
      [{ contactEmail: "a@b.no" }, "contactName", "review.local.nameMissing"],
      [{ contactName: "Kari" }, "contactEmail", "review.local.emailOrPhone"],
    ];
    for (const lang of LANGS) {
      const tr = translator(lang);
      for (const [form, field, key] of cases) {
        const s = parseSiteLocal(new URLSearchParams({ site: "ous/", ...form }), tr);
        expect(s.status === "error" ? s.error?.[field] : null).toEqual([tr.t(key)]);
      }
    }
  });
});

describe("field names and stray problems", () => {
  it.each([
    [
      "sites[1].inclusionEnd",
      "Studiested 2, inklusjonsslutt",
      "Studiestad 2, inklusjonsslutt",
      "Study site 2, inclusion end",
    ],
    [
      "sites[0].contact.email",
      "Studiested 1, kontakt (e-post)",
      "Studiestad 1, kontakt (e-post)",
      "Study site 1, contact (email)",
    ],
    ["contacts[2]", "Kontakt 3", "Kontakt 3", "Contact 3"],
    ["identifiers.rek", "REK-nummer", "REK-nummer", "REK number"],
    ["icd10[3]", "ICD-10-koder", "ICD-10-kodar", "ICD-10 codes"],
  ])("%s", (name, nb, nn, en) => {
    expect([
      fieldLabel(name, translator("nb")),
      fieldLabel(name, translator("nn")),
      fieldLabel(name, translator("en")),
    ]).toEqual([nb, nn, en]);
  });

  it("a model's problem names its field as people know it, and no internal name", () => {
    expect(problemFieldLabel("sites.1.inclusionEnd", translator("en"))).toBe("Study site 2, inclusion end");
    expect(problemFieldLabel("identifiers.rek", translator("nn"))).toBe("REK-nummer");
    expect(problemFieldLabel("study", translator("nb"))).toBeNull();
    expect(problemFieldLabel("reviewedVersion", translator("en"))).toBeNull();
    expect(problemFieldLabel("", translator("en"))).toBeNull();
  });

  it("a problem the catalogue does not know is kept as a sentence, not dropped", () => {
    expect(problemText("noe helt annet", translator("en"))).toBe("Noe helt annet.");
    expect(problemText("maks 300 tegn", translator("en"))).toBe("At most 300 characters.");
  });
});
