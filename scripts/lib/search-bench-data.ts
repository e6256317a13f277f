/**
 * Seeded, realistic search data for scripts/bench-search.ts: studies as SearchDocuments (1–4 sites
 * each at real Norwegian hospitals from data/reference, Norwegian titles and conditions, ICD-10 and
 * HRCS codes from the reference lists, inclusion windows spread around "now") and a fixed mix of
 * realistic queries (patients, clinicians, researchers, typos, æ/ø/å, paging…). Deterministic for
 * a given seed and day.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadReferenceData } from "#app/boot.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate, startOfOsloDay } from "#app/domain/inclusion-status";
import { gunzipSync } from "node:zlib";
import { parseShippedPostcodes } from "#app/domain/postcode-list";
import { queryText } from "#app/search/query-terms";
import type { SearchDocument, SearchQuery } from "#app/search/types";

// =============================================================================================
// Seeded randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  weighted<T>(xs: readonly T[], weight: (x: T) => number): T {
    const total = xs.reduce((s, x) => s + weight(x), 0);
    let r = this.next() * total;
    for (const x of xs) {
      r -= weight(x);
      if (r < 0) return x;
    }
    return xs.at(-1)!;
  }
  /** k distinct items. */
  sample<T>(xs: readonly T[], k: number, weight: (x: T) => number = () => 1): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < k && pool.length) {
      const x = this.weighted(pool, weight);
      out.push(x);
      pool.splice(pool.indexOf(x), 1);
    }
    return out;
  }
}

// =============================================================================================
// Vocabulary: disease areas with Norwegian conditions, ICD-10 codes (data/reference/icd10.json or
// their sub-codes), HRCS categories (data/reference/hrcs-categories.json) and interventions.

interface Area {
  code: string;
  weight: number;
  conditions: string[];
  en: string;
  icd10: string[];
  categories: string[];
  interventions: string[];
  sex?: "female" | "male";
  ages?: "adult" | "child" | "elderly";
}

