/**
 * npm run feeds -- --add --org <id> --url <url> --format <fmt> [--partial] [--interval <seconds>]
 * npm run feeds -- --list
 * npm run feeds -- --poll        poll every due feed now (the server also does this on its own)
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { pollDueFeeds } from "#app/ingest/feed-poller.server";
import { INGEST_FORMATS, type IngestFormat } from "#app/ingest/types";
import { addFeedSubscription, listFeedSubscriptions } from "#app/models/feed.server";
import { organisationExists } from "#app/models/ingest.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage:
  npm run feeds -- --add --org <id> --url <http(s) url> --format <${INGEST_FORMATS.join("|")}> [--partial] [--interval <seconds, default 900>]
                   [--also-for <ids>]   a regional listing: records "utført av" these organisations are theirs
  npm run feeds -- --list
  npm run feeds -- --poll

A feed is polled with If-None-Match / If-Modified-Since; failures back off (interval × 2^failures,
at most 24 h). A feed is a full feed unless --partial. The running server polls due feeds itself.
Environment: DATABASE_PATH.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    add: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
    poll: { type: "boolean", default: false },
    org: { type: "string" },
    "also-for": { type: "string", default: "" },
    url: { type: "string" },
    format: { type: "string" },
    partial: { type: "boolean", default: false },
    interval: { type: "string", default: "900" },
  },
});
if (!values.add && !values.list && !values.poll) {
  console.log(HELP);
  process.exit(2);
}
loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
if (values.add) {
  const problems: string[] = [];
  if (!values.org || !organisationExists(db, values.org))
    problems.push(`--org: unknown organisation "${values.org ?? ""}"`);
  if (!values.url || !/^https?:\/\//.test(values.url)) problems.push("--url: must be an http(s) URL");
  if (!values.format || !(INGEST_FORMATS as readonly string[]).includes(values.format))
    problems.push(`--format: one of ${INGEST_FORMATS.join(", ")}`);
  const alsoFor = values["also-for"]!.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const org of alsoFor)
    if (!organisationExists(db, org)) problems.push(`--also-for: unknown organisation "${org}"`);
  const interval = Number(values.interval);
  if (!Number.isInteger(interval) || interval < 10) problems.push("--interval: whole seconds, at least 10");
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(2);
  }
  const id = addFeedSubscription(db, {
    organisationId: values.org!,
    url: values.url!,
    format: values.format as IngestFormat,
    mode: values.partial ? "partial" : "full",
    intervalSeconds: interval,
    alsoFor,
  });
  console.log(`Feed ${id} added for ${values.org}: ${values.url}`);
} else if (values.list) {
  console.table(listFeedSubscriptions(db).map(({ etag, lastModified, ...rest }) => rest));
} else {
  const outcomes = await pollDueFeeds(db);
  console.table(
    outcomes.map((o) => ({ status: o.status, run: o.runId, next: o.nextPollAt.toISOString(), error: o.error ?? "" })),
  );
}
closeDb();
