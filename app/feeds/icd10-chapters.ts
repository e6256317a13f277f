/**
 * The 22 chapters of ICD-10 (WHO; Norwegian names as in the Norwegian edition) by code range, for
 * the per-chapter Atom feeds. The ranges are the same as the search engines' facet
 * (app/search/meilisearch-settings.ts icd10Chapter; a unit test checks that they agree).
 */
export interface Icd10Chapter {
  /** Roman numeral, as in the feed address: /feeds/icd10/II.atom */
  id: string;
  from: string;
  to: string;
  name: string;
}

export const ICD10_CHAPTERS: readonly Icd10Chapter[] = [
  { id: "I", from: "A00", to: "B99", name: "Visse infeksjonssykdommer og parasittsykdommer" },
  { id: "II", from: "C00", to: "D48", name: "Svulster" },
  {
    id: "III",
    from: "D50",
    to: "D89",
    name: "Sykdommer i blod og bloddannende organer og visse tilstander som angår immunsystemet",
  },
  { id: "IV", from: "E00", to: "E90", name: "Endokrine sykdommer, ernæringssykdommer og metabolske forstyrrelser" },
  { id: "V", from: "F00", to: "F99", name: "Psykiske lidelser og atferdsforstyrrelser" },
  { id: "VI", from: "G00", to: "G99", name: "Sykdommer i nervesystemet" },
  { id: "VII", from: "H00", to: "H59", name: "Sykdommer i øyet og øyets omgivelser" },
  { id: "VIII", from: "H60", to: "H95", name: "Sykdommer i øre og ørebensknute" },
  { id: "IX", from: "I00", to: "I99", name: "Sykdommer i sirkulasjonssystemet" },
  { id: "X", from: "J00", to: "J99", name: "Sykdommer i åndedrettssystemet" },
  { id: "XI", from: "K00", to: "K93", name: "Sykdommer i fordøyelsessystemet" },
  { id: "XII", from: "L00", to: "L99", name: "Sykdommer i hud og underhud" },
  { id: "XIII", from: "M00", to: "M99", name: "Sykdommer i muskel-skjelettsystemet og bindevev" },
  { id: "XIV", from: "N00", to: "N99", name: "Sykdommer i urinveier og kjønnsorganer" },
  { id: "XV", from: "O00", to: "O99", name: "Svangerskap, fødsel og barseltid" },
  { id: "XVI", from: "P00", to: "P96", name: "Visse tilstander som oppstår i perinatalperioden" },
  { id: "XVII", from: "Q00", to: "Q99", name: "Medfødte misdannelser, deformiteter og kromosomavvik" },
  {
    id: "XVIII",
    from: "R00",
    to: "R99",
    name: "Symptomer, tegn, unormale kliniske funn og laboratoriefunn, ikke klassifisert annet sted",
  },
  { id: "XIX", from: "S00", to: "T98", name: "Skader, forgiftninger og visse andre konsekvenser av ytre årsaker" },
  { id: "XX", from: "V01", to: "Y98", name: "Ytre årsaker til sykdom og død" },
  {
    id: "XXI",
    from: "Z00",
    to: "Z99",
    name: "Faktorer som har betydning for helsetilstand og kontakt med helsetjenesten",
  },
  { id: "XXII", from: "U00", to: "U99", name: "Koder for spesielle formål" },
];

export function findIcd10Chapter(id: string): Icd10Chapter | null {
  const wanted = id.trim().toUpperCase();
  return ICD10_CHAPTERS.find((c) => c.id === wanted) ?? null;
}

/** The chapter of a code (C50, C509, C50.9), or null. */
export function chapterOfCode(code: string): Icd10Chapter | null {
  const c = code.replace(/\./g, "").toUpperCase().slice(0, 3);
  if (!/^[A-Z]\d\d$/.test(c)) return null;
  return ICD10_CHAPTERS.find((ch) => c >= ch.from && c <= ch.to) ?? null;
}