const AREAS: Area[] = [
  {
    code: "BRYST",
    weight: 8,
    en: "breast cancer",
    conditions: [
      "Brystkreft",
      "Mammacancer",
      "HER2-positiv brystkreft",
      "Trippel-negativ brystkreft",
      "Metastatisk brystkreft",
    ],
    icd10: ["C50", "C509"],
    categories: ["cancer"],
    interventions: [
      "cellegift",
      "strålebehandling",
      "endokrin behandling",
      "trastuzumab",
      "immunterapi",
      "brystbevarende kirurgi",
    ],
    sex: "female",
  },
  {
    code: "LUNG",
    weight: 6,
    en: "lung cancer",
    conditions: ["Lungekreft", "Ikke-småcellet lungekreft", "Småcellet lungekreft", "Lungecancer"],
    icd10: ["C34", "C341", "C349"],
    categories: ["cancer", "respiratory"],
    interventions: [
      "immunterapi",
      "pembrolizumab",
      "stereotaktisk strålebehandling",
      "cellegift",
      "lungekirurgi",
      "målrettet behandling",
    ],
  },
  {
    code: "COLON",
    weight: 5,
    en: "colorectal cancer",
    conditions: ["Tykktarmskreft", "Endetarmskreft", "Kolorektal kreft", "Tarmkreft"],
    icd10: ["C18", "C20"],
    categories: ["cancer", "oral-gastrointestinal"],
    interventions: [
      "laparoskopisk kirurgi",
      "cellegift",
      "screening med koloskopi",
      "strålebehandling",
      "fysisk aktivitet",
    ],
  },
  {
    code: "PROST",
    weight: 4,
    en: "prostate cancer",
    conditions: ["Prostatakreft", "Prostatacancer", "Metastatisk prostatakreft"],
    icd10: ["C61"],
    categories: ["cancer", "renal-urogenital"],
    interventions: ["hormonbehandling", "strålebehandling", "robotassistert kirurgi", "aktiv overvåking", "PSMA-PET"],
    sex: "male",
  },
  {
    code: "HEM",
    weight: 4,
    en: "haematological cancer",
    conditions: [
      "Akutt myelogen leukemi",
      "Kronisk lymfatisk leukemi",
      "Lymfom",
      "Myelomatose",
      "Hodgkins lymfom",
      "Blodkreft",
    ],
    icd10: ["C91", "C910", "C92", "C920", "C81", "C83", "C85", "C90"],
    categories: ["cancer", "blood"],
    interventions: ["stamcelletransplantasjon", "CAR-T-celleterapi", "cellegift", "antistoffbehandling"],
  },
  {
    code: "GLIO",
    weight: 1.5,
    en: "brain tumour",
    conditions: ["Glioblastom", "Hjernesvulst", "Gliom"],
    icd10: ["C71"],
    categories: ["cancer", "neurological"],
    interventions: ["strålebehandling", "temozolomid", "kirurgi", "tumorbehandlende felt"],
  },
  {
    code: "MEL",
    weight: 2,
    en: "melanoma",
    conditions: ["Føflekkreft", "Malignt melanom"],
    icd10: ["C43"],
    categories: ["cancer", "skin"],
    interventions: ["immunterapi", "kirurgi", "målrettet behandling"],
  },
  {
    code: "GYN",
    weight: 2,
    en: "gynaecological cancer",
    conditions: ["Eggstokkreft", "Livmorhalskreft", "Livmorkreft"],
    icd10: ["C56", "C53", "C54"],
    categories: ["cancer", "reproductive-health"],
    interventions: ["kirurgi", "cellegift", "PARP-hemmer", "HPV-test"],
    sex: "female",
  },
  {
    code: "ONK",
    weight: 2,
    en: "cancer",
    conditions: [
      "Kreft i bukspyttkjertelen",
      "Magekreft",
      "Nyrekreft",
      "Blærekreft",
      "Leverkreft",
      "Skjoldbruskkjertelkreft",
    ],
    icd10: ["C25", "C16", "C64", "C67", "C22", "C73"],
    categories: ["cancer"],
    interventions: ["cellegift", "kirurgi", "immunterapi", "palliativ behandling"],
  },
  {
    code: "MI",
    weight: 5,
    en: "myocardial infarction",
    conditions: ["Hjerteinfarkt", "Akutt hjerteinfarkt", "Myokardinfarkt", "Akutt koronarsyndrom", "Angina pectoris"],
    icd10: ["I21", "I219", "I20", "I25"],
    categories: ["cardiovascular"],
    interventions: ["PCI", "blodfortynnende behandling", "hjerterehabilitering", "statiner", "fysisk trening"],
  },
  {
    code: "HF",
    weight: 3,
    en: "heart failure",
    conditions: ["Hjertesvikt", "Kronisk hjertesvikt"],
    icd10: ["I50"],
    categories: ["cardiovascular"],
    interventions: ["SGLT2-hemmer", "fjernoppfølging", "fysisk trening", "pacemaker"],
  },
  {
    code: "AF",
    weight: 3,
    en: "atrial fibrillation",
    conditions: ["Atrieflimmer", "Hjerteflimmer"],
    icd10: ["I48"],
    categories: ["cardiovascular"],
    interventions: ["kateterablasjon", "antikoagulasjon", "digital rytmeovervåking"],
  },
  {
    code: "BP",
    weight: 2,
    en: "hypertension",
    conditions: ["Høyt blodtrykk", "Hypertensjon"],
    icd10: ["I10"],
    categories: ["cardiovascular"],
    interventions: ["blodtrykksmåling hjemme", "saltredusert kost", "kombinasjonstablett"],
  },
  {
    code: "SLAG",
    weight: 5,
    en: "stroke",
    conditions: ["Hjerneslag", "Hjerneinfarkt", "Akutt hjerneslag", "Hjerneblødning"],
    icd10: ["I63", "I64", "I61"],
    categories: ["stroke", "cardiovascular", "neurological"],
    interventions: ["trombolyse", "trombektomi", "rehabilitering", "fysioterapi", "tidlig mobilisering"],
  },
  {
    code: "DIAB",
    weight: 6,
    en: "diabetes",
    conditions: ["Diabetes type 2", "Diabetes type 1", "Diabetes", "Sukkersyke"],
    icd10: ["E11", "E119", "E10"],
    categories: ["metabolic-endocrine"],
    interventions: [
      "insulin",
      "GLP-1-analog",
      "kostholdsveiledning",
      "fysisk aktivitet",
      "kontinuerlig glukosemåling",
      "insulinpumpe",
    ],
  },
  {
    code: "FEDME",
    weight: 2,
    en: "obesity",
    conditions: ["Overvekt", "Fedme", "Sykelig overvekt"],
    icd10: ["E66"],
    categories: ["metabolic-endocrine"],
    interventions: ["fedmekirurgi", "livsstilsintervensjon", "semaglutid"],
  },
  {
    code: "KOLS",
    weight: 4,
    en: "COPD and asthma",
    conditions: ["KOLS", "Kronisk obstruktiv lungesykdom", "Astma", "Lungebetennelse"],
    icd10: ["J44", "J45", "J18"],
    categories: ["respiratory"],
    interventions: ["inhalasjonsmedisin", "lungerehabilitering", "antibiotika", "hjemmeoksygen"],
  },
  {
    code: "DEP",
    weight: 5,
    en: "depression and anxiety",
    conditions: [
      "Depresjon",
      "Alvorlig depressiv lidelse",
      "Angstlidelse",
      "Panikklidelse",
      "Posttraumatisk stresslidelse",
    ],
    icd10: ["F32", "F33", "F41", "F431"],
    categories: ["mental-health"],
    interventions: [
      "kognitiv atferdsterapi",
      "internettbasert terapi",
      "antidepressiva",
      "elektrokonvulsiv behandling",
      "mindfulness",
    ],
  },
  {
    code: "PSYK",
    weight: 2,
    en: "psychosis",
    conditions: ["Schizofreni", "Psykose", "Bipolar lidelse"],
    icd10: ["F20", "F23", "F31"],
    categories: ["mental-health"],
    interventions: ["antipsykotika", "familiebehandling", "arbeidsrettet oppfølging"],
  },
  {
    code: "BUP",
    weight: 2,
    en: "child and adolescent mental health",
    conditions: ["ADHD", "Autisme", "Spiseforstyrrelser", "Anoreksi"],
    icd10: ["F90", "F84", "F50"],
    categories: ["mental-health"],
    interventions: ["foreldreveiledning", "familiebasert behandling", "sentralstimulerende medisin"],
    ages: "child",
  },
  {
    code: "RUS",
    weight: 1,
    en: "substance use",
    conditions: ["Alkoholavhengighet", "Rusmiddelavhengighet"],
    icd10: ["F10"],
    categories: ["mental-health"],
    interventions: ["legemiddelassistert rehabilitering", "motiverende intervju"],
  },
  {
    code: "MS",
    weight: 2,
    en: "multiple sclerosis",
    conditions: ["Multippel sklerose", "MS"],
    icd10: ["G35"],
    categories: ["neurological", "inflammatory-immune"],
    interventions: ["stamcelletransplantasjon", "rituksimab", "fysisk trening"],
  },
  {
    code: "PARK",
    weight: 2,
    en: "Parkinson's disease",
    conditions: ["Parkinsons sykdom", "Parkinson"],
    icd10: ["G20"],
    categories: ["neurological"],
    interventions: ["dyp hjernestimulering", "levodopa", "balansetrening"],
    ages: "elderly",
  },
  {
    code: "DEM",
    weight: 3,
    en: "dementia",
    conditions: ["Demens", "Alzheimers sykdom", "Kognitiv svikt"],
    icd10: ["G30", "F03"],
    categories: ["neurological", "mental-health"],
    interventions: ["pårørendestøtte", "antistoffbehandling", "kognitiv trening"],
    ages: "elderly",
  },
  {
    code: "EPI",
    weight: 2,
    en: "epilepsy",
    conditions: ["Epilepsi"],
    icd10: ["G40"],
    categories: ["neurological"],
    interventions: ["epilepsikirurgi", "ketogen diett", "vagusnervestimulering"],
  },
  {
    code: "SOVN",
    weight: 2,
    en: "migraine and sleep",
    conditions: ["Migrene", "Søvnløshet", "Søvnapné"],
    icd10: ["G43", "G47", "G473"],
    categories: ["neurological"],
    interventions: ["CPAP", "kognitiv terapi for søvn", "CGRP-hemmer"],
  },
  {
    code: "RA",
    weight: 3,
    en: "rheumatoid arthritis",
    conditions: ["Leddgikt", "Revmatoid artritt", "Bekhterevs sykdom", "Psoriasisartritt"],
    icd10: ["M05", "M06", "M45"],
    categories: ["inflammatory-immune", "musculoskeletal"],
    interventions: ["biologiske legemidler", "metotreksat", "trening"],
  },
  {
    code: "ARTROSE",
    weight: 3,
    en: "osteoarthritis",
    conditions: ["Artrose i hofte", "Artrose i kne", "Slitasjegikt", "Hofteprotese", "Kneprotese"],
    icd10: ["M16", "M17", "M15"],
    categories: ["musculoskeletal"],
    interventions: ["protesekirurgi", "fysioterapi", "treningsprogram", "smertelindring"],
  },
  {
    code: "RYGG",
    weight: 2,
    en: "back pain",
    conditions: ["Korsryggsmerter", "Ryggsmerter", "Fibromyalgi", "Kroniske smerter"],
    icd10: ["M54", "M79", "M797"],
    categories: ["musculoskeletal"],
    interventions: ["ryggkirurgi", "tverrfaglig rehabilitering", "manuellterapi"],
  },
  {
    code: "OSTEO",
    weight: 2,
    en: "osteoporosis and hip fracture",
    conditions: ["Osteoporose", "Hoftebrudd", "Lårhalsbrudd"],
    icd10: ["M81", "S72", "S720"],
    categories: ["musculoskeletal", "injuries-accidents"],
    interventions: ["benbyggende medisin", "ortogeriatrisk behandling", "fallforebygging"],
    ages: "elderly",
  },
  {
    code: "TBI",
    weight: 1,
    en: "brain and spinal cord injury",
    conditions: ["Traumatisk hjerneskade", "Hodeskade", "Ryggmargsskade"],
    icd10: ["S06", "G82"],
    categories: ["injuries-accidents", "neurological"],
    interventions: ["rehabilitering", "intensivbehandling", "robotassistert gangtrening"],
  },
  {
    code: "IBD",
    weight: 2,
    en: "inflammatory bowel disease",
    conditions: ["Crohns sykdom", "Ulcerøs kolitt", "Inflammatorisk tarmsykdom", "Cøliaki"],
    icd10: ["K50", "K51", "K900"],
    categories: ["oral-gastrointestinal", "inflammatory-immune"],
    interventions: ["biologiske legemidler", "glutenfri kost", "kirurgi"],
  },
  {
    code: "LEVER",
    weight: 1,
    en: "liver disease",
    conditions: ["Leversykdom", "Levercirrhose", "Gallestein"],
    icd10: ["K70", "K74", "K80"],
    categories: ["oral-gastrointestinal"],
    interventions: ["levertransplantasjon", "kikkhullskirurgi", "ernæringsbehandling"],
  },
  {
    code: "NYRE",
    weight: 2,
    en: "kidney disease",
    conditions: ["Kronisk nyresykdom", "Nyresvikt", "Urinveisinfeksjon"],
    icd10: ["N18", "N39", "N390", "N10"],
    categories: ["renal-urogenital"],
    interventions: ["dialyse", "nyretransplantasjon", "antibiotika"],
  },
  {
    code: "INF",
    weight: 3,
    en: "infection",
    conditions: ["Covid-19", "Sepsis", "Hiv", "Kronisk hepatitt B", "Rosen", "Langvarig covid"],
    icd10: ["U07", "U071", "A41", "B20", "B18", "A46", "U09"],
    categories: ["infection"],
    interventions: ["vaksine", "antiviral behandling", "antibiotika", "hurtigtest"],
  },
  {
    code: "SVANGER",
    weight: 2,
    en: "pregnancy",
    conditions: [
      "Svangerskapsforgiftning",
      "Svangerskapsdiabetes",
      "Blødning etter fødsel",
      "Endometriose",
      "For tidlig fødsel",
    ],
    icd10: ["O14", "O24", "O72", "N80"],
    categories: ["reproductive-health"],
    interventions: ["acetylsalisylsyre", "kostholdsveiledning", "igangsetting av fødsel"],
    sex: "female",
  },
  {
    code: "HUD",
    weight: 2,
    en: "skin disease",
    conditions: ["Psoriasis", "Atopisk eksem", "Hidradenitt"],
    icd10: ["L40", "L20"],
    categories: ["skin", "inflammatory-immune"],
    interventions: ["lysbehandling", "biologiske legemidler", "hudpleie"],
  },
  {
    code: "SANS",
    weight: 2,
    en: "eye and ear disease",
    conditions: ["Grønn stær", "Aldersrelatert makuladegenerasjon", "Hørselstap", "Tinnitus"],
    icd10: ["H40", "H35", "H353", "H91"],
    categories: ["eye", "ear"],
    interventions: ["øyedråper", "injeksjonsbehandling", "cochleaimplantat", "høreapparat"],
  },
  {
    code: "MEDF",
    weight: 1,
    en: "congenital conditions",
    conditions: ["Medfødt hjertefeil", "Downs syndrom", "Cystisk fibrose", "Cerebral parese"],
    icd10: ["Q21", "Q90", "E84", "G80"],
    categories: ["congenital"],
    interventions: ["hjertekirurgi", "CFTR-modulator", "intensiv trening"],
    ages: "child",
  },
  {
    code: "BLOD",
    weight: 1,
    en: "blood disorders and thrombosis",
    conditions: ["Jernmangelanemi", "Blodpropp", "Lungeemboli", "Trombocytopeni"],
    icd10: ["D50", "I80", "I26", "D69"],
    categories: ["blood", "cardiovascular"],
    interventions: ["jerninfusjon", "blodfortynnende behandling", "kompresjonsstrømper"],
  },
  {
    code: "STOFF",
    weight: 1,
    en: "metabolic disorders",
    conditions: ["Lavt stoffskifte", "Høyt kolesterol", "Familiær hyperkolesterolemi"],
    icd10: ["E03", "E78"],
    categories: ["metabolic-endocrine"],
    interventions: ["levotyroksin", "PCSK9-hemmer", "statiner"],
  },
  {
    code: "REFLUKS",
    weight: 0.5,
    en: "reflux",
    conditions: ["Refluks", "Halsbrann"],
    icd10: ["K21"],
    categories: ["oral-gastrointestinal"],
    interventions: ["protonpumpehemmer", "refluksoperasjon"],
  },
  {
    code: "LIVSSTIL",
    weight: 1,
    en: "lifestyle and prevention",
    conditions: ["Røykeslutt", "Fysisk inaktivitet", "Friske frivillige"],
    icd10: ["Z71"],
    categories: ["generic"],
    interventions: ["røykesluttprogram", "digital helsecoach", "gruppetrening"],
  },
];

