/** Coded study values (type, phase, sex, age range) in words, in the reader's language. */
import type { Translator } from "#app/i18n/translate";
import type { Phase, Sex, StudyType } from "#app/domain/study";

/** null: a draft whose type is not chosen yet (ADR 0028). */
export function studyTypeText(t: Translator, type: StudyType | null): string {
  return t.t(type ? `type.${type}` : "type.notChosen");
}

export function phaseText(t: Translator, phase: Phase | null): string | null {
  return phase ? t.t(`phase.${phase}`) : null;
}

export function sexText(t: Translator, sex: Sex): string {
  return t.t(`sex.${sex}`);
}

export function ageRangeText(t: Translator, min: number | null, max: number | null): string {
  if (min == null && max == null) return t.t("age.none");
  if (min != null && max != null) return t.t("age.range", { min, max });
  if (min != null) return t.t("age.min", { min });
  return t.t("age.max", { max: max! });
}
