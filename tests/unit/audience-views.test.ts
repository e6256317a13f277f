/**
 * Pure parts of the patient and clinician views: query-string validation, language links,
 * translations, the eligibility check, criteria lists, the referral text and registry links.
 */
import { describe, expect, it } from "vitest";
import { checkEligibility } from "#app/domain/eligibility-check";
import { siteStatusText, studyStatusText } from "#app/views/status-text";
import { tidyQueryString } from "#app/http/tidy-query";
import { langFromSearch, withLang } from "#app/i18n/languages";
import { MESSAGES, translator } from "#app/i18n/translate";
import { nb } from "#app/i18n/messages/nb";
import { parseClinicianSearchParams } from "#app/search-params/clinician-search-params";
import { parsePatientSearchParams, patientSearchHref } from "#app/search-params/patient-search-params";
import { criteriaItems } from "#app/views/criteria-items";
import { localText } from "#app/views/localized-text";
import { referralSummaryText } from "#app/views/referral-summary";
import { identifierViews } from "#app/views/study-page.server";

const REGIONS = ["helse-sor-ost", "helse-vest", "helse-midt-norge", "helse-nord"];
const parse = (qs: string) => parsePatientSearchParams(new URLSearchParams(qs), REGIONS);

describe("patient search parameters", () => {
  it("reads a full bookmarked search", () => {
    const { params, problems } = parse(
      "q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne&region=helse-midt-norge&status=alle&sortering=naermest&side=2",
    );
    expect(problems).toEqual([]);
    expect(params).toEqual({
      q: "brystkreft",
      postnummer: "7030",
      alder: 54,
      kjonn: "kvinne",
      region: "helse-midt-norge",
      status: "alle",
      sortering: "naermest",
      side: 2,
    });
  });

  it("defaults to studies open now, page 1, and treats empty fields as not given", () => {
    const { params, problems } = parse("q=&postnummer=&alder=&kjonn=&region=");
    expect(problems).toEqual([]);
    expect(params).toMatchObject({
      q: "",
      postnummer: null,
      alder: null,
      kjonn: null,
      region: null,
      status: "apen",
      side: 1,
    });
  });

  it.each([
    ["postnummer=12ab", "postnummer"],
    ["postnummer=70301", "postnummer"],
    ["alder=-5", "alder"],
    ["alder=54.5", "alder"],
    ["alder=121", "alder"],
    ["alder=1e2", "alder"],
    ["kjonn=annet", "kjonn"],
    ["region=atlantis", "region"],
    ["status=stenger", "status"],
    ["sortering=relevans", "sortering"],
    ["side=0", "side"],
    [`q=${"a".repeat(201)}`, "q"],
  ])("refuses %s with a problem for that field, and ignores the value", (qs, field) => {
    const { params, problems } = parse(qs);
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(translator("nb").t(problems[0]!.key, problems[0]!.vars)).not.toMatch(/\{\w+\}/);
    expect((params as unknown as Record<string, unknown>)[field === "status" ? "status" : field]).toEqual(
      field === "status" ? "apen" : field === "side" ? 1 : field === "q" ? "" : null,
    );
  });

  it("writes links without defaults, in the page's language", () => {
    const { params } = parse("q=kols&status=apen&alder=70");
    expect(patientSearchHref(params, "nb")).toBe("/pasient?q=kols&alder=70");
    expect(patientSearchHref({ ...params, status: "alle", side: 3 }, "nn")).toBe(
      "/pasient?q=kols&alder=70&status=alle&side=3&lang=nn",
    );
    // The patient's choice of order is kept in the URL (ADR 0024).
    expect(patientSearchHref({ ...params, postnummer: "7030", sortering: "naermest" }, "nb")).toBe(
      "/pasient?q=kols&postnummer=7030&alder=70&sortering=naermest",
    );
  });
});

