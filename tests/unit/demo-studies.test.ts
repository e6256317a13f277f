/**
 * The fictional demo studies (data/seed/demo-studies.ts): valid on any seed day, clearly fictional,
 * and spread over the country, the statuses and the diagnoses patients search for.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { demoStudySpecs, DEMO_SENTENCE_NB, DEMO_SENTENCE_NN, DEMO_SENTENCE_EN } from "../../data/seed/demo-studies";
import { materialiseDemoStudy, type DemoStudySpec } from "../../data/seed/demo-spec";
import { describeProblems, studyInputSchema, type Study } from "#app/domain/study";
import { osloDate, siteStatus, startOfOsloDay, studyStatus } from "#app/domain/inclusion-status";

/** Seed days to test, with noon on that day in Oslo (2027-03-28 is the day summer time starts). */
const SEED_DAYS = [
  { today: "2026-11-22", noon: "2026-11-22T12:00:00+01:00" },
  { today: "2027-03-28", noon: "2027-03-28T12:00:00+02:00" },
  { today: "2028-02-29", noon: "2028-02-29T12:00:00+01:00" },
] as const;

const REGION_OF: Record<string, "helse-sor-ost" | "helse-vest" | "helse-midt-norge" | "helse-nord"> = {};
for (const id of [
  "ous",
  "ahus",
  "sykehuset-ostfold",
  "sykehuset-innlandet",
  "vestre-viken",
  "sykehuset-vestfold",
  "sykehuset-telemark",
  "sorlandet-sykehus",
  "sunnaas",
  "lovisenberg",
  "diakonhjemmet",
  "martina-hansens",
  "revmatismesykehuset",
  "modum-bad",
])
  REGION_OF[id] = "helse-sor-ost";
for (const id of ["helse-stavanger", "helse-fonna", "helse-bergen", "helse-forde", "haraldsplass"])
  REGION_OF[id] = "helse-vest";
for (const id of ["st-olavs", "helse-nord-trondelag", "helse-more-og-romsdal"]) REGION_OF[id] = "helse-midt-norge";
for (const id of ["unn", "nordlandssykehuset", "helgelandssykehuset", "finnmarkssykehuset"])
  REGION_OF[id] = "helse-nord";

const HRCS = new Set([
  "blood",
  "cancer",
  "cardiovascular",
  "congenital",
  "ear",
  "eye",
  "infection",
  "inflammatory-immune",
  "injuries-accidents",
  "mental-health",
  "metabolic-endocrine",
  "musculoskeletal",
  "neurological",
  "oral-gastrointestinal",
  "renal-urogenital",
  "reproductive-health",
  "respiratory",
  "skin",
  "stroke",
  "generic",
  "other",
]);

/** A reference list from data/reference, when it is there (it is written by another part of the project). */
function readReference<T>(file: string, key: string): T[] | null {
  const path = fileURLToPath(new URL(`../../data/reference/${file}`, import.meta.url));
  if (!existsSync(path)) return null;
  const json: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (Array.isArray(json)) return json as T[];
  const list = (json as Record<string, unknown>)[key];
  return Array.isArray(list) ? (list as T[]) : null;
}
const referenceOrganisations = readReference<{ id: string; regionId: string; hospitals: { id: string }[] }>(
  "organisations.json",
  "organisations",
);
const referenceIcd10 = readReference<{ code: string }>("icd10.json", "icd10");
const referenceHrcs = readReference<{ id: string }>("hrcs-categories.json", "hrcsCategories");

const specs: DemoStudySpec[] = demoStudySpecs;
const published = specs.filter((s) => s.publicationState === "published");

function parseAll(today: string): { key: string; study: Study }[] {
  const failures: string[] = [];
  const parsed: { key: string; study: Study }[] = [];
  for (const spec of specs) {
    const { key, study } = materialiseDemoStudy(spec, today);
    const result = studyInputSchema.safeParse(study);
    if (result.success) parsed.push({ key, study: result.data });
    else
      failures.push(
        `${key}: ${describeProblems(result.error)
          .map((p) => `${p.field}: ${p.message}`)
          .join("; ")}`,
      );
  }
  if (failures.length) console.error(`Demo studies rejected for ${today}:\n${failures.join("\n")}`);
  expect(failures).toEqual([]);
  return parsed;
}

