/**
 * npm run user:create -- --email <e-mail> --name <name> --role researcher|editor|admin [--org <id> …] [--password-stdin]
 * Creates an account. Without --password-stdin it has no password yet and a one-time link to set
 * one is printed (no mail server here). Passwords are never taken as arguments (shell history).
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { createUser, ROLES, UserInputError, type Role } from "#app/models/user.server";
import { hashPassword, passwordProblem } from "#app/auth/password.server";
import { issueResetToken, RESET_TOKEN_HOURS } from "#app/auth/reset.server";
import { COMMAND_LINE } from "#app/models/account-audit.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage:
  npm run user:create -- --email kari@stolav.no --name "Kari Nordmann" --role researcher --org st-olavs [--org ous]
  npm run user:create -- --email red@ous-hf.no --name "Ola Redaktør" --role editor --org ous
  npm run user:create -- --email admin@example.no --name "Admin" --role admin

Options:
  --email <e-mail>     sign-in e-mail (unique)
  --name <name>        shown in the history of every change the user makes
  --role <role>        researcher (one or more --org), editor (one or more --org) or admin (no --org)
  --org <id>           organisation id (see data/reference/organisations), repeatable
  --password-stdin     read the password from standard input (at least 12 characters);
                       otherwise a link to set it is printed (valid ${RESET_TOKEN_HOURS} hours)
  -h, --help           this text

The administrators' audit trail (/admin/kontoer) records the account as created by the command line.
Environment: DATABASE_PATH, BASE_URL (for the link).`;

const { values } = parseScriptArgs(HELP, {
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    org: { type: "string", multiple: true },
    "password-stdin": { type: "boolean", default: false },
  },
});
const problems: string[] = [];
if (!values.email) problems.push("--email is required");
if (!values.name) problems.push("--name is required");
if (!values.role || !(ROLES as readonly string[]).includes(values.role))
  problems.push(`--role must be one of ${ROLES.join(", ")}`);
if (problems.length) {
  console.error(problems.join("\n") + "\n\n" + HELP);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

const config = loadConfigOrExit();
let passwordHash: string | null = null;
if (values["password-stdin"]) {
  const password = await readStdin();
  const problem = passwordProblem(password);
  if (problem) {
    console.error(problem);
    process.exit(2);
  }
  passwordHash = await hashPassword(password);
}
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
try {
  const role = values.role as Role;
  const orgs = values.org ?? [];
  const roles =
    role === "admin"
      ? orgs.length
        ? [{ role, organisationId: "-" }]
        : [{ role, organisationId: null }]
      : orgs.length
        ? orgs.map((o) => ({ role, organisationId: o }))
        : [{ role, organisationId: null }];
  const id = createUser(
    db,
    { email: values.email!, name: values.name!, passwordHash, roles },
    new Date(),
    COMMAND_LINE,
  );
  console.log(
    `User ${id} created: ${values.email!.trim().toLowerCase()} (${role}${orgs.length ? ` of ${orgs.join(", ")}` : ""}).`,
  );
  if (!passwordHash) {
    const issued = issueResetToken(db, values.email!, new Date(), COMMAND_LINE)!;
    console.log(
      `Set the password (once, before ${issued.expiresAt.toISOString()}):\n${config.BASE_URL.replace(/\/+$/, "")}/nytt-passord?token=${issued.token}`,
    );
  }
} catch (error) {
  if (error instanceof UserInputError) {
    console.error(`Cannot create the user: ${error.message}`);
    process.exitCode = 2;
  } else throw error;
} finally {
  closeDb();
}
