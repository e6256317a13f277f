/**
 * Generates a realistic native-format feed of N fictional studies (for benchmarks and crash tests).
 * Deterministic for a given seed so runs compare like with like.
 */
const CATEGORIES = [
  "Kreft",
  "Hjerte og kar",
  "Mental helse",
  "Hjernen og nervesystemet",
  "Lunger og luftveier",
  "Stoffskifte og hormoner",
  "Muskulatur og skjelett",
];
const CONDITIONS = [
  "brystkreft",
  "hjertesvikt",
  "depresjon",
  "multippel sklerose",
  "KOLS",
  "diabetes type 2",
  "artrose i kneet",
];
const ICD = ["C50", "I50", "F32", "G35", "J44", "E11", "M17"];
const HOSPITALS: [string, string][] = [
  ["ous", "ous-rikshospitalet"],
  ["st-olavs", "st-olavs-oya"],
  ["helse-bergen", "helse-bergen-haukeland"],
  ["unn", "unn-tromso"],
  ["ahus", "ahus-nordbyhagen"],
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function generateNativeFeed(
  count: number,
  options: { organisationId: string; seed?: number; idPrefix?: string },
): object[] {
  const random = rng(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const date = (offsetDays: number) =>
    new Date(Date.UTC(2026, 0, 1) + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: count }, (_, i) => {
    const k = Math.floor(random() * CONDITIONS.length);
    const start = Math.floor(random() * 900) - 300;
    const [, hospital] = HOSPITALS.find(([org]) => org === options.organisationId) ?? [options.organisationId, null];
    return {
      id: `${options.idPrefix ?? "GEN"}-${i + 1}`,
      tittel: `Studie ${i + 1} om ${CONDITIONS[k]}: en randomisert, kontrollert studie`,
      kategorier: [CATEGORIES[k]],
      sammendrag: `Vi undersøker en ny behandling for ${CONDITIONS[k]}. Deltakerne følges opp i to år. Dette er generert testdata.`,
      utfort_av: options.organisationId,
      studietype: random() < 0.8 ? "behandling" : "observasjon",
      fase: pick(["1", "2", "3", "4"]),
      icd10: [ICD[k]],
      alder_min: 18,
      alder_maks: random() < 0.5 ? 80 : null,
      kjonn: "alle",
      inklusjonskriterier: "- Voksne over 18 år\n- Bekreftet diagnose",
      eksklusjonskriterier: "- Graviditet\n- Alvorlig nyresvikt",
      identifikatorer: { rek: String(100000 + i) },
      studiesteder: [
        {
          foretak: options.organisationId,
          sykehus: hospital,
          inklusjon_start: date(start),
          inklusjon_slutt: date(start + 100 + Math.floor(random() * 700)),
          kontakt: { navn: "Studiekoordinator", epost: "studie@example.no", telefon: null },
        },
      ],
    };
  });
}