/** Every text value anywhere in a spec (for checks on e-mails, links and wording). */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => allStrings(v, out));
  return out;
}

describe("demo studies: valid on any seed day", () => {
  for (const { today } of SEED_DAYS) {
    it(`every spec materialised for ${today} passes studyInputSchema`, () => {
      const parsed = parseAll(today);
      expect(parsed).toHaveLength(specs.length);
      for (const { study } of parsed) expect(study.isDemo).toBe(true);
    });
  }

  it("keys are unique and numbered DEMO-001, DEMO-002, …", () => {
    const keys = specs.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    keys.forEach((key, index) => expect(key).toBe(`DEMO-${String(index + 1).padStart(3, "0")}`));
  });

  it("no two studies share a registry identifier (they would be merged as one study)", () => {
    const seen = new Map<string, string>();
    for (const spec of specs) {
      for (const [kind, value] of Object.entries((spec.identifiers ?? {}) as Record<string, unknown>)) {
        if (typeof value !== "string") continue;
        const id = `${kind}:${value}`;
        expect(seen.get(id), `${spec.key} and ${seen.get(id)} share ${id}`).toBeUndefined();
        seen.set(id, spec.key);
      }
    }
  });

  it("every study has a dated site or a declared status, so re-seeding on a later day moves its dates", () => {
    for (const spec of specs) {
      expect(
        spec.sites.some((s) => s.startOffsetDays != null || s.endOffsetDays != null || s.declared != null),
        `${spec.key} has no dated site`,
      ).toBe(true);
    }
  });
});

describe.runIf(referenceOrganisations || referenceIcd10 || referenceHrcs)(
  "demo studies: match the reference lists",
  () => {
    it.runIf(referenceOrganisations)(
      "organisations, regions and hospitals exist in data/reference/organisations.json",
      () => {
        const orgs = new Map(referenceOrganisations!.map((o) => [o.id, o]));
        for (const [id, region] of Object.entries(REGION_OF)) expect(orgs.get(id)?.regionId, id).toBe(region);
        let withHospital = 0;
        let sites = 0;
        for (const spec of specs) {
          const ids = [
            spec.leadOrganisationId,
            spec.principalInvestigator?.organisationId,
            ...(spec.localIds ?? []).map((l) => l.organisationId),
            ...spec.sites.map((s) => s.organisationId),
          ].filter((id): id is string => typeof id === "string");
          for (const id of ids) expect(orgs.has(id), `${spec.key}: unknown organisation ${id}`).toBe(true);
          for (const site of spec.sites) {
            sites++;
            if (site.hospitalId == null) continue;
            withHospital++;
            const hospitals =
              (site.organisationId ? orgs.get(site.organisationId)?.hospitals.map((h) => h.id) : null) ?? [];
            expect(hospitals, `${spec.key}: ${site.hospitalId} is not a hospital of ${site.organisationId}`).toContain(
              site.hospitalId,
            );
          }
        }
        expect(withHospital / sites, "most sites name their hospital").toBeGreaterThan(0.75);
      },
    );

    it.runIf(referenceIcd10)("every ICD-10 code is in data/reference/icd10.json", () => {
      const codes = new Set(referenceIcd10!.map((c) => c.code));
      for (const spec of specs)
        for (const code of spec.icd10 ?? []) expect(codes.has(code), `${spec.key}: ${code}`).toBe(true);
    });

    it.runIf(referenceHrcs)("every HRCS category is in data/reference/hrcs-categories.json", () => {
      const ids = new Set(referenceHrcs!.map((c) => c.id));
      for (const spec of specs)
        for (const c of spec.categories ?? []) expect(ids.has(c), `${spec.key}: ${c}`).toBe(true);
    });
  },
);

