/**
 * npm run org:token -- --org <id> [--label <text>]   issue a token (printed once)
 * npm run org:token -- --list [--org <id>]           list tokens (never the secrets)
 * npm run org:token -- --revoke <token-id>           revoke one
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { organisationExists } from "#app/models/ingest.server";
import { issueToken, listTokens, revokeToken } from "#app/models/token.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage:
  npm run org:token -- --org <organisation-id> [--label "feed from EPJ"] [--also-for <ids>]
                                                                           issue a token (shown once)
  npm run org:token -- --list [--org <organisation-id>]                    list tokens
  npm run org:token -- --revoke <token-id>                                 revoke a token

Tokens authorise PUT/POST /api/v1/organisations/<id>/studies for that organisation only.
--also-for unn,finnmarkssykehuset lets one sender deliver a regional listing: a record "utført av"
one of those organisations belongs to it (its owner and its sites).
Only a SHA-256 of each token is stored. Environment: DATABASE_PATH.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    org: { type: "string" },
    label: { type: "string" },
    "also-for": { type: "string", default: "" },
    list: { type: "boolean", default: false },
    revoke: { type: "string" },
  },
});
if (!values.org && !values.list && !values.revoke) {
  console.log(HELP);
  process.exit(2);
}
loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
try {
  if (values.revoke) {
    const ok = revokeToken(db, Number(values.revoke));
    console.log(ok ? `Token ${values.revoke} revoked.` : `No active token with id ${values.revoke}.`);
    process.exitCode = ok ? 0 : 1;
  } else if (values.list) {
    console.table(listTokens(db, values.org));
  } else {
    const alsoFor = values["also-for"]!.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = [values.org!, ...alsoFor].filter((org) => !organisationExists(db, org));
    if (unknown.length) {
      console.error(`Unknown organisation ${unknown.map((o) => `"${o}"`).join(", ")}`);
      process.exitCode = 2;
    } else {
      const { id, token } = issueToken(db, values.org!, values.label ?? "token", new Date(), alsoFor);
      console.log(`Token ${id} for ${values.org} (store it now; it is not shown again):\n${token}`);
    }
  }
} finally {
  closeDb();
}
