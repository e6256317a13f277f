/**
 * The quick eligibility check: a GET form for age and sex on the study page itself (no
 * JavaScript needed, nothing stored), and the outcome of every criterion in words and symbols.
 * It never says that the patient is eligible.
 */
import { Form } from "@remix-run/react";
import type { CheckOutcome } from "#app/domain/eligibility-check";
import { useTranslator } from "#app/i18n/use-translator";
import type { ClinicianStudyView } from "#app/views/study-page-types";
import { fieldProblem } from "./ProblemSummary";

const OUTCOME_KEY = { met: "check.met", not_met: "check.notMet", unknown: "check.unknown" } as const;

function Outcome({ outcome }: { outcome: CheckOutcome }) {
  const { t } = useTranslator();
  return <span className={`check-outcome check-${outcome}`}>{t(OUTCOME_KEY[outcome])}</span>;
}

export function EligibilityCheck({ study, action }: { study: ClinicianStudyView; action: string }) {
  const { t, lang } = useTranslator();
  const { check } = study;
  const age = fieldProblem(check.problems, "alder");
  const sex = fieldProblem(check.problems, "kjonn");
  const asked = check.age != null || check.sex != null;
  return (
    <section aria-labelledby="sjekk-tittel" className="eligibility-check no-print" id="sjekk">
      <h2 id="sjekk-tittel">{t("check.title")}</h2>
      <p>{t("check.intro")}</p>
      <Form method="get" action={`${action}#sjekk`} className="check-form" preventScrollReset>
        {lang !== "nb" ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="field">
          <label htmlFor="alder">{t("check.age")}</label>
          {age.message}
          <input
            id="alder"
            name="alder"
            type="text"
            inputMode="numeric"
            size={4}
            defaultValue={check.age ?? ""}
            {...age.inputProps}
          />
        </div>
        <div className="field">
          <label htmlFor="kjonn">{t("check.sex")}</label>
          {sex.message}
          <select id="kjonn" name="kjonn" defaultValue={check.sex ?? ""} {...sex.inputProps}>
            <option value="">{t("check.sex.any")}</option>
            <option value="kvinne">{t("search.field.sex.kvinne")}</option>
            <option value="mann">{t("search.field.sex.mann")}</option>
          </select>
        </div>
        <button type="submit">{t("check.submit")}</button>
      </Form>
      {asked ? (
        <div className="check-result" aria-labelledby="sjekk-resultat">
          <h3 id="sjekk-resultat">{t("check.result")}</h3>
          <p className={`check-summary check-summary-${check.result.summary}`}>
            {t(check.result.summary === "not_met" ? "check.summary.notMet" : "check.summary.open")}
          </p>
          <ul className="check-list">
            {check.result.checks.map((c, i) => (
              <li key={i}>
                <Outcome outcome={c.outcome} />{" "}
                {c.kind === "age" ? (
                  t("check.criterion.age", { range: study.age })
                ) : c.kind === "sex" ? (
                  t("check.criterion.sex", { sex: study.sex })
                ) : (
                  <>
                    {t(c.kind === "inclusion" ? "check.criterion.inclusion" : "check.criterion.exclusion")}:{" "}
                    <span lang={(c.kind === "inclusion" ? study.inclusion?.lang : study.exclusion?.lang) ?? undefined}>
                      {c.text}
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
