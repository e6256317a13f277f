/** Norwegian labels for coded values (UI text kept in one place). */
export const STUDY_TYPE_LABEL: Record<string, string> = {
  treatment: "Behandlingsstudie",
  observational: "Observasjonsstudie",
  other: "Annen studie",
};

export const PHASE_LABEL: Record<string, string> = {
  early_phase_1: "Tidlig fase 1",
  phase_1: "Fase 1",
  phase_1_2: "Fase 1/2",
  phase_2: "Fase 2",
  phase_2_3: "Fase 2/3",
  phase_3: "Fase 3",
  phase_4: "Fase 4",
  not_applicable: "Ikke aktuelt",
};

export const SEX_LABEL: Record<string, string> = { all: "Alle kjønn", female: "Kvinner", male: "Menn" };

export function ageRangeText(min: number | null, max: number | null): string {
  if (min == null && max == null) return "Ingen aldersgrense oppgitt";
  if (min != null && max != null) return `${min}–${max} år`;
  if (min != null) return `${min} år eller eldre`;
  return `Opptil ${max} år`;
}