const OUTCOMES = [
  "overlevelse",
  "livskvalitet",
  "funksjon i hverdagen",
  "smertelindring",
  "blodsukkerkontroll",
  "færre tilbakefall",
  "færre sykehusinnleggelser",
  "arbeidsdeltakelse",
  "fysisk form",
  "symptomlette",
];
const PREFIXES = ["NOR", "OSLO", "TRØNDER", "VEST", "NORD", "SCAN", "NORDIC", "HELSE"];
const PROPER =
  /^(Crohns|Parkinsons?|Alzheimers|Bekhterevs|Downs|Hodgkins|Covid|HER2|PCI|PSMA|GLP|CAR|SGLT2|CPAP|CGRP|PARP|HPV|CFTR|PCSK9|KOLS|ADHD|MS)/;
const lc = (s: string) => (PROPER.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));
const uc = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const TITLES: ((c: string, i: string, r: Rand) => string)[] = [
  (c, i) => `${uc(i)} ved ${lc(c)}: en randomisert kontrollert studie`,
  (c, i) => `Effekt av ${i} hos pasienter med ${lc(c)}`,
  (c, i) => `${uc(i)} versus standard behandling ved ${lc(c)}`,
  (c) => `Langtidsoppfølging av pasienter med ${lc(c)}`,
  (c) => `Kartlegging av livskvalitet etter ${lc(c)}`,
  (c) => `Nasjonal kvalitetsstudie om ${lc(c)}`,
  (c, i) => `${uc(lc(c))} hos eldre: ${i} og funksjon`,
  (c, i) => `Tidlig oppdagelse av ${lc(c)} med ${i}`,
  (c) => `Registerstudie: ${lc(c)} i Norge`,
  (c) => `Biobank og genetikk ved ${lc(c)}`,
  (c, i, r) => `${uc(i)} etter ${lc(c)} – en ${r.pick(["multisenter", "nasjonal", "nordisk", "pragmatisk"])}studie`,
  (c, i) => `Kan ${i} bedre hverdagen for personer med ${lc(c)}?`,
];

