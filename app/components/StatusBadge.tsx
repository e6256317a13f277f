import type { StudyStatus } from "~/domain/inclusion-status";

/** Status as text with a shape marker; colour is only an extra cue. */
export function StatusBadge({ status, text }: { status: StudyStatus; text: string }) {
  return <span className={`status status-${status}`}>{text}</span>;
}

export function DemoBadge() {
  return (
    <span className="demo-badge" title="Fiktiv studie laget for demonstrasjon">
      Demodata
    </span>
  );
}
