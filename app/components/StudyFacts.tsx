/** Small facts both study pages (patient and clinician) say the same way. */
import { useTranslator } from "#app/i18n/use-translator";

/** Yes, no — or "not stated in the source", which is not a no. */
export function HealthyVolunteersText({ value }: { value: boolean | null }) {
  const { t } = useTranslator();
  if (value == null) return <>{t("patient.study.healthy.unknown")}</>;
  return <>{value ? t("patient.study.healthy.yes") : t("patient.study.healthy.no")}</>;
}

/** A study published without a plain-language summary: the hospital has more (and its page, when the public can open it). */
export function MoreInfoAtHospital({ link }: { link: { url: string; label: string } | null }) {
  const { t } = useTranslator();
  return (
    <p className="notice">
      {t("study.moreInfoAtHospital")}
      {link ? (
        <>
          {" "}
          <a href={link.url} lang="nb">
            {link.label}
          </a>
        </>
      ) : null}
    </p>
  );
}