// =============================================================================================
// Reference data: real organisations, hospitals and coordinates; ICD-10 and HRCS names.

interface HospitalRef {
  organisationId: string;
  organisationName: string;
  regionId: string;
  hospitalId: string;
  hospitalName: string;
  lat: number;
  lon: number;
  weight: number;
}

/** University and large hospitals run most studies (weights are a rough share, not data). */
const HOSPITAL_WEIGHT: Record<string, number> = {
  "ous-rikshospitalet": 6,
  "ous-radiumhospitalet": 4,
  "ous-ulleval": 4,
  "ahus-nordbyhagen": 4,
  "helse-bergen-haukeland": 5,
  "st-olavs-oya": 5,
  "unn-tromso": 4,
  "helse-stavanger-sus": 3,
  "sykehuset-ostfold-kalnes": 2,
  "sykehuset-innlandet-hamar": 1.5,
  "vestre-viken-drammen": 2,
  "sykehuset-vestfold-tonsberg": 2,
  "sorlandet-sykehus-kristiansand": 2,
  "nordlandssykehuset-bodo": 2,
  "helse-more-og-romsdal-alesund": 2,
  "sykehuset-telemark-skien": 1.5,
  "helse-fonna-haugesund": 1.5,
  "helse-forde-forde": 1.2,
  "helse-nord-trondelag-levanger": 1.2,
  "diakonhjemmet-oslo": 1.2,
  "lovisenberg-oslo": 1,
  "haraldsplass-bergen": 1,
  "sunnaas-nesodden": 1,
};