describe("clinician search parameters", () => {
  it("accepts the clinician's status and sort choices and refuses unknown phases and trusts", () => {
    const { params, problems } = parseClinicianSearchParams(
      new URLSearchParams("status=stenger&sortering=nyeste&fase=phase_9&helseforetak=nowhere&type=treatment"),
      { regions: REGIONS, organisations: ["ous", "st-olavs"] },
    );
    expect(params).toMatchObject({
      status: "stenger",
      sortering: "nyeste",
      type: "treatment",
      fase: null,
      helseforetak: null,
    });
    expect(problems.map((p) => p.field).sort()).toEqual(["fase", "helseforetak"]);
  });
});

describe("language in the URL", () => {
  it("is bokmål unless nn or en is asked for", () => {
    expect(langFromSearch("")).toBe("nb");
    expect(langFromSearch("?lang=nn")).toBe("nn");
    expect(langFromSearch("?lang=en")).toBe("en");
    expect(langFromSearch("?lang=de")).toBe("nb");
  });

  it("sets or removes lang and keeps the rest of the link", () => {
    expect(withLang("/pasient?q=kols#treff", "en")).toBe("/pasient?q=kols&lang=en#treff");
    expect(withLang("/pasient?lang=en&q=kols", "nb")).toBe("/pasient?q=kols");
    expect(withLang("/", "nn")).toBe("/?lang=nn");
  });

  it("every translation has the same placeholders as bokmål, and none is empty", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [lang, messages] of Object.entries(MESSAGES)) {
      expect(Object.keys(messages).sort(), lang).toEqual(Object.keys(nb).sort());
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim().length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(nb[key as keyof typeof nb]));
      }
    }
  });

  it("status and dates come out in each language", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const site = { inclusionStart: "2026-01-01", inclusionEnd: "2027-03-14", paused: false };
    expect(studyStatusText([site], now).text).toBe("Åpen for inklusjon til 14. mars 2027");
    expect(studyStatusText([site], now, "nn").text).toBe("Open for inklusjon til 14. mars 2027");
    expect(studyStatusText([site], now, "en").text).toBe("Recruiting until 14 March 2027");
    expect(siteStatusText({ inclusionStart: "2027-02-01", inclusionEnd: null, paused: false }, now, "nb")).toBe(
      "Åpner 1. februar 2027",
    );
    expect(siteStatusText({ inclusionStart: "2026-01-01", inclusionEnd: "2026-12-11", paused: false }, now, "en")).toBe(
      "Recruiting until 11 December 2026 (10 days left)",
    );
  });

  it("study texts fall back to bokmål and say which language they are in", () => {
    expect(localText({ nb: "Hei", en: "Hello" }, "en")).toEqual({ text: "Hello", lang: "en" });
    expect(localText({ nb: "Hei" }, "nn")).toEqual({ text: "Hei", lang: "nb" });
    expect(localText({ nb: null }, "nb")).toBeNull();
    // A registry's English words kept as both nb and en are English, on every page (WCAG 3.1.2).
    expect(localText({ nb: "Heart failure study", en: "Heart failure study" }, "nb")).toEqual({
      text: "Heart failure study",
      lang: "en",
    });
    expect(localText({ nb: "Heart failure study", en: "Heart failure study" }, "nn")).toEqual({
      text: "Heart failure study",
      lang: "en",
    });
    expect(localText({ nb: "Hjertesviktstudie", en: "Heart failure study" }, "nb")).toEqual({
      text: "Hjertesviktstudie",
      lang: "nb",
    });
  });
});

describe("quick eligibility check", () => {
  const study = { minAgeYears: 18, maxAgeYears: 70, sex: "female" as const };
  const criteria = { inclusion: ["Nyoppdaget brystkreft"], exclusion: ["Graviditet"] };

  it("rules a patient out on age or sex", () => {
    expect(checkEligibility(study, criteria, { ageYears: 17, sex: "female" }).summary).toBe("not_met");
    expect(checkEligibility(study, criteria, { ageYears: 71, sex: "female" }).summary).toBe("not_met");
    expect(checkEligibility(study, criteria, { ageYears: 40, sex: "male" }).summary).toBe("not_met");
  });

  it("never rules a patient in: age and sex met still leaves every written criterion unknown", () => {
    const result = checkEligibility(study, criteria, { ageYears: 18, sex: "female" });
    expect(result.summary).toBe("not_ruled_out");
    expect(result.checks.map((c) => [c.kind, c.outcome])).toEqual([
      ["age", "met"],
      ["sex", "met"],
      ["inclusion", "unknown"],
      ["exclusion", "unknown"],
    ]);
  });

  it("says nothing was checked without age and sex; a study for all sexes is met by either", () => {
    expect(checkEligibility(study, criteria, { ageYears: null, sex: null }).summary).toBe("missing");
    const all = checkEligibility({ minAgeYears: null, maxAgeYears: null, sex: "all" }, criteria, {
      ageYears: 90,
      sex: "male",
    });
    expect(all.checks.slice(0, 2).map((c) => c.outcome)).toEqual(["met", "met"]);
  });
});

