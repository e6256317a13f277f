/**
 * The filters the patient and clinician searches share (issue 21 item 5): status, sex and region,
 * as plain SelectFields (./fields.tsx, no form library: these are public pages with byte budgets).
 * Each takes its label (the two audiences word them differently), the value asked for and the
 * field's problem from `fieldProblem` (./ProblemSummary.tsx).
 */
import type { Translator } from "#app/i18n/translate";
import type { StatusParam } from "#app/search-params/choices";
import { SelectField } from "./fields";
import type { fieldProblem } from "./ProblemSummary";

type Problem = Pick<ReturnType<typeof fieldProblem>, "fieldProps" | "inputProps">;

interface FilterProps {
  t: Translator["t"];
  label: string;
  value: string | null | undefined;
  problem: Problem;
}

/** "Which studies": open now by default (data-default tells the live search what to leave out). */
export function StatusFilter({
  t,
  label,
  value,
  problem,
  statuses,
  defaultStatus,
}: FilterProps & {
  statuses: readonly StatusParam[];
  defaultStatus: string;
}) {
  return (
    <SelectField
      id="status"
      label={label}
      {...problem.fieldProps}
      control={{
        name: "status",
        defaultValue: value ?? undefined,
        "data-default": defaultStatus,
        ...problem.inputProps,
      }}
      options={statuses.map((s) => ({ value: s, label: t(`search.status.${s}`) }))}
    />
  );
}

export function SexFilter({ t, label, value, problem }: FilterProps) {
  return (
    <SelectField
      id="kjonn"
      label={label}
      {...problem.fieldProps}
      control={{ name: "kjonn", defaultValue: value ?? "", ...problem.inputProps }}
      options={[
        { value: "", label: t("search.field.sex.any") },
        { value: "kvinne", label: t("search.field.sex.kvinne") },
        { value: "mann", label: t("search.field.sex.mann") },
      ]}
    />
  );
}

export function RegionFilter({
  t,
  value,
  problem,
  regions,
}: Omit<FilterProps, "label"> & {
  regions: readonly { id: string; name: string }[];
}) {
  return (
    <SelectField
      id="region"
      label={t("search.field.region")}
      {...problem.fieldProps}
      control={{ name: "region", defaultValue: value ?? "", ...problem.inputProps }}
      options={[
        { value: "", label: t("search.field.region.all") },
        ...regions.map((r) => ({ value: r.id, label: r.name })),
      ]}
    />
  );
}