function loadReference() {
  const ref = loadReferenceData();
  const hospitals: HospitalRef[] = ref.organisations.flatMap((o) =>
    o.hospitals
      .filter((h) => h.lat != null && h.lon != null)
      .map((h) => ({
        organisationId: o.id,
        organisationName: o.name,
        regionId: o.regionId,
        hospitalId: h.id,
        hospitalName: h.name,
        lat: h.lat!,
        lon: h.lon!,
        weight: HOSPITAL_WEIGHT[h.id] ?? 0.4,
      })),
  );
  const icdNames = new Map(ref.icd10.map((c) => [c.code, c.nameNb]));
  const categoryNames = new Map(ref.hrcsCategories.map((c) => [c.id, c.nameNb]));
  for (const a of AREAS) {
    for (const c of a.categories)
      if (!categoryNames.has(c)) throw new Error(`HRCS category ${c} is not in data/reference/hrcs-categories.json`);
    for (const c of a.icd10)
      if (!icdNames.has(c) && !icdNames.has(c.slice(0, 3)))
        throw new Error(`ICD-10 ${c} is not in data/reference/icd10.json`);
  }
  return { hospitals, icdNames, categoryNames, organisations: ref.organisations };
}

// =============================================================================================
// Generated studies → SearchDocuments (what studyDocuments() would give for them)

/** Generated study ids start here, so studies saved by the ingest measurement (ids 1…) never collide. */
export const STUDY_ID_BASE = 10_000_000;