describe("criteria and the referral summary", () => {
  it("splits criteria written one per line, with or without bullets", () => {
    expect(criteriaItems("- Kvinner 18 år eller eldre\n• ECOG 0–1\n\n1. Ikke gravid\nFritt formulert")).toEqual([
      "Kvinner 18 år eller eldre",
      "ECOG 0–1",
      "Ikke gravid",
      "Fritt formulert",
    ]);
    expect(criteriaItems(null)).toEqual([]);
  });

  it("puts what a referral needs into plain text", () => {
    const text = referralSummaryText(
      {
        title: "En studie",
        identifiers: ["ClinicalTrials.gov NCT90000012", "REK-nummer 912001"],
        statusText: "Åpen for inklusjon til 14. mars 2027",
        typeAndPhase: "Behandlingsstudie, Fase 3",
        icd10: ["C50 Ondartet svulst i bryst"],
        lead: "Oslo universitetssykehus HF (Helse Sør-Øst RHF)",
        pi: "Kari Nordmann, Professor",
        age: "18 år eller eldre",
        sex: "Kvinner",
        inclusion: ["Kvinner 18 år eller eldre"],
        exclusion: ["Graviditet"],
        openSites: [
          {
            name: "Radiumhospitalet",
            statusText: "Åpen for inklusjon til 14. mars 2027",
            contact: "Anne, +47 1",
            referral: "Merk «X».",
          },
        ],
        otherSites: [{ name: "Haukeland", statusText: "Åpner 1. februar 2027" }],
        url: "https://example.no/helsepersonell/studier/1",
        isDemo: false,
        withdrawn: false,
        generatedAt: new Date("2026-12-01T12:00:00Z"),
      },
      translator("nb"),
    );
    expect(text).toContain("Studie: En studie\nIdentifikatorer: ClinicalTrials.gov NCT90000012, REK-nummer 912001");
    expect(text).toContain("Inklusjonskriterier:\n- Kvinner 18 år eller eldre");
    expect(text).toContain(
      "- Radiumhospitalet: Åpen for inklusjon til 14. mars 2027\n  Kontakt: Anne, +47 1\n  Henvisning: Merk «X».",
    );
    expect(text).toContain("Øvrige studiesteder: Haukeland (Åpner 1. februar 2027)");
    expect(text).toContain("Hentet 1. desember 2026 kl. 13:00.");
    expect(text).not.toContain("<");
    expect(text).not.toContain("MERK");
  });

  it("links registry identifiers, except fictional demo numbers", () => {
    const identifiers = {
      nct: "NCT01234567",
      euCt: "2023-501234-12-00",
      eudract: null,
      isrctn: "ISRCTN12345678",
      rek: "2019/1234",
    };
    const real = identifierViews({ identifiers, isDemo: false }, translator("nb"));
    expect(real.map((i) => i.url)).toEqual([
      "https://clinicaltrials.gov/study/NCT01234567",
      "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2023-501234-12-00",
      "https://www.isrctn.com/ISRCTN12345678",
      "https://rekportalen.no/",
    ]);
    expect(identifierViews({ identifiers, isDemo: true }, translator("nb")).every((i) => i.url === null)).toBe(true);
  });
});

describe("tidy query strings", () => {
  it("drops empty parameters and keeps the rest in order", () => {
    expect(tidyQueryString(new URLSearchParams("q=kols&alder=&kjonn=&status=apen"))).toBe("?q=kols&status=apen");
    expect(tidyQueryString(new URLSearchParams("alder="))).toBe("");
  });
});