describe("demo studies: clearly fictional", () => {
  it("every plain-language summary ends with the demo sentence", () => {
    for (const spec of specs) {
      const summary = spec.summary as { nb: string; nn?: string | null; en?: string | null };
      expect(summary.nb.trim().endsWith(DEMO_SENTENCE_NB), spec.key).toBe(true);
      if (summary.nn) expect(summary.nn.trim().endsWith(DEMO_SENTENCE_NN), spec.key).toBe(true);
      if (summary.en) expect(summary.en.trim().endsWith(DEMO_SENTENCE_EN), spec.key).toBe(true);
    }
    expect(DEMO_SENTENCE_NB).toBe("Dette er en fiktiv demostudie.");
  });

  it("all e-mail addresses are at example.no", () => {
    let count = 0;
    for (const spec of specs) {
      for (const text of allStrings(spec)) {
        if (!text.includes("@")) continue;
        count++;
        expect(text, spec.key).toMatch(/^[a-z0-9.-]+@example\.no$/);
      }
    }
    expect(count).toBeGreaterThan(specs.length);
  });

  it("all links start with https://example.no/ and no other web address appears", () => {
    for (const spec of specs) {
      for (const link of spec.links ?? [])
        expect(link.url.startsWith("https://example.no/"), `${spec.key}: ${link.url}`).toBe(true);
      for (const text of allStrings(spec)) {
        for (const url of text.match(/https?:\/\/\S+/g) ?? [])
          expect(url.startsWith("https://example.no/"), `${spec.key}: ${url}`).toBe(true);
        expect(/\bwww\./.test(text), `${spec.key}: ${text}`).toBe(false);
      }
    }
  });

  it("registry identifiers cannot be real: NCT9…, EU CT 2099-…, ISRCTN9…, REK 9xxxxx", () => {
    for (const spec of specs) {
      const ids = (spec.identifiers ?? {}) as Record<string, string | null | undefined>;
      if (ids.nct) expect(ids.nct, spec.key).toMatch(/^NCT9\d{7}$/);
      if (ids.euCt) expect(ids.euCt, spec.key).toMatch(/^2099-5\d{5}-\d{2}-00$/);
      if (ids.isrctn) expect(ids.isrctn, spec.key).toMatch(/^ISRCTN9\d{7}$/);
      expect(ids.eudract ?? null, spec.key).toBeNull();
      expect(ids.rek, `${spec.key} has no REK number`).toMatch(/^9\d{5}$/);
    }
  });

  it("phone numbers are fake +47 00 … numbers", () => {
    for (const spec of specs) {
      const contacts = [...(spec.contacts ?? []), ...spec.sites.flatMap((s) => (s.contact ? [s.contact] : []))];
      for (const contact of contacts) {
        if (contact.phone) expect(contact.phone, spec.key).toMatch(/^\+47 00 00 \d{2} \d{2}$/);
      }
    }
  });
});

