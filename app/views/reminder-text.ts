/** A reminder in words (portal list, feeds, e-mail): pure, the same text on every surface. */
import type { Reminder } from "#app/domain/reminders";
import type { Translator } from "#app/i18n/translate";

export function reminderText(r: Reminder, tr: Pick<Translator, "t" | "date" | "list">): string {
  const what = tr.t(`reminders.kind.${r.kind}`, {
    due: tr.date(r.due),
    confirmed: r.confirmedOn ? tr.date(r.confirmedOn) : "–",
    reasons: tr.list(r.reasons ?? []),
  });
  return r.siteName ? `${r.siteName}: ${what}` : what;
}