export function generateDocuments(
  count: number,
  seed: number,
  now: Date,
  batchStudies = 2000,
): { batches: SearchDocument[][]; documents: number; statusMix: Record<string, number> } {
  const { hospitals, icdNames, categoryNames } = loadReference();
  const r = new Rand(seed);
  const today = osloDate(now);
  const nowMs = now.getTime();
  const batches: SearchDocument[][] = [];
  let batch: SearchDocument[] = [];
  let documents = 0;
  let siteSeq = 0;
  const statusMix: Record<string, number> = { open: 0, planned: 0, closed: 0, paused: 0 };
  for (let i = 0; i < count; i++) {
    const studyId = STUDY_ID_BASE + i + 1;
    const area = r.weighted(AREAS, (a) => a.weight);
    const conditions = r.sample(
      area.conditions,
      r.weighted([1, 2, 3], (k) => [0.5, 0.35, 0.15][k - 1]!),
    );
    const condition = conditions[0]!;
    const interventions = r.sample(area.interventions, r.int(1, Math.min(3, area.interventions.length)));
    if (r.chance(0.15))
      interventions.push(r.pick(["placebo", "standard behandling", "digital oppfølging", "pasientopplæring"]));
    const studyType = r.weighted(
      ["treatment", "observational", "other"] as const,
      (t) => ({ treatment: 0.65, observational: 0.28, other: 0.07 })[t],
    );
    const phase =
      studyType === "treatment"
        ? r.weighted(
            ["phase_1", "phase_1_2", "phase_2", "phase_2_3", "phase_3", "phase_4", "not_applicable"],
            (p) =>
              ({ phase_1: 8, phase_1_2: 5, phase_2: 25, phase_2_3: 5, phase_3: 35, phase_4: 12, not_applicable: 10 })[
                p
              ]!,
          )
        : r.chance(0.3)
          ? "not_applicable"
          : null;
    let title = r.pick(TITLES)(condition, interventions[0]!, r);
    if (phase && phase.startsWith("phase") && r.chance(0.3))
      title = `${title} (fase ${phase.slice(6).replace("_", "/")})`;
    const acronym = r.chance(0.4) ? `${r.pick(PREFIXES)}-${area.code}${r.chance(0.5) ? `-${r.int(1, 9)}` : ""}` : null;
    const icd10 = r.sample(area.icd10, r.chance(0.7) ? 1 : Math.min(2, area.icd10.length));
    const categories = [
      ...r.sample(area.categories, r.chance(0.6) ? 1 : Math.min(2, area.categories.length)),
      ...(r.chance(0.08) ? ["generic"] : []),
    ];
    const sex =
      area.sex && r.chance(0.95)
        ? area.sex
        : r.weighted(["all", "female", "male"] as const, (s) => ({ all: 0.92, female: 0.05, male: 0.03 })[s]);
    let minAge: number | null;
    let maxAge: number | null;
    const ages = area.ages ?? (r.chance(0.06) ? "child" : r.chance(0.08) ? "elderly" : "adult");
    if (ages === "child") {
      minAge = r.pick([0, 0, 2, 6, 12]);
      maxAge = r.pick([17, 18]);
    } else if (ages === "elderly") {
      minAge = r.pick([60, 65, 70]);
      maxAge = r.chance(0.7) ? null : r.pick([90, 100]);
    } else {
      minAge = r.weighted(
        [18, 16, 40, 50, null],
        (a) => ({ 18: 0.75, 16: 0.05, 40: 0.06, 50: 0.06 })[String(a)] ?? 0.08,
      );
      maxAge = r.chance(0.45) ? null : r.pick([65, 70, 75, 80, 85, 90]);
    }
    const healthyVolunteers = area.code === "LIVSSTIL" ? r.chance(0.4) : r.chance(0.03);

    // Sites: 1–4 distinct hospitals; one shared study window, each site starting a little later.
    const siteCount = r.weighted([1, 2, 3, 4], (k) => [0.45, 0.3, 0.15, 0.1][k - 1]!);
    const chosen = r.sample(hospitals, siteCount, (h) => h.weight);
    const lead = r.chance(0.85) ? chosen[0]! : r.weighted(hospitals, (h) => h.weight);
    const studyStart = r.int(-1400, 240);
    const duration = 120 + r.int(0, 1200);
    const outcome = r.pick(OUTCOMES);
    const summary = [
      `Studien undersøker om ${interventions[0]} gir bedre ${outcome} enn dagens behandling hos pasienter med ${lc(condition)}.`,
      studyType === "treatment"
        ? `Deltakerne trekkes tilfeldig til to grupper og følges opp i ${r.pick([6, 12, 24, 36, 60])} måneder.`
        : `Vi samler opplysninger fra journal, spørreskjema og blodprøver over ${r.pick([1, 2, 5, 10])} år.`,
      `Studien gjennomføres ved ${chosen[0]!.hospitalName}${chosen.length > 1 ? ` og ${chosen.length - 1} andre sykehus` : ""}.`,
      r.pick([
        "Målet er å finne behandlingen som gir færrest bivirkninger.",
        "Deltakelse innebærer blodprøver, spørreskjema og kontroller på poliklinikken.",
        "Resultatene skal gi bedre og likere behandling i hele landet.",
        "Pårørende kan også delta i deler av studien.",
      ]),
    ].join(" ");
    const updatedAt = nowMs - r.int(0, 900) * 86_400_000;
    const base = {
      studyId,
      title,
      titleEn: r.chance(0.3)
        ? `${uc(interventions[0]!)} in ${area.en}: a ${studyType === "treatment" ? "randomised trial" : "cohort study"}`
        : null,
      shortTitle: acronym,
      summary,
      conditions,
      icd10,
      icd10Names: icd10.map((c) => icdNames.get(c) ?? icdNames.get(c.slice(0, 3))).filter((x): x is string => !!x),
      interventions,
      categories,
      categoryNames: categories.map((c) => categoryNames.get(c) ?? c),
      studyType,
      phase,
      sex,
      minAgeYears: minAge,
      maxAgeYears: maxAge != null && minAge != null && maxAge < minAge ? null : maxAge,
      healthyVolunteers,
      leadOrganisationId: lead.organisationId,
      leadOrganisationName: lead.organisationName,
      updatedAt,
      isDemo: false,
      studyConfirmedUntil: Number.MAX_SAFE_INTEGER,
    };
    chosen.forEach((h, k) => {
      const siteId = ++siteSeq;
      const startOffset = studyStart + (k === 0 ? 0 : r.int(0, 90));
      const start = r.chance(0.04) ? null : addCalendarDays(today, startOffset);
      const end = r.chance(0.08) ? null : addCalendarDays(today, startOffset + duration + r.int(-60, 60));
      const opensAt = start ? startOfOsloDay(start).getTime() : null;
      const closesAt = end ? startOfOsloDay(addCalendarDays(end, 1)).getTime() : null;
      const paused = r.chance(0.03);
      const doc: SearchDocument = {
        ...base,
        id: `${studyId}-${siteId}`,
        siteId,
        organisationId: h.organisationId,
        organisationName: h.organisationName,
        regionId: h.regionId,
        hospitalId: h.hospitalId,
        hospitalName: h.hospitalName,
        opensAt,
        closesAt,
        paused,
        lat: h.lat,
        lon: h.lon,
      };
      const status =
        closesAt != null && nowMs >= closesAt
          ? "closed"
          : paused
            ? "paused"
            : opensAt == null || nowMs < opensAt
              ? "planned"
              : "open";
      statusMix[status]!++;
      batch.push(doc);
      documents++;
    });
    if ((i + 1) % batchStudies === 0) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);
  return { batches, documents, statusMix };
}

