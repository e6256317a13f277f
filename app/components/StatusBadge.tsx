import type { StudyStatus } from "#app/domain/inclusion-status";
import { useTranslator } from "#app/i18n/use-translator";

/** Status as text with a shape marker; colour is only an extra cue. */
export function StatusBadge({ status, text }: { status: StudyStatus; text: string }) {
  return <span className={`status status-${status}`}>{text}</span>;
}

export function DemoBadge() {
  const { t } = useTranslator();
  return (
    <span className="demo-badge" title={t("demo.badgeTitle")}>
      {t("demo.badge")}
    </span>
  );
}
