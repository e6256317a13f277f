/**
 * Matches a registry location (ClinicalTrials.gov, CTIS, …) to one of our Norwegian organisations.
 *
 * Pure and deterministic. The rules, in order; the first that gives an unambiguous answer wins:
 *  (a) Name aliases: the facility name, normalised (case, diacritics, æ/ø/å ↔ ae/o/a, "aa" → "a",
 *      punctuation), contains a known alias as whole words. "Strong" aliases are institution names
 *      ("Haukeland", "Oslo University Hospital", "St. Olavs"); "weak" aliases are place names
 *      ("Drammen", "Telemark") and count only when the facility name also says it is a hospital
 *      ("Drammen Hospital", "Sykehuset Telemark") — "Drammen Research Clinic" is not Vestre Viken.
 *      Strong matches win over weak ones; matches pointing at two different organisations → unsure.
 *  (b) Geo: the nearest hospital within 3 km of the location's point, but only when all hospitals
 *      within 3 km belong to ONE organisation. ClinicalTrials.gov's geoPoint is the geocoded CITY,
 *      not the facility (every Oslo site sits on 59.91273,10.74609, 1.9 km from Lovisenberg and
 *      2.7 km from Ullevål), so "nearest" alone would be a wild guess in cities with several
 *      organisations.
 *  (c) City: the city equals a hospital municipality (or a known town → municipality) where exactly
 *      one organisation has hospitals.
 *
 * Universities and colleges ("University of Oslo", "Norwegian University of Science and
 * Technology") are never aliases: they are not hospitals. They reach a hospital only through (b)
 * or (c). One documented refinement: when a university sits in a city with several organisations
 * and exactly one of them is a university hospital (Oslo: OUS vs Lovisenberg/Diakonhjemmet;
 * Bergen: Helse Bergen vs Haraldsplass), the university is matched to that university hospital
 * (organisation level; hospitalId only when that organisation has a single hospital there),
 * because Norwegian university clinical research is done at the university hospital.
 *
 * Returns null when unsure. Callers turn null into a warning, not a site.
 *
 * `matchRegisteredOrganisation` is the strict variant for sources whose locations must never be
 * guessed (PRODUCT.md "Never invent"): a location is a registered organisation only when its NAME
 * says so. No geo, no city-only match, no university tie-break; universities, colleges,
 * municipal services and companies are never hospitals; place-name aliases count only next to an
 * explicit hospital word ("hospital", "sykehus", "HF", …, not "helse"). The city (never the
 * point, a city centroid) may pick which hospital of the named organisation.
 */
import type { OrganisationRef } from "./types";

export interface SiteLocation {
  facility?: string | null;
  city?: string | null;
  lat?: number | null;
  lon?: number | null;
}

export interface SiteMatch {
  organisationId: string;
  hospitalId: string | null;
}

/** Lower case, no diacritics, æ→ae ø→o å→a (and "aa"→"a"), punctuation → spaces. */
export function normaliseName(value: string): string {
  return value
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/[øö]/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['’`´]/g, "") // "Olav's" → "olavs"
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/aa/g, "a") // "Aalesund", "Haakon"
    .trim()
    .replace(/\s+/g, " ");
}

interface Alias {
  /** Normalised words. */
  phrase: string;
  organisationId: string;
  hospitalId: string | null;
  strong: boolean;
}

type AliasSpec = [phrase: string, organisationId: string, hospitalId?: string | null, strength?: "weak"];