// =============================================================================================
// The query mix: who searches for what (fixed and seeded)

export type Shape =
  | "patient"
  | "clinician-icd10"
  | "researcher-facets"
  | "typo"
  | "diacritics"
  | "multi-word"
  | "filters-only"
  | "paging"
  | "prefix"
  | "broad";

export const SHAPE_SHARE: Record<Shape, number> = {
  patient: 0.24,
  "clinician-icd10": 0.12,
  "researcher-facets": 0.12,
  typo: 0.1,
  diacritics: 0.06,
  "multi-word": 0.1,
  "filters-only": 0.1,
  paging: 0.08,
  prefix: 0.05,
  broad: 0.03,
};

export interface BenchQuery {
  shape: Shape;
  query: Omit<SearchQuery, "now">;
}

const LAY: [string, ("female" | "male")?][] = [
  ["brystkreft", "female"],
  ["lungekreft"],
  ["tarmkreft"],
  ["prostatakreft", "male"],
  ["diabetes"],
  ["hjerneslag"],
  ["hjerteinfarkt"],
  ["depresjon"],
  ["angst"],
  ["astma"],
  ["kols"],
  ["ms"],
  ["parkinson"],
  ["demens"],
  ["leddgikt"],
  ["psoriasis"],
  ["overvekt"],
  ["migrene"],
  ["epilepsi"],
  ["hjertesvikt"],
  ["sukkersyke"],
  ["slitasjegikt"],
  ["blodkreft"],
  ["føflekkreft"],
  ["eggstokkreft", "female"],
  ["hoftebrudd"],
  ["covid-19"],
  ["søvnløshet"],
  ["schizofreni"],
  ["nyresvikt"],
];
const ICD_QUERIES = [
  "C50",
  "c34.1",
  "I21",
  "E11",
  "C61",
  "I63",
  "F32",
  "G35",
  "C18",
  "J44",
  "M05",
  "c50.9",
  "i21.9",
  "G20",
  "F41",
];
const MEDICAL = [
  "mammacancer",
  "myokardinfarkt",
  "bronkialkarsinom",
  "apopleksi",
  "hjerteinsuffisiens",
  "schizofreni",
  "revmatoid artritt",
  "diabetes mellitus",
  "kolorektalcancer",
  "glioblastom",
  "myelomatose",
  "atrieflimmer",
  "hypertensjon",
  "osteoporose",
];
const TYPOS = [
  "lungekerft",
  "hjerteinfakt",
  "brystkrfet",
  "diabetis",
  "depresjom",
  "parkinsson",
  "hjernslag",
  "prostatakeft",
  "leddigkt",
  "epilepsy",
  "migrane",
  "hjertsvikt",
  "schizofrenni",
];
const DIACRITICS = [
  "tromso",
  "tromsoe",
  "bodo",
  "forde",
  "alesund",
  "ulleval",
  "baerum",
  "tonsberg",
  "hjertesvikt tromso",
  "kreft bodo",
  "sovnloshet",
  "foflekkreft",
  "hoftebrudd alesund",
];
const MULTI = [
  "brystkreft cellegift",
  "hjerneslag rehabilitering",
  "diabetes type 2 insulin",
  "lungekreft immunterapi",
  "depresjon kognitiv atferdsterapi",
  "hjertesvikt fysisk trening",
  "kreft barn",
  "prostatakreft strålebehandling",
  "leddgikt biologiske legemidler",
  "demens pårørende",
  "hjerteinfarkt rehabilitering trening",
];
const PREFIX = ["lunge", "hjert", "bryst", "diab", "depre", "slag", "parkin", "leukem"];
const BROAD = ["kreft", "hjerte", "smerter", "behandling"];
const REGIONS = ["helse-sor-ost", "helse-vest", "helse-midt-norge", "helse-nord"];
const CATEGORY_IDS = [
  "cancer",
  "cardiovascular",
  "mental-health",
  "neurological",
  "metabolic-endocrine",
  "musculoskeletal",
  "respiratory",
  "stroke",
  "infection",
];
const PHASE_IDS = ["phase_2", "phase_3", "phase_4"];