describe("demo studies: spread", () => {
  it("has at least 60 studies, mostly published", () => {
    expect(specs.length).toBeGreaterThanOrEqual(60);
    const states = specs.map((s) => s.publicationState);
    expect(states.filter((s) => s === "draft").length).toBeGreaterThanOrEqual(1);
    expect(states).toContain("submitted");
    expect(states).toContain("withdrawn");
    expect(published.length).toBeGreaterThanOrEqual(specs.length - 5);
  });

  it("organisations from all four regions lead studies, at least 15 different lead organisations", () => {
    const leads = new Set(specs.map((s) => s.leadOrganisationId));
    for (const lead of leads) expect(REGION_OF[lead], `unknown organisation ${lead}`).toBeDefined();
    expect(new Set([...leads].map((id) => REGION_OF[id]))).toEqual(
      new Set(["helse-sor-ost", "helse-vest", "helse-midt-norge", "helse-nord"]),
    );
    expect(leads.size).toBeGreaterThanOrEqual(15);
  });

  it("sites span at least 20 organisations; at least 15 multi-centre studies", () => {
    // Places that are no registered organisation (organisationId null) are kept as written.
    const siteOrgs = new Set(
      specs.flatMap((s) => s.sites.map((site) => site.organisationId).filter((id): id is string => id != null)),
    );
    for (const org of siteOrgs) expect(REGION_OF[org], `unknown organisation ${org}`).toBeDefined();
    expect(siteOrgs.size).toBeGreaterThanOrEqual(20);
    const multi = specs.filter((s) => new Set(s.sites.map((site) => site.organisationId)).size >= 2);
    expect(multi.length).toBeGreaterThanOrEqual(15);
    // Multi-centre studies have their own window per site.
    const withDifferentWindows = multi.filter(
      (s) => new Set(s.sites.map((site) => `${site.startOffsetDays}/${site.endOffsetDays}`)).size > 1,
    );
    expect(withDifferentWindows.length).toBeGreaterThanOrEqual(15);
  });

  it("mixes study types, phases, HRCS categories, ages and sexes", () => {
    const treatmentWithPhase = specs.filter(
      (s) => s.studyType === "treatment" && s.phase && s.phase !== "not_applicable",
    );
    expect(treatmentWithPhase.length).toBeGreaterThanOrEqual(44);
    const observational = specs.filter((s) => s.studyType === "observational");
    expect(observational.length).toBeGreaterThanOrEqual(12);
    for (const s of observational) expect([null, "not_applicable"], s.key).toContain(s.phase ?? null);
    expect(specs.some((s) => s.studyType === "other")).toBe(true);

    const categories = new Set(specs.flatMap((s) => s.categories ?? []));
    for (const c of categories) expect(HRCS.has(c), `unknown HRCS category ${c}`).toBe(true);
    expect(categories.size).toBeGreaterThanOrEqual(15);

    const eligibility = specs.map((s) => s.eligibility ?? {});
    expect(eligibility.some((e) => e.sex === "female")).toBe(true);
    expect(eligibility.some((e) => e.sex === "male")).toBe(true);
    expect(eligibility.some((e) => e.maxAgeYears != null && e.maxAgeYears < 18)).toBe(true);
    expect(eligibility.some((e) => e.minAgeYears != null && e.minAgeYears >= 65)).toBe(true);
    const healthy = eligibility.filter((e) => e.healthyVolunteers === true).length;
    expect(healthy).toBeGreaterThanOrEqual(2);
    expect(healthy).toBeLessThanOrEqual(4);
  });

  it("has criteria as one-per-line lists, and English and nynorsk on some studies", () => {
    for (const spec of specs) {
      for (const field of ["inclusionCriteria", "exclusionCriteria"] as const) {
        const text = (spec.eligibility?.[field] as { nb?: string } | undefined)?.nb ?? "";
        const lines = text.split("\n");
        expect(lines.length, `${spec.key} ${field}`).toBeGreaterThanOrEqual(1);
        for (const line of lines) expect(line.startsWith("- "), `${spec.key} ${field}: ${line}`).toBe(true);
      }
    }
    const title = (s: DemoStudySpec) => s.title as { nb: string; nn?: string | null; en?: string | null };
    const summary = (s: DemoStudySpec) => s.summary as { nb: string; nn?: string | null; en?: string | null };
    expect(specs.filter((s) => title(s).en && summary(s).en).length).toBeGreaterThanOrEqual(20);
    expect(specs.filter((s) => title(s).nn && summary(s).nn).length).toBeGreaterThanOrEqual(5);
  });

  it("has site windows for the edge cases: ends today, starts today, starts tomorrow, ended yesterday, open-ended, not scheduled", () => {
    const sites = published.flatMap((s) => s.sites);
    expect(sites.some((s) => s.endOffsetDays === 0)).toBe(true);
    expect(sites.some((s) => s.startOffsetDays === 0)).toBe(true);
    expect(sites.some((s) => s.startOffsetDays === 1)).toBe(true);
    expect(sites.some((s) => s.endOffsetDays === -1)).toBe(true);
    expect(sites.some((s) => s.startOffsetDays != null && s.startOffsetDays <= 0 && s.endOffsetDays === null)).toBe(
      true,
    );
    expect(sites.some((s) => s.startOffsetDays === null)).toBe(true);
    expect(
      sites.filter((s) => s.endOffsetDays != null && s.endOffsetDays > 0 && s.endOffsetDays <= 30).length,
    ).toBeGreaterThanOrEqual(3);
    for (const s of sites.filter((x) => x.paused)) expect(s.pauseReason, "a paused site needs a reason").toBeTruthy();
    expect(sites.filter((s) => s.referral).length).toBeGreaterThanOrEqual(20);
  });

  it("typical patient searches find a published study", () => {
    const searches = [
      "brystkreft",
      "hjerteinfarkt",
      "diabetes",
      "depresjon",
      "slag",
      "kols",
      "ms",
      "revmatoid artritt",
      "adhd",
      "prostatakreft",
      "parkinson",
      "epilepsi",
      "covid",
      "psykose",
    ];
    const words = (s: DemoStudySpec) =>
      allStrings([s.title, s.shortTitle, s.conditions])
        .join(" ")
        .toLowerCase()
        .split(/[^a-zæøå0-9]+/);
    for (const term of searches) {
      const hits = published.filter((s) => {
        const w = words(s);
        return term.includes(" ")
          ? allStrings(s.conditions).join(" ").toLowerCase().includes(term)
          : w.some((x) => x.startsWith(term) || x.endsWith(term));
      });
      expect(hits.length, `no published study for «${term}»`).toBeGreaterThan(0);
    }
  });
});

