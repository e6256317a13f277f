/**
 * The staff audit trail of account actions (migration 0023, ADR 0029) on a real SQLite file,
 * through the real models: each action writes exactly one entry in its own transaction (actor,
 * account, action, when); a refused change, or one that changes nothing, writes none; no e-mail,
 * password, hash or token is ever in it; only an administrator may read it. The two CLI scripts
 * (real child processes) record with the command line as actor.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ForbiddenError, type Principal } from "#app/auth/policy";
import { invite } from "#app/auth/invite.server";
import { issueResetToken, resetPassword } from "#app/auth/reset.server";
import { openDatabase, type Db } from "#app/db.server";
import { AccountProblemError, changeAccount } from "#app/models/account-admin.server";
import { COMMAND_LINE, listAccountAudit } from "#app/models/account-audit.server";
import { createUser, getUser } from "#app/models/user.server";
import { freshDb, type TestDb } from "../helpers/db";

const NOW = new Date("2026-11-12T10:00:00Z");
let t: TestDb;
let db: Db;
let admin: Principal;
let editor: Principal;

const entries = () =>
  db
    .prepare("SELECT account_id, actor_kind, actor_user_id, action, detail, at FROM account_audit ORDER BY id")
    .all() as {
    account_id: number;
    actor_kind: string;
    actor_user_id: number | null;
    action: string;
    detail: string | null;
    at: string;
  }[];
const count = () => db.prepare("SELECT count(*) FROM account_audit").pluck().get() as number;

beforeEach(() => {
  t?.cleanup();
  t = freshDb();
  db = t.db;
  const make = (email: string, name: string, role: "admin" | "editor", org: string | null) =>
    getUser(db, createUser(db, { email, name, passwordHash: null, roles: [{ role, organisationId: org }] }))!;
  admin = make("admin@example.no", "Nina Admin", "admin", null);
  editor = make("redaktor@ous.example.no", "Per Redaktør", "editor", "ous");
});
afterAll(() => t?.cleanup());

describe("each account action writes one entry, in the change's transaction", () => {
  it("set-up people (no actor given) are not in the trail", () => {
    expect(count()).toBe(0);
  });

  it("invite: one 'invited' entry by the administrator, with role and organisations, and no e-mail or token", () => {
    const invited = invite(
      db,
      admin,
      { email: "Ny@OUS.example.no", name: "Nora Ny", role: "editor", organisationIds: ["ous"] },
      NOW,
    );
    expect(entries()).toEqual([
      {
        account_id: invited.userId,
        actor_kind: "user",
        actor_user_id: admin.id,
        action: "invited",
        detail: JSON.stringify({ role: "editor", organisations: ["ous"] }),
        at: NOW.toISOString(),
      },
    ]);
    const token = invited.path.split("token=")[1]!;
    const all = JSON.stringify(db.prepare("SELECT * FROM account_audit").all());
    expect(all).not.toContain("@");
    expect(all).not.toContain(token);
  });

  it("password set with the link: one 'password-set' entry by the person; the used link again writes none", async () => {
    const invited = invite(
      db,
      admin,
      { email: "ny@ous.example.no", name: "Nora Ny", role: "editor", organisationIds: ["ous"] },
      NOW,
    );
    const token = invited.path.split("token=")[1]!;
    const before = count();
    expect(await resetPassword(db, token, "et-langt-nok-passord", NOW)).not.toBeNull();
    expect(entries().slice(before)).toMatchObject([
      {
        account_id: invited.userId,
        actor_kind: "user",
        actor_user_id: invited.userId,
        action: "password-set",
        detail: null,
      },
    ]);
    expect(await resetPassword(db, token, "et-annet-langt-passord", NOW)).toBeNull();
    expect(count()).toBe(before + 1);
  });

  it("disable and re-enable: one entry each; disabling an already disabled account writes none", () => {
    changeAccount(db, admin, { kind: "disable", accountId: editor.id }, NOW);
    changeAccount(db, admin, { kind: "disable", accountId: editor.id }, NOW);
    changeAccount(db, admin, { kind: "enable", accountId: editor.id }, NOW);
    changeAccount(db, admin, { kind: "enable", accountId: editor.id }, NOW);
    expect(entries().map((e) => [e.account_id, e.actor_user_id, e.action])).toEqual([
      [editor.id, admin.id, "disabled"],
      [editor.id, admin.id, "enabled"],
    ]);
  });

  it("role change and organisation change: one entry each with before and after; an unchanged save writes none", () => {
    changeAccount(
      db,
      admin,
      { kind: "roles", accountId: editor.id, role: "editor", organisationIds: ["ous", "st-olavs"] },
      NOW,
    );
    changeAccount(
      db,
      admin,
      { kind: "roles", accountId: editor.id, role: "researcher", organisationIds: ["ous"] },
      NOW,
    );
    changeAccount(
      db,
      admin,
      { kind: "roles", accountId: editor.id, role: "researcher", organisationIds: ["ous"] },
      NOW,
    );
    expect(entries().map((e) => [e.action, JSON.parse(e.detail!)])).toEqual([
      [
        "organisations-changed",
        {
          from: { role: "editor", organisations: ["ous"] },
          to: { role: "editor", organisations: ["ous", "st-olavs"] },
        },
      ],
      [
        "role-changed",
        {
          from: { role: "editor", organisations: ["ous", "st-olavs"] },
          to: { role: "researcher", organisations: ["ous"] },
        },
      ],
    ]);
  });

  it("a refused or failed change writes none (last administrator, unknown organisation, taken e-mail, unknown account)", () => {
    expect(() => changeAccount(db, admin, { kind: "disable", accountId: admin.id }, NOW)).toThrow(AccountProblemError);
    expect(() =>
      changeAccount(db, admin, { kind: "roles", accountId: admin.id, role: "editor", organisationIds: ["ous"] }, NOW),
    ).toThrow(AccountProblemError);
    expect(() =>
      changeAccount(
        db,
        admin,
        { kind: "roles", accountId: editor.id, role: "editor", organisationIds: ["no-such-org"] },
        NOW,
      ),
    ).toThrow(AccountProblemError);
    expect(() =>
      invite(db, admin, { email: editor.email, name: "Twin", role: "editor", organisationIds: ["ous"] }, NOW),
    ).toThrow(AccountProblemError);
    expect(() => changeAccount(db, admin, { kind: "disable", accountId: 99_999 }, NOW)).toThrow(AccountProblemError);
    expect(() => changeAccount(db, editor, { kind: "disable", accountId: admin.id }, NOW)).toThrow(ForbiddenError);
    expect(count()).toBe(0);
    // …and the rows they would have changed are as they were.
    expect(getUser(db, editor.id)!.roles).toEqual([{ role: "editor", organisationId: "ous" }]);
  });

  it("the command line: a created account and an issued link are recorded with no user as actor", () => {
    const id = createUser(
      db,
      {
        email: "cli@ous.example.no",
        name: "Kari Kommando",
        passwordHash: null,
        roles: [{ role: "researcher", organisationId: "ous" }],
      },
      NOW,
      COMMAND_LINE,
    );
    expect(issueResetToken(db, "cli@ous.example.no", NOW)).not.toBeNull();
    expect(issueResetToken(db, "nobody@ous.example.no", NOW)).toBeNull();
    expect(entries().map((e) => [e.account_id, e.actor_kind, e.actor_user_id, e.action])).toEqual([
      [id, "cli", null, "created"],
      [id, "cli", null, "link-issued"],
    ]);
  });
});

describe("reading the trail", () => {
  it("an administrator gets the newest first, with names (the command line as null); anyone else is refused", () => {
    changeAccount(db, admin, { kind: "disable", accountId: editor.id }, NOW);
    issueResetToken(db, editor.email, new Date(NOW.getTime() + 60_000));
    const list = listAccountAudit(db, admin);
    expect(list.map((e) => [e.action, e.accountName, e.actorName])).toEqual([
      ["link-issued", "Per Redaktør", null],
      ["disabled", "Per Redaktør", "Nina Admin"],
    ]);
    expect(() => listAccountAudit(db, editor)).toThrow(ForbiddenError);
    const researcher = getUser(
      db,
      createUser(db, {
        email: "f@ous.example.no",
        name: "F",
        passwordHash: null,
        roles: [{ role: "researcher", organisationId: "ous" }],
      }),
    )!;
    expect(() => listAccountAudit(db, researcher)).toThrow(ForbiddenError);
  });
});

describe("the CLI scripts record with the command line as actor", () => {
  const run = promisify(execFile);
  const TSX = path.resolve("node_modules/.bin/tsx");

  it("npm run user:create and user:reset-password", async () => {
    const env = { ...process.env, DATABASE_PATH: t.file, BASE_URL: "http://localhost:3000" };
    db.close();
    await run(
      TSX,
      [
        "scripts/user-create.ts",
        "--email",
        "skript@ous.example.no",
        "--name",
        "Sara Skript",
        "--role",
        "editor",
        "--org",
        "ous",
      ],
      { env, timeout: 60_000 },
    );
    await run(TSX, ["scripts/user-reset-password.ts", "--email", "skript@ous.example.no"], { env, timeout: 60_000 });
    db = openDatabase(t.file);
    t.db = db;
    const id = db.prepare("SELECT id FROM users WHERE email = 'skript@ous.example.no'").pluck().get() as number;
    expect(entries().map((e) => [e.account_id, e.actor_kind, e.actor_user_id, e.action])).toEqual([
      [id, "cli", null, "created"],
      [id, "cli", null, "link-issued"],
      [id, "cli", null, "link-issued"],
    ]);
    db.close();
  });
});
