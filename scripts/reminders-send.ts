/**
 * npm run reminders:send [-- --dry-run] — one e-mail digest per researcher or editor with
 * something to do (ADR 0020), through the SMTP server in SMTP_URL. Meant for a daily timer
 * (systemd or cron); a second run the same day sends nothing again. Prints counts only: never an
 * address.
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { sendReminderDigests } from "#app/mail/reminder-digests.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run reminders:send [-- --dry-run]

Sends each active researcher and editor one e-mail with what needs them at their organisations
(the portal's "Trenger deg" list: sites to confirm, inclusion end dates within 30 days, inclusions
still marked open by their source after the expected end, records held at import), each with a
link to act. At most one digest per person and day (Europe/Oslo): what was sent is recorded in
the database (table reminder_mail_log: user id, day, count; no address). Nothing about patients is
in the digests. Prints counts only, never an address.

Options:
  --dry-run     work out the digests and print the counts; send and record nothing
  -h, --help    this text

Environment: DATABASE_PATH, BASE_URL (for the links), SMTP_URL (smtp://user:password@host:587 or
smtps://…:465; required unless --dry-run), MAIL_FROM.
Exit status: 0 when every digest was sent, 1 when some failed (they are tried again on the next
run), 2 for a wrong option or missing SMTP_URL.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    "dry-run": { type: "boolean", default: false },
  },
});
const config = loadConfigOrExit();
if (!config.SMTP_URL && !values["dry-run"]) {
  console.error("SMTP_URL is not set: no mail server to send the reminders through (see .env.example).");
  process.exit(2);
}
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
try {
  const run = await sendReminderDigests(db, {
    smtpUrl: config.SMTP_URL ?? "smtp://localhost",
    from: config.MAIL_FROM,
    baseUrl: config.BASE_URL,
    dryRun: values["dry-run"],
  });
  console.log(
    `${values["dry-run"] ? "Dry run: would send" : "Sent"} ${run.sent} reminder digest(s) with ${run.reminders} reminder(s); ` +
      `${run.alreadySent} already sent today, ${run.nothingToDo} with nothing to do, ${run.failed} failed.`,
  );
  if (run.failed > 0) process.exitCode = 1;
} finally {
  closeDb();
}
