/**
 * npm run user:reset-password -- --email <e-mail>
 * Prints a one-time link to set a new password (there is no mail server: hand it over yourself).
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { issueResetToken, RESET_TOKEN_HOURS } from "#app/auth/reset.server";
import { COMMAND_LINE } from "#app/models/account-audit.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage:
  npm run user:reset-password -- --email kari@stolav.no

Prints a link to /nytt-passord with a one-time token, valid ${RESET_TOKEN_HOURS} hours. Using it
sets a new password and signs the user out everywhere. Only a SHA-256 of the token is stored.
The administrators' audit trail (/admin/kontoer) records the link as made by the command line.
Environment: DATABASE_PATH, BASE_URL (for the link).`;

const { values } = parseScriptArgs(HELP, {
  options: { email: { type: "string" } },
});
if (!values.email) {
  console.log(HELP);
  process.exit(2);
}
const config = loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
try {
  const issued = issueResetToken(db, values.email, new Date(), COMMAND_LINE);
  if (!issued) {
    console.error(`No user with the e-mail ${values.email.trim().toLowerCase()}.`);
    process.exitCode = 1;
  } else {
    console.log(
      `Reset link for ${issued.user.email} (once, before ${issued.expiresAt.toISOString()}):\n` +
        `${config.BASE_URL.replace(/\/+$/, "")}/nytt-passord?token=${issued.token}`,
    );
  }
} finally {
  closeDb();
}