/** Hand-written aliases: English names used in registries, old names, short forms and places. */
const ALIAS_SPECS: AliasSpec[] = [
  // Oslo universitetssykehus
  ["oslo university hospital", "ous"],
  ["oslo universitetssykehus", "ous"],
  ["oslo universitetssjukehus", "ous"],
  ["ous", "ous"],
  ["rikshospitalet", "ous", "ous-rikshospitalet"],
  ["national hospital of norway", "ous", "ous-rikshospitalet"],
  ["the national hospital", "ous", "ous-rikshospitalet"],
  ["radiumhospitalet", "ous", "ous-radiumhospitalet"],
  ["radium hospital", "ous", "ous-radiumhospitalet"],
  ["norwegian radium hospital", "ous", "ous-radiumhospitalet"],
  ["ulleval", "ous", "ous-ulleval"],
  ["aker university hospital", "ous", "ous-aker"],
  ["aker sykehus", "ous", "ous-aker"],
  // Akershus universitetssykehus
  ["akershus university hospital", "ahus"],
  ["akershus universitetssykehus", "ahus"],
  ["ahus", "ahus"],
  ["nordbyhagen", "ahus", "ahus-nordbyhagen"],
  ["kongsvinger", "ahus", "ahus-kongsvinger", "weak"],
  ["ski sykehus", "ahus", "ahus-ski"],
  ["ski hospital", "ahus", "ahus-ski"],
  // Sykehuset Østfold
  ["ostfold hospital", "sykehuset-ostfold"],
  ["sykehuset ostfold", "sykehuset-ostfold"],
  ["ostfold", "sykehuset-ostfold", null, "weak"],
  ["kalnes", "sykehuset-ostfold", "sykehuset-ostfold-kalnes"],
  ["fredrikstad", "sykehuset-ostfold", null, "weak"],
  ["sarpsborg", "sykehuset-ostfold", "sykehuset-ostfold-kalnes", "weak"],
  ["moss", "sykehuset-ostfold", "sykehuset-ostfold-moss", "weak"],
  // Sykehuset Innlandet
  ["innlandet hospital", "sykehuset-innlandet"],
  ["sykehuset innlandet", "sykehuset-innlandet"],
  ["innlandet", "sykehuset-innlandet", null, "weak"],
  ["lillehammer", "sykehuset-innlandet", "sykehuset-innlandet-lillehammer", "weak"],
  ["hamar", "sykehuset-innlandet", "sykehuset-innlandet-hamar", "weak"],
  ["gjovik", "sykehuset-innlandet", "sykehuset-innlandet-gjovik", "weak"],
  ["elverum", "sykehuset-innlandet", "sykehuset-innlandet-elverum", "weak"],
  // Vestre Viken
  ["vestre viken", "vestre-viken"],
  ["drammen", "vestre-viken", "vestre-viken-drammen", "weak"],
  ["baerum", "vestre-viken", "vestre-viken-baerum", "weak"],
  ["asker og baerum", "vestre-viken", "vestre-viken-baerum"],
  ["asker and baerum", "vestre-viken", "vestre-viken-baerum"],
  ["kongsberg", "vestre-viken", "vestre-viken-kongsberg", "weak"],
  ["ringerike", "vestre-viken", "vestre-viken-ringerike", "weak"],
  // Sykehuset i Vestfold
  ["vestfold hospital", "sykehuset-vestfold"],
  ["sykehuset i vestfold", "sykehuset-vestfold"],
  ["vestfold", "sykehuset-vestfold", null, "weak"],
  ["tonsberg", "sykehuset-vestfold", "sykehuset-vestfold-tonsberg", "weak"],
  // Sykehuset Telemark
  ["telemark hospital", "sykehuset-telemark"],
  ["sykehuset telemark", "sykehuset-telemark"],
  ["telemark", "sykehuset-telemark", null, "weak"],
  ["skien", "sykehuset-telemark", "sykehuset-telemark-skien", "weak"],
  ["notodden", "sykehuset-telemark", "sykehuset-telemark-notodden", "weak"],
  // Sørlandet sykehus
  ["sorlandet hospital", "sorlandet-sykehus"],
  ["sorlandet sykehus", "sorlandet-sykehus"],
  ["sorlandet", "sorlandet-sykehus", null, "weak"],
  ["kristiansand", "sorlandet-sykehus", "sorlandet-sykehus-kristiansand", "weak"],
  ["arendal", "sorlandet-sykehus", "sorlandet-sykehus-arendal", "weak"],
  ["flekkefjord", "sorlandet-sykehus", "sorlandet-sykehus-flekkefjord", "weak"],
  // Private non-profit and specialised hospitals
  ["sunnaas", "sunnaas", "sunnaas-nesodden"],
  ["lovisenberg", "lovisenberg", "lovisenberg-oslo"],
  ["diakonhjemmet", "diakonhjemmet", "diakonhjemmet-oslo"],
  ["martina hansen", "martina-hansens", "martina-hansens-baerum"],
  ["martina hansens", "martina-hansens", "martina-hansens-baerum"],
  ["revmatismesykehuset", "revmatismesykehuset", "revmatismesykehuset-lillehammer"],
  ["hospital for rheumatic diseases", "revmatismesykehuset", "revmatismesykehuset-lillehammer"],
  ["modum bad", "modum-bad", "modum-bad-vikersund"],
  ["haraldsplass", "haraldsplass", "haraldsplass-bergen"],
  // Helse Vest
  ["stavanger university hospital", "helse-stavanger", "helse-stavanger-sus"],
  ["stavanger universitetssjukehus", "helse-stavanger", "helse-stavanger-sus"],
  ["stavanger universitetssykehus", "helse-stavanger", "helse-stavanger-sus"],
  ["helse stavanger", "helse-stavanger", "helse-stavanger-sus"],
  ["stavanger", "helse-stavanger", "helse-stavanger-sus", "weak"],
  ["helse fonna", "helse-fonna"],
  ["haugesund", "helse-fonna", "helse-fonna-haugesund", "weak"],
  ["stord", "helse-fonna", "helse-fonna-stord", "weak"],
  ["odda", "helse-fonna", "helse-fonna-odda", "weak"],
  ["haukeland", "helse-bergen", "helse-bergen-haukeland"],
  ["helse bergen", "helse-bergen"],
  ["voss", "helse-bergen", "helse-bergen-voss", "weak"],
  ["helse forde", "helse-forde"],
  ["forde", "helse-forde", "helse-forde-forde", "weak"],
  ["laerdal", "helse-forde", "helse-forde-laerdal", "weak"],
  ["nordfjord", "helse-forde", "helse-forde-nordfjord", "weak"],
  // Helse Midt-Norge
  ["st olavs", "st-olavs"],
  ["st olav", "st-olavs"],
  ["sankt olavs", "st-olavs"],
  ["olavs hospital", "st-olavs"],
  ["trondheim university hospital", "st-olavs"],
  ["orkdal", "st-olavs", "st-olavs-orkdal", "weak"],
  ["roros", "st-olavs", "st-olavs-roros", "weak"],
  ["helse nord trondelag", "helse-nord-trondelag"],
  ["nord trondelag", "helse-nord-trondelag", null, "weak"],
  ["levanger", "helse-nord-trondelag", "helse-nord-trondelag-levanger", "weak"],
  ["namsos", "helse-nord-trondelag", "helse-nord-trondelag-namsos", "weak"],
  ["helse more og romsdal", "helse-more-og-romsdal"],
  ["more og romsdal", "helse-more-og-romsdal", null, "weak"],
  ["alesund", "helse-more-og-romsdal", "helse-more-og-romsdal-alesund", "weak"],
  ["molde", "helse-more-og-romsdal", "helse-more-og-romsdal-molde", "weak"],
  ["kristiansund", "helse-more-og-romsdal", "helse-more-og-romsdal-kristiansund", "weak"],
  ["volda", "helse-more-og-romsdal", "helse-more-og-romsdal-volda", "weak"],
  // Helse Nord
  ["university hospital of north norway", "unn"],
  ["university hospital north norway", "unn"],
  ["north norway university hospital", "unn"],
  ["universitetssykehuset nord norge", "unn"],
  ["unn", "unn"],
  ["tromso", "unn", "unn-tromso", "weak"],
  ["harstad", "unn", "unn-harstad", "weak"],
  ["narvik", "unn", "unn-narvik", "weak"],
  ["nordland hospital", "nordlandssykehuset"],
  ["nordlandssykehuset", "nordlandssykehuset"],
  ["bodo", "nordlandssykehuset", "nordlandssykehuset-bodo", "weak"],
  ["vesteralen", "nordlandssykehuset", "nordlandssykehuset-vesteralen", "weak"],
  ["stokmarknes", "nordlandssykehuset", "nordlandssykehuset-vesteralen", "weak"],
  ["helgelandssykehuset", "helgelandssykehuset"],
  ["helgeland hospital", "helgelandssykehuset"],
  ["mo i rana", "helgelandssykehuset", "helgelandssykehuset-mo-i-rana", "weak"],
  ["mosjoen", "helgelandssykehuset", "helgelandssykehuset-mosjoen", "weak"],
  ["sandnessjoen", "helgelandssykehuset", "helgelandssykehuset-sandnessjoen", "weak"],
  ["finnmarkssykehuset", "finnmarkssykehuset"],
  ["finnmark hospital", "finnmarkssykehuset"],
  ["finnmark", "finnmarkssykehuset", null, "weak"],
  ["hammerfest", "finnmarkssykehuset", "finnmarkssykehuset-hammerfest", "weak"],
  ["kirkenes", "finnmarkssykehuset", "finnmarkssykehuset-kirkenes", "weak"],
];

