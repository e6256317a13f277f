/**
 * Bad query values, listed at the top of a form with links to their fields (the GOV.UK error
 * summary pattern), so a screen-reader or keyboard user finds what to fix.
 */
import { useTranslator } from "#app/i18n/use-translator";
import { ErrorText } from "./fields";

export interface Problem {
  field: string;
  message: string;
}

export function ProblemSummary({ problems, ignoredNote = true }: { problems: Problem[]; ignoredNote?: boolean }) {
  const { t } = useTranslator();
  if (problems.length === 0) return null;
  return (
    <div className="problem-summary" role="alert" aria-labelledby="problem-summary-title">
      <h2 id="problem-summary-title">{t("search.problems")}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.field}-${i}`}>
            <a href={`#${p.field}`}>{p.message}</a>
          </li>
        ))}
      </ul>
      {ignoredNote ? <p>{t("search.problems.ignored")}</p> : null}
    </div>
  );
}

/**
 * A field with an optional problem: the control's props (aria-invalid, aria-describedby naming the
 * hint and the problem), the props for `Field` / `SelectField` (./fields.tsx), and the message.
 */
export function fieldProblem(problems: Problem[], field: string, hintId?: string) {
  const problem = problems.find((p) => p.field === field);
  const errorId = `${field}-feil`;
  const errors = problem ? [problem.message] : null;
  const describedBy = [hintId, problem ? errorId : null].filter(Boolean).join(" ") || undefined;
  return {
    problem,
    inputProps: { "aria-invalid": problem ? (true as const) : undefined, "aria-describedby": describedBy },
    fieldProps: { hintId, errorId, errors },
    message: <ErrorText id={errorId} errors={errors} />,
  };
}
