/**
 * "Trenger deg": what needs the signed-in person (app/domain/reminders.ts), each with a one-click
 * way to act — a site to confirm has the confirm button right here (it posts to the study's page,
 * the same action as there), everything else links to the exact place.
 */
import { Form, Link } from "@remix-run/react";
import { reminderPath, type Reminder } from "#app/domain/reminders";
import { useTranslator } from "#app/i18n/use-translator";
import { reminderText } from "#app/views/reminder-text";
import { CsrfField } from "./SignedIn";

export function Reminders({ reminders, csrf }: { reminders: Reminder[]; csrf: string }) {
  const tr = useTranslator();
  const { t, href } = tr;
  return (
    <section aria-labelledby="trenger-deg" className="reminders">
      <h2 id="trenger-deg">{t("reminders.title")}</h2>
      <p>{t("reminders.lead")}</p>
      {reminders.length === 0 ? <p>{t("reminders.none")}</p> : null}
      <ul className="cards">
        {reminders.map((r) => (
          <li key={`${r.kind}:${r.studyId}:${r.siteKey ?? ""}`} className="card" data-reminder={r.kind}>
            <h3>{r.studyTitle || `#${r.studyId}`}</h3>
            <p>{reminderText(r, tr)}</p>
            {r.kind === "confirm-overdue" || r.kind === "confirm-soon" ? (
              <Form method="post" action={`/forsker/studier/${r.studyId}`}>
                <CsrfField token={csrf} />
                <input type="hidden" name="intent" value="confirm-site" />
                <input type="hidden" name="site" value={r.siteKey ?? ""} />
                <button type="submit">
                  {t("reminders.confirm")}
                  <span className="visually-hidden">{` ${t("reminders.confirmFor", { site: r.siteName ?? "", study: r.studyTitle })}`}</span>
                </button>
              </Form>
            ) : null}
            <p>
              <Link to={href(reminderPath(r))}>
                {r.kind === "held" ? t("reminders.openHeld") : t("reminders.open")}
                <span className="visually-hidden">{` ${t("reminders.confirmFor", { site: r.siteName ?? "", study: r.studyTitle })}`}</span>
              </Link>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