/** Towns that registries give as "city" but that are not the municipality's name. */
const TOWN_TO_MUNICIPALITY: Record<string, string> = {
  forde: "sunnfjord",
  stokmarknes: "hadsel",
  "mo i rana": "rana",
  mosjoen: "vefsn",
  sandnessjoen: "alstahaug",
  kirkenes: "sor varanger",
  nordbyhagen: "lorenskog",
  ski: "nordre follo",
  odda: "ullensvang",
  orkanger: "orkland",
  vikersund: "modum",
  nordfjordeid: "stad",
  sandvika: "baerum",
  honefoss: "ringerike",
};

/** Organisations that are university hospitals (tie-break for universities, see header). */
const UNIVERSITY_HOSPITAL_ORGS = new Set(["ous", "ahus", "helse-bergen", "helse-stavanger", "st-olavs", "unn"]);

const HOSPITAL_WORD = /(hospital|sykehus|sjukehus|\bhf\b|helseforetak|health trust|\bhelse\b)/;
const UNIVERSITY_WORD = /(universit|college|hogskole|hoyskole|institute|institutt)/;
const GEO_RADIUS_KM = 3;

const aliasCache = new WeakMap<OrganisationRef[], Alias[]>();

function buildAliases(organisations: OrganisationRef[]): Alias[] {
  const cached = aliasCache.get(organisations);
  if (cached) return cached;
  const orgIds = new Set(organisations.map((o) => o.id));
  const hospitalIds = new Set(organisations.flatMap((o) => o.hospitals.map((h) => h.id)));
  const aliases: Alias[] = [];
  const add = (phrase: string, organisationId: string, hospitalId: string | null, strong: boolean) => {
    const p = normaliseName(phrase);
    if (!p || !orgIds.has(organisationId)) return;
    aliases.push({
      phrase: p,
      organisationId,
      hospitalId: hospitalId && hospitalIds.has(hospitalId) ? hospitalId : null,
      strong,
    });
  };
  for (const [phrase, organisationId, hospitalId, strength] of ALIAS_SPECS) {
    add(phrase, organisationId, hospitalId ?? null, strength !== "weak");
  }
  // The reference data's own names (full names only: they are specific enough to be strong).
  for (const org of organisations) {
    add(org.name.replace(/\bHF\b/g, ""), org.id, null, true);
    for (const h of org.hospitals) add(h.name, org.id, h.id, true);
  }
  // Longest first, so the most specific alias is considered first.
  aliases.sort((a, b) => b.phrase.length - a.phrase.length);
  aliasCache.set(organisations, aliases);
  return aliases;
}