export function postcodePoints(): { postcode: string; lat: number; lon: number }[] {
  // The shipped list (data/reference/postcodes.tsv.gz, Erik Bolstad's list completed; CC BY 3.0).
  const file = path.resolve(process.cwd(), "data/reference/postcodes.tsv.gz");
  try {
    const rows = parseShippedPostcodes(gunzipSync(readFileSync(file)).toString("utf8")).rows.filter((p) => p.inUse);
    if (rows.length > 100) return rows.map((p) => ({ postcode: p.postcode, lat: p.lat, lon: p.lon }));
  } catch {
    // fall through to a few real points
  }
  return [
    { postcode: "0150", lat: 59.9078, lon: 10.7485 },
    { postcode: "5003", lat: 60.3953, lon: 5.3251 },
    { postcode: "7010", lat: 63.4296, lon: 10.3952 },
    { postcode: "9008", lat: 69.6526, lon: 18.9558 },
    { postcode: "4006", lat: 58.9713, lon: 5.7296 },
    { postcode: "8006", lat: 67.2825, lon: 14.3776 },
  ];
}

export function buildQueries(n: number, seed: number): BenchQuery[] {
  const r = new Rand(seed);
  const points = postcodePoints();
  const shapes: Shape[] = [];
  const entries = Object.entries(SHAPE_SHARE) as [Shape, number][];
  for (const [shape, share] of entries) for (let k = 0; k < Math.max(1, Math.round(share * n)); k++) shapes.push(shape);
  while (shapes.length > n) shapes.splice(shapes.indexOf("patient"), 1);
  while (shapes.length < n) shapes.push("patient");
  // Fisher–Yates with the seeded PRNG: a fixed order that interleaves the shapes.
  for (let i = shapes.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [shapes[i], shapes[j]] = [shapes[j]!, shapes[i]!];
  }
  const age = () => r.weighted([8, 25, 34, 45, 52, 60, 67, 74, 81], (a) => (a === 8 ? 0.5 : 1));
  return shapes.map((shape): BenchQuery => {
    switch (shape) {
      case "patient": {
        const [q, sexOf] = r.pick(LAY);
        return {
          shape,
          query: {
            q,
            status: ["open"],
            age: age(),
            sex: sexOf ?? r.pick(["female", "male"] as const),
            near: r.pick(points),
            sort: "distance",
            perPage: 20,
          },
        };
      }
      case "clinician-icd10":
        return {
          shape,
          query: {
            q: r.pick(ICD_QUERIES),
            status: r.chance(0.7) ? ["open"] : ["open", "planned"],
            sort: "closing",
            perPage: 20,
          },
        };
      case "researcher-facets":
        return {
          shape,
          query: {
            q: r.pick(MEDICAL),
            facets: ["regionId", "categories", "phase", "status"],
            ...(r.chance(0.3) ? { phases: [r.pick(PHASE_IDS)] } : {}),
            ...(r.chance(0.3) ? { status: ["open" as const] } : {}),
            perPage: 20,
          },
        };
      case "typo":
        return {
          shape,
          query: { q: r.pick(TYPOS), ...(r.chance(0.5) ? { status: ["open" as const] } : {}), perPage: 20 },
        };
      case "diacritics":
        return { shape, query: { q: r.pick(DIACRITICS), status: ["open"], perPage: 20 } };
      case "multi-word":
        return {
          shape,
          query: {
            q: r.pick(MULTI),
            ...(r.chance(0.6) ? { status: ["open" as const] } : {}),
            ...(r.chance(0.3) ? { age: age() } : {}),
            perPage: 20,
          },
        };
      case "filters-only": {
        const query: Omit<SearchQuery, "now"> = {
          status: ["open"],
          perPage: 20,
          sort: r.pick(["newest", "closing", "relevance"] as const),
        };
        if (r.chance(0.6)) query.regions = [r.pick(REGIONS)];
        if (r.chance(0.6)) query.categories = [r.pick(CATEGORY_IDS)];
        if (r.chance(0.4)) query.age = age();
        if (r.chance(0.3)) query.icd10 = [r.pick(["C50", "C", "I2", "F3", "E11"])];
        if (r.chance(0.4)) query.facets = ["regionId", "categories", "status"];
        return { shape, query };
      }
      case "paging":
        return {
          shape,
          query: {
            q: r.pick(["kreft", "", "diabetes", "brystkreft", "hjerte"]) || undefined,
            status: ["open"],
            page: r.int(2, 5),
            perPage: 20,
          },
        };
      case "prefix":
        return { shape, query: { q: r.pick(PREFIX), status: ["open"], perPage: 10 } };
      case "broad":
        return { shape, query: { q: r.pick(BROAD), status: ["open"], facets: ["regionId", "status"], perPage: 20 } };
    }
  });
}

/** The query's plain words as an FTS5 expression (implicit AND of quoted words), or null. */
export function rawMatch(q: string | undefined): string | null {
  const words = queryText(q).split(" ").filter(Boolean);
  return words.length ? words.map((w) => `"${w}"`).join(" ") : null;
}
