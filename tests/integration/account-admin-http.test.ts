/**
 * /admin/kontoer over real HTTP against the built server on a real SQLite file (issue 18 item 4):
 * invite → set the password with the link shown once → sign in; disable → cannot sign in and an
 * open session ends; re-enable; a role change takes effect on the next request; the last active
 * administrator cannot disable or demote themself; bad input gets a clear error per field, in
 * the page's language, and stores nothing.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import smtpServer from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { tempDir } from "../helpers/db";
import { createPeople, PEOPLE, type Person } from "../helpers/accounts";

let server: RunningServer;
let db: Db;
let ids: Record<Person, number>;

beforeAll(async () => {
  const dbFile = path.join(tempDir("ks-account-admin-"), "accounts.db");
  const setup = openDatabase(dbFile);
  prepareDatabase(setup, { seedDemoData: false });
  ids = await createPeople(setup);
  setup.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", SESSION_SECRET: "k".repeat(40) });
  db = openDatabase(dbFile);
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

async function as(person: Person): Promise<BrowserClient> {
  const c = new BrowserClient(server.url);
  const { res } = await c.attemptSignIn(PEOPLE[person].email);
  expect(res.status, `sign-in of ${person}`).toBe(302);
  return c;
}
const users = () => db.prepare("SELECT count(*) FROM users").pluck().get() as number;
const decode = (html: string) =>
  html
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');

describe("inviting an account", () => {
  it("shows a one-time link once; the link sets the password; the new editor signs in and has the role", async () => {
    const admin = await as("admin");
    const page = await admin.get("/admin/kontoer");
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("Inviter en ny konto");
    expect(page.body).toContain(PEOPLE.editorOus.email);
    const invited = await admin.post("/admin/kontoer", [
      ["intent", "invite"],
      ["email", "  Ny.Redaktor@OUS.example.no "],
      ["name", "Nora Ny"],
      ["role", "editor"],
      ["organisations", "ous"],
    ]);
    expect(invited.res.status).toBe(200);
    const link = /(http[^"<\s]*\/nytt-passord\?token=([A-Za-z0-9_-]+))/.exec(decode(invited.body));
    expect(link, "the invitation link on the page").not.toBeNull();
    const token = link![2]!;
    const row = db.prepare("SELECT id, password_hash FROM users WHERE email = 'ny.redaktor@ous.example.no'").get() as {
      id: number;
      password_hash: string | null;
    };
    expect(row.password_hash).toBeNull();
    expect(db.prepare("SELECT role, organisation_id FROM user_roles WHERE user_id = ?").all(row.id)).toEqual([
      { role: "editor", organisation_id: "ous" },
    ]);
    // Only the token's hash is stored.
    expect(db.prepare("SELECT count(*) FROM password_reset_tokens WHERE token_hash = ?").pluck().get(token)).toBe(0);
    // Shown once: the page read again does not carry it.
    expect((await admin.get("/admin/kontoer")).body).not.toContain(token);

    const person = new BrowserClient(server.url);
    const form = await person.get(`/nytt-passord?token=${token}`);
    expect(form.body).toContain("ny.redaktor@ous.example.no");
    const password = "et helt nytt passord for Nora";
    const set = await person.post("/nytt-passord", { token: token, password, repeat: password });
    expect(set.res.status).toBe(302);
    const signIn = await person.attemptSignIn("ny.redaktor@ous.example.no", password);
    expect(signIn.res.status).toBe(302);
    expect((await person.get("/redaksjon")).res.status).toBe(200);
    // The link works once.
    const again = await new BrowserClient(server.url).get(`/nytt-passord?token=${token}`);
    expect(again.body).toContain("Lenken er brukt, utløpt eller ugyldig");
  });

  it("bad input gets an error per field, in the page's language, and stores nothing", async () => {
    const admin = await as("admin");
    await admin.get("/admin/kontoer");
    const before = users();
    const bad = await admin.post("/admin/kontoer", { intent: "invite", email: "ikke-en-adresse", name: "", role: "" });
    expect(bad.res.status).toBe(400);
    expect(bad.body).toContain("Skriv en gyldig e-postadresse");
    expect(bad.body).toContain("Skriv personens navn.");
    expect(bad.body).toContain("Velg en rolle.");
    expect(bad.body).toMatch(/aria-invalid="true"/);

    await admin.get("/admin/kontoer?lang=en");
    const en = await admin.post("/admin/kontoer?lang=en", {
      intent: "invite",
      email: "x",
      name: "Ann",
      role: "editor",
    });
    expect(en.res.status).toBe(400);
    expect(en.body).toContain("Write a valid e-mail address");

    await admin.get("/admin/kontoer?lang=nn");
    const nn = await admin.post("/admin/kontoer?lang=nn", {
      intent: "invite",
      email: "utan.org@example.no",
      name: "Utan Org",
      role: "researcher",
    });
    expect(nn.res.status).toBe(400);
    expect(nn.body).toContain("Vel minst éin organisasjon");

    const taken = await admin.post("/admin/kontoer", [
      ["intent", "invite"],
      ["email", PEOPLE.editorOus.email],
      ["name", "Dobbel"],
      ["role", "editor"],
      ["organisations", "ous"],
    ]);
    expect(taken.res.status).toBe(400);
    expect(taken.body).toContain("Det finnes allerede en konto med denne e-postadressen.");

    const unknownOrg = await admin.post("/admin/kontoer", [
      ["intent", "invite"],
      ["email", "ukjent.org@example.no"],
      ["name", "Ukjent"],
      ["role", "editor"],
      ["organisations", "finnes-ikke"],
    ]);
    expect(unknownOrg.res.status).toBe(400);
    expect(unknownOrg.body).toContain("En av organisasjonene finnes ikke i listen.");

    const adminWithOrg = await admin.post("/admin/kontoer", [
      ["intent", "invite"],
      ["email", "admin2@example.no"],
      ["name", "To"],
      ["role", "admin"],
      ["organisations", "ous"],
    ]);
    expect(adminWithOrg.res.status).toBe(400);
    expect(adminWithOrg.body).toContain("En nasjonal administrator har ingen organisasjon.");
    expect(users()).toBe(before);
  });
});

describe("disabling and re-enabling", () => {
  it("a disabled account's open session ends and it cannot sign in; re-enabled, it can again", async () => {
    const researcher = await as("researcherStOlavs");
    expect((await researcher.get("/forsker/studier")).res.status).toBe(200);
    const admin = await as("admin");
    await admin.get("/admin/kontoer");
    const off = await admin.post("/admin/kontoer", { intent: "disable", account: String(ids.researcherStOlavs) });
    expect(off.res.status).toBe(302);
    const done = await admin.get(off.res.headers.get("location")!);
    expect(done.body).toContain(`Kontoen til ${PEOPLE.researcherStOlavs.name} er sperret.`);
    expect(
      db
        .prepare("SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL")
        .pluck()
        .get(ids.researcherStOlavs),
    ).toBe(0);
    const after = await researcher.get("/forsker/studier");
    expect(after.res.status).toBe(302);
    expect(after.res.headers.get("location")).toMatch(/^\/logg-inn\?til=/);
    const refused = await new BrowserClient(server.url).attemptSignIn(PEOPLE.researcherStOlavs.email);
    expect(refused.res.status).not.toBe(302);

    await admin.get("/admin/kontoer");
    const on = await admin.post("/admin/kontoer", { intent: "enable", account: String(ids.researcherStOlavs) });
    expect(on.res.status).toBe(302);
    await as("researcherStOlavs");
  });
});

describe("changing role and organisations", () => {
  it("takes effect on the person's next request, in the session they already have", async () => {
    const editor = await as("editorStOlavs");
    expect((await editor.get("/redaksjon")).res.status).toBe(200);
    const admin = await as("admin");
    await admin.get("/admin/kontoer");
    const changed = await admin.post("/admin/kontoer", [
      ["intent", "roles"],
      ["account", String(ids.editorStOlavs)],
      ["role", "researcher"],
      ["organisations", "st-olavs"],
      ["organisations", "ous"],
    ]);
    expect(changed.res.status).toBe(302);
    expect(
      db
        .prepare("SELECT role, organisation_id FROM user_roles WHERE user_id = ? ORDER BY organisation_id")
        .all(ids.editorStOlavs),
    ).toEqual([
      { role: "researcher", organisation_id: "ous" },
      { role: "researcher", organisation_id: "st-olavs" },
    ]);
    expect((await editor.get("/redaksjon")).res.status).toBe(403);
    expect((await editor.get("/forsker/studier")).res.status).toBe(200);
    // A researcher with no organisation is refused with the reason, and nothing changes.
    await admin.get("/admin/kontoer");
    const none = await admin.post("/admin/kontoer", {
      intent: "roles",
      account: String(ids.editorStOlavs),
      role: "editor",
    });
    expect(none.res.status).toBe(400);
    expect(none.body).toContain("Velg minst én organisasjon for en forsker eller redaktør.");
    // …on the organisations field of that account's form (Conform), marked invalid.
    expect(none.body).toContain(
      `<p id="konto-${ids.editorStOlavs}-rolle-organisations-error" class="field-error">Velg minst én organisasjon for en forsker eller redaktør.</p>`,
    );
    expect(none.body).toMatch(
      new RegExp(`<select[^>]*id="konto-${ids.editorStOlavs}-rolle-organisations"[^>]*aria-invalid="true"`),
    );
    expect(db.prepare("SELECT count(*) FROM user_roles WHERE user_id = ?").pluck().get(ids.editorStOlavs)).toBe(2);
  });
});

describe("at least one active administrator remains", () => {
  it("the only administrator cannot disable or demote themself: a clear error, nothing changes", async () => {
    const admin = await as("admin");
    await admin.get("/admin/kontoer");
    const off = await admin.post("/admin/kontoer", { intent: "disable", account: String(ids.admin) });
    expect(off.res.status).toBe(400);
    expect(off.body).toContain("Det må alltid være minst én aktiv nasjonal administrator.");
    const demote = await admin.post("/admin/kontoer", [
      ["intent", "roles"],
      ["account", String(ids.admin)],
      ["role", "editor"],
      ["organisations", "ous"],
    ]);
    expect(demote.res.status).toBe(400);
    expect(demote.body).toContain("Det må alltid være minst én aktiv nasjonal administrator.");
    expect(demote.body).toContain(
      `<p id="konto-${ids.admin}-rolle-role-error" class="field-error">Det må alltid være minst én aktiv nasjonal administrator.`,
    );
    // …and only there: not on the invitation form.
    expect(demote.body).not.toContain('id="inviter-role-error"');
    expect(db.prepare("SELECT disabled_at FROM users WHERE id = ?").pluck().get(ids.admin)).toBeNull();
    expect(db.prepare("SELECT role FROM user_roles WHERE user_id = ?").pluck().all(ids.admin)).toEqual(["admin"]);
    expect((await admin.get("/admin/kontoer")).res.status).toBe(200);
  });
});

describe("the audit trail of account actions (ADR 0029)", () => {
  it("the administrator sees who did what to which account, by name and with dates in words, in nb and en", async () => {
    const admin = await as("admin");
    const nb = await admin.get("/admin/kontoer");
    expect(nb.body).toContain("Siste endringer av kontoer");
    const table = (html: string) => decode(/<table data-testid="kontologg">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "");
    // Earlier tests here invited Nora Ny (an editor at OUS) and disabled, re-enabled and changed others.
    expect(table(nb.body)).toMatch(
      /<td>Nina Admin<\/td><th scope="row">Nora Ny<\/th><td>Invitert som Redaktør ved [^<]+<\/td>/,
    );
    expect(table(nb.body)).toContain("Sperret");
    expect(table(nb.body)).toMatch(
      /\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember) \d{4}/,
    );
    // Names, never ids or addresses.
    expect(table(nb.body)).not.toContain("@");
    const en = await admin.get("/admin/kontoer?lang=en");
    expect(en.body).toContain("Latest changes to accounts");
    expect(table(en.body)).toMatch(/Invited as Editor at [^<]+<\/td>/);
    const entries = db.prepare("SELECT count(*) FROM account_audit").pluck().get() as number;
    expect(entries).toBeGreaterThan(0);
    // Anyone else gets no page at all (the authorisation matrix has every role), and their refused change writes nothing.
    const editor = await as("editorOus");
    const refused = await editor.get("/admin/kontoer");
    expect(refused.res.status).toBe(403);
    expect(refused.body).not.toContain("Nora Ny");
    await editor.get("/forsker/studier");
    expect((await editor.post("/admin/kontoer", { intent: "disable", account: String(ids.admin) })).res.status).toBe(
      403,
    );
    expect(db.prepare("SELECT count(*) FROM account_audit").pluck().get()).toBe(entries);
  });
});

describe("with SMTP configured, the invitation is also e-mailed (a real SMTP server in the test)", () => {
  it("the person receives the same one-time link; the page says it was sent", async () => {
    const received: { to: string[]; raw: string }[] = [];
    const smtp = new smtpServer.SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const dbFile = path.join(tempDir("ks-account-mail-"), "accounts.db");
    const setup = openDatabase(dbFile);
    prepareDatabase(setup, { seedDemoData: false });
    await createPeople(setup);
    setup.close();
    const mailServer = await startServer({
      DATABASE_PATH: dbFile,
      SEED_DEMO_DATA: "false",
      SESSION_SECRET: "m".repeat(40),
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Kliniske studier <ikke-svar@portal.example.test>",
    });
    try {
      const admin = new BrowserClient(mailServer.url);
      expect((await admin.attemptSignIn(PEOPLE.admin.email)).res.status).toBe(302);
      await admin.get("/admin/kontoer?lang=en");
      const invited = await admin.post("/admin/kontoer?lang=en", [
        ["intent", "invite"],
        ["email", "post@ous.example.no"],
        ["name", "Per Post"],
        ["role", "researcher"],
        ["organisations", "ous"],
      ]);
      expect(invited.res.status).toBe(200);
      expect(invited.body).toContain("The link was also sent to the person by e-mail.");
      const token = /nytt-passord\?token=([A-Za-z0-9_-]+)/.exec(invited.body)![1]!;
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(["post@ous.example.no"]);
      const raw = received[0]!.raw.replace(/=\r?\n/g, "");
      expect(raw).toContain("Subject: Invitation to Kliniske studier");
      expect(raw).toContain(token.slice(0, 20));
    } finally {
      await mailServer.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