function containsPhrase(haystack: string, phrase: string): boolean {
  return ` ${haystack} `.includes(` ${phrase} `);
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Picks a hospital of `org` for an organisation-level match, using city or point when clear. */
function refineHospital(org: OrganisationRef, location: SiteLocation): string | null {
  if (org.hospitals.length === 1) return org.hospitals[0]!.id;
  const city = location.city ? normaliseName(location.city) : "";
  if (city) {
    const municipality = TOWN_TO_MUNICIPALITY[city] ?? city;
    const inCity = org.hospitals.filter((h) => h.municipality && normaliseName(h.municipality) === municipality);
    if (inCity.length === 1) return inCity[0]!.id;
  }
  if (isFiniteNumber(location.lat) && isFiniteNumber(location.lon)) {
    const near = org.hospitals.filter((h) => distanceKm(location.lat!, location.lon!, h.lat, h.lon) <= GEO_RADIUS_KM);
    if (near.length === 1) return near[0]!.id;
  }
  return null;
}

function byName(facility: string, location: SiteLocation, organisations: OrganisationRef[]): SiteMatch | null {
  const name = normaliseName(facility);
  if (!name) return null;
  const looksLikeHospital = HOSPITAL_WORD.test(name);
  const hits = buildAliases(organisations).filter(
    (a) => (a.strong || looksLikeHospital) && containsPhrase(name, a.phrase),
  );
  // Organisation-level alias ("Oslo University Hospital"): the city or the point may still say which hospital.
  return pickFromAliasHits(hits, organisations, (org) => refineHospital(org, location));
}

/**
 * One organisation (and hospital, when the names say it) from the aliases a name contains; null
 * when none, or when two organisations are named (unsure). `refine` may name the hospital of an
 * organisation-level hit from what else the location says.
 */
function pickFromAliasHits(
  hits: Alias[],
  organisations: OrganisationRef[],
  refine: (org: OrganisationRef) => string | null,
): SiteMatch | null {
  if (hits.length === 0) return null;
  const strong = hits.filter((a) => a.strong);
  const pool = strong.length > 0 ? strong : hits;
  const orgs = new Set(pool.map((a) => a.organisationId));
  if (orgs.size !== 1) return null; // two organisations named: unsure
  const organisationId = pool[0]!.organisationId;
  const hospitals = new Set(pool.map((a) => a.hospitalId).filter((h): h is string => h !== null));
  if (hospitals.size === 1) return { organisationId, hospitalId: [...hospitals][0]! };
  if (hospitals.size > 1) return { organisationId, hospitalId: null };
  // A place alias of the same organisation in the name may say which hospital.
  const place = hits.find((a) => a.organisationId === organisationId && a.hospitalId);
  const org = organisations.find((o) => o.id === organisationId)!;
  return { organisationId, hospitalId: place?.hospitalId ?? refine(org) };
}

/** Among several organisations, the single university hospital when the facility is a university. */
function universityTieBreak(orgIds: Set<string>, facility: string): string | null {
  const name = normaliseName(facility);
  if (!UNIVERSITY_WORD.test(name) || HOSPITAL_WORD.test(name)) return null;
  const uni = [...orgIds].filter((id) => UNIVERSITY_HOSPITAL_ORGS.has(id));
  return uni.length === 1 ? uni[0]! : null;
}

function byGeo(location: SiteLocation, organisations: OrganisationRef[]): SiteMatch | null {
  if (!isFiniteNumber(location.lat) || !isFiniteNumber(location.lon)) return null;
  const near: { org: OrganisationRef; hospitalId: string; km: number }[] = [];
  for (const org of organisations) {
    for (const h of org.hospitals) {
      const km = distanceKm(location.lat, location.lon, h.lat, h.lon);
      if (km <= GEO_RADIUS_KM) near.push({ org, hospitalId: h.id, km });
    }
  }
  if (near.length === 0) return null;
  near.sort((a, b) => a.km - b.km);
  const orgIds = new Set(near.map((n) => n.org.id));
  if (orgIds.size === 1) return { organisationId: near[0]!.org.id, hospitalId: near[0]!.hospitalId };
  const uni = universityTieBreak(orgIds, location.facility ?? "");
  if (uni) {
    // Organisation level only: the point is a city centroid, so it cannot pick among its hospitals.
    return { organisationId: uni, hospitalId: null };
  }
  return null;
}

function byCity(location: SiteLocation, organisations: OrganisationRef[]): SiteMatch | null {
  if (!location.city) return null;
  const city = normaliseName(location.city);
  if (!city) return null;
  const municipality = TOWN_TO_MUNICIPALITY[city] ?? city;
  const candidates = organisations
    .map((org) => ({
      org,
      hospitals: org.hospitals.filter((h) => h.municipality && normaliseName(h.municipality) === municipality),
    }))
    .filter((c) => c.hospitals.length > 0);
  if (candidates.length === 0) return null;
  let chosen = candidates.length === 1 ? candidates[0]! : null;
  if (!chosen) {
    const uni = universityTieBreak(new Set(candidates.map((c) => c.org.id)), location.facility ?? "");
    chosen = candidates.find((c) => c.org.id === uni) ?? null;
  }
  if (!chosen) return null;
  return { organisationId: chosen.org.id, hospitalId: chosen.hospitals.length === 1 ? chosen.hospitals[0]!.id : null };
}

export function matchNorwegianSite(location: SiteLocation, organisations: OrganisationRef[]): SiteMatch | null {
  if (location.facility) {
    const named = byName(location.facility, location, organisations);
    if (named) return named;
  }
  return byGeo(location, organisations) ?? byCity(location, organisations);
}

/** Matches a free-text organisation name (e.g. a lead sponsor) by aliases only: no places. */
export function matchOrganisationName(
  name: string | null | undefined,
  organisations: OrganisationRef[],
): SiteMatch | null {
  if (!name) return null;
  return byName(name, {}, organisations);
}

/** Explicit hospital words (stricter than HOSPITAL_WORD: "helse" alone is also used by municipal services). */
const STRICT_HOSPITAL_WORD = /(hospital|sykehus|sjukehus|\bhf\b|helseforetak|health trust|hospital trust)/;
/**
 * Words of things that are not hospitals: universities and colleges, municipal services, companies,
 * generic sponsor sites. A name with one of these and no explicit hospital word is never matched.
 */
const NOT_A_HOSPITAL_WORD =
  /(universit|college|hogskole|hoyskole|institute|institutt|\bschool\b|kommune|municipal|frisklivs|legesenter|legekontor|helsestasjon|\bas\b|\basa\b|\binc\b|\bltd\b|\bgmbh\b|\bab\b|investigational site|research site|clinical site|study site)/;

/** A hospital of `org` from the city as written (exactly one of its hospitals there), else null. */
function hospitalByCity(org: OrganisationRef, city: string | null | undefined): string | null {
  if (org.hospitals.length === 1) return org.hospitals[0]!.id;
  const normalised = city ? normaliseName(city) : "";
  if (!normalised) return null;
  const municipality = TOWN_TO_MUNICIPALITY[normalised] ?? normalised;
  const inCity = org.hospitals.filter((h) => h.municipality && normaliseName(h.municipality) === municipality);
  return inCity.length === 1 ? inCity[0]!.id : null;
}

/**
 * Strict: the registered organisation (and, where clear, hospital) a location's NAME really is;
 * null when the name does not clearly name one (see the header). Never uses lat/lon.
 */
export function matchRegisteredOrganisation(
  location: { facility?: string | null; city?: string | null },
  organisations: OrganisationRef[],
): SiteMatch | null {
  if (!location.facility) return null;
  const name = normaliseName(location.facility);
  if (!name) return null;
  const explicitHospital = STRICT_HOSPITAL_WORD.test(name);
  if (!explicitHospital && NOT_A_HOSPITAL_WORD.test(name)) return null;
  const hits = buildAliases(organisations).filter(
    (a) => (a.strong || explicitHospital) && containsPhrase(name, a.phrase),
  );
  // Organisation-level name: only the city as written may say which hospital (never the point).
  return pickFromAliasHits(hits, organisations, (org) => hospitalByCity(org, location.city));
}