describe("demo studies: derived inclusion status on the seed day", () => {
  for (const { today, noon } of SEED_DAYS) {
    const instants = [
      { label: "start of the day", now: startOfOsloDay(today) },
      { label: "noon", now: new Date(noon) },
    ];
    for (const { label, now } of instants) {
      it(`seeded ${today}, at ${label} in Oslo: published studies are open, planned, closed and paused`, () => {
        expect(osloDate(now)).toBe(today);
        const parsed = new Map(parseAll(today).map(({ key, study }) => [key, study]));
        const statusOf = (key: string) => studyStatus(parsed.get(key)!.sites, now);
        const counts = new Map<string, number>();
        for (const spec of published) {
          const status = statusOf(spec.key);
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
        for (const status of ["open", "planned", "closed", "paused"]) {
          expect(counts.get(status) ?? 0, `no published study is ${status}`).toBeGreaterThan(0);
        }
        expect(counts.get("no_sites") ?? 0).toBe(0);
        expect(counts.get("open")!).toBeGreaterThanOrEqual(30);
        expect(counts.get("closed")!).toBeGreaterThanOrEqual(10);

        // The edge-case sites keep their meaning whatever the date.
        const sitesWith = (pred: (s: DemoStudySpec["sites"][number]) => boolean) =>
          published.flatMap((spec) =>
            spec.sites
              .map((site, index) => ({ site, parsed: parsed.get(spec.key)!.sites[index]! }))
              .filter(({ site }) => pred(site)),
          );
        for (const { parsed: site } of sitesWith((s) => !s.paused && s.endOffsetDays === 0))
          expect(siteStatus(site, now)).toBe("open");
        for (const { parsed: site } of sitesWith((s) => !s.paused && s.startOffsetDays === 0))
          expect(siteStatus(site, now)).toBe("open");
        for (const { parsed: site } of sitesWith((s) => !s.paused && s.startOffsetDays === 1))
          expect(siteStatus(site, now)).toBe("planned");
        for (const { parsed: site } of sitesWith((s) => s.endOffsetDays === -1))
          expect(siteStatus(site, now)).toBe("closed");
        for (const { parsed: site } of sitesWith((s) => !s.paused && s.startOffsetDays === null && !s.declared))
          expect(siteStatus(site, now)).toBe("planned");
        // Declared statuses: the hospital's "Åpen for rekruttering", a registry's "by invitation",
        // and a "recruiting" verified too long ago (unknown, needs confirmation).
        const declaredStatuses = new Set(
          sitesWith((s) => s.declared != null).map(({ parsed: site }) => siteStatus(site, now)),
        );
        expect([...declaredStatuses].sort()).toEqual(["invitation", "open", "unknown"]);
        for (const { parsed: site } of sitesWith(
          (s) => !s.paused && s.startOffsetDays != null && s.startOffsetDays <= 0 && s.endOffsetDays === null,
        )) {
          expect(siteStatus(site, now)).toBe("open");
        }
      });
    }
  }
});
