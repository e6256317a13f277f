/**
 * Researchers and editors over real HTTP against the built server on a real SQLite file:
 * sign-in/out, wrong password, rate limit, CSRF refusal, session expiry, every forbidden action
 * per role (403), the date update writing exactly one version, restore, approve, and that
 * patients' pages never set cookies.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { tempDir } from "../helpers/db";
import { createPeople, createStudies, PASSWORD, PEOPLE, type Person } from "../helpers/accounts";
import { issueResetToken } from "#app/auth/reset.server";

let server: RunningServer;
let dbFile: string;
let db: Db;
let ids: { a: number; b: number };

beforeAll(async () => {
  dbFile = path.join(tempDir("ks-accounts-"), "accounts.db");
  const setup = openDatabase(dbFile);
  prepareDatabase(setup, { seedDemoData: false });
  await createPeople(setup);
  ids = createStudies(setup);
  setup.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", SESSION_SECRET: "s".repeat(40) });
  db = openDatabase(dbFile);
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

/** A browser-like client for this test's server (tests/helpers/browser-client.ts). */
const client = () => new BrowserClient(server.url);

async function as(person: Person): Promise<BrowserClient> {
  const c = client();
  const { res } = await c.attemptSignIn(PEOPLE[person].email);
  expect(res.status, `sign-in of ${person}`).toBe(302);
  return c;
}

const versions = (id: number) =>
  db.prepare("SELECT count(*) FROM study_versions WHERE study_id = ?").pluck().get(id) as number;
const state = (id: number) =>
  db.prepare("SELECT publication_state FROM studies WHERE id = ?").pluck().get(id) as string;

describe("signing in and out", () => {
  it("without a page asked for, an editor lands on the approval queue, a researcher and the administrator on their studies", async () => {
    for (const [who, home] of [
      ["editorStOlavs", "/redaksjon"],
      ["researcherStOlavs", "/forsker/studier"],
      ["admin", "/forsker/studier"],
    ] as const) {
      const c = client();
      const page = await c.get("/logg-inn");
      // The form asks for no page of its own.
      expect(page.body, who).toContain('name="til" value=""');
      const { res } = await c.post("/logg-inn", { email: PEOPLE[who].email, password: PASSWORD, til: "" });
      expect(res.headers.get("location"), who).toBe(home);
      // Signed in, /logg-inn sends them home too; a page asked for still wins.
      expect((await c.get("/logg-inn")).res.headers.get("location"), who).toBe(home);
      expect((await c.get("/logg-inn?til=/forsker/statistikk")).res.headers.get("location"), who).toBe(
        "/forsker/statistikk",
      );
    }
  });

  it("signs in with a session cookie that is HttpOnly, SameSite=Lax and signed", async () => {
    const c = client();
    const page = await c.get("/logg-inn");
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("cache-control")).toContain("no-store");
    const { res } = await c.post("/logg-inn", {
      email: PEOPLE.researcherStOlavs.email,
      password: PASSWORD,
      til: "/forsker/studier",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/forsker/studier");
    const session = res.headers.getSetCookie().find((s) => s.startsWith("ks_session="))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/); // BASE_URL is http here
    // Only a hash of the session id is stored.
    const raw = decodeURIComponent(c.cookies.get("ks_session")!).split(".")[0]!;
    expect(db.prepare("SELECT count(*) FROM sessions WHERE id_hash = ?").pluck().get(raw)).toBe(0);
    const mine = await c.get("/forsker/studier");
    expect(mine.res.status).toBe(200);
    expect(mine.body).toContain("Kari Forsker");
    expect(mine.body).toContain("Fiktiv studie av hjertesvikt");
    expect(mine.body).not.toContain("Fiktiv studie ved OUS");
  });

  it("refuses a wrong password without saying whether the e-mail exists, and sets no session", async () => {
    const wrong = await client().attemptSignIn(PEOPLE.researcherOus.email, "feil passord her");
    const unknown = await client().attemptSignIn("finnes.ikke@example.no", "feil passord her");
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(401);
      expect(r.body).toContain("Feil e-postadresse eller passord.");
      expect(r.res.headers.getSetCookie().some((s) => s.startsWith("ks_session="))).toBe(false);
    }
  });

  it("says which field is missing", async () => {
    const c = client();
    await c.get("/logg-inn");
    const r = await c.post("/logg-inn", { email: "", password: "" });
    expect(r.res.status).toBe(400);
    expect(r.body).toContain("Skriv e-postadressen din.");
  });

  it("says it on the field and in the page's language (en, nn); a wrong password is one message, never echoed", async () => {
    const c = client();
    await c.get("/logg-inn?lang=en");
    const empty = await c.post("/logg-inn?lang=en", { email: "", password: "" });
    expect(empty.res.status).toBe(400);
    expect(empty.body).toMatch(/<p id="[^"]*email-error" class="field-error">Enter your email address\.<\/p>/);
    expect(empty.body).toMatch(/<p id="[^"]*password-error" class="field-error">Enter your password\.<\/p>/);
    const wrong = await c.post("/logg-inn?lang=nn", {
      email: "finst.ikkje@example.no",
      password: "hemmeleg-feil-passord",
    });
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toContain("Feil e-postadresse eller passord.");
    expect(wrong.body).toContain('value="finst.ikkje@example.no"');
    expect(wrong.body).not.toContain("hemmeleg-feil-passord");
    const en = await c.post("/logg-inn?lang=en", {
      email: PEOPLE.researcherOus.email,
      password: "wrong-password-here",
    });
    expect(en.res.status).toBe(401);
    expect(en.body).toContain("Wrong email address or password.");
    expect(en.body).not.toContain("wrong-password-here");
  });

  it("rate-limits sign-in: after 5 failures even the right password is refused (429)", async () => {
    for (let i = 0; i < 5; i++)
      expect((await client().attemptSignIn(PEOPLE.lockout.email, `feil-${i}-passord`)).res.status).toBe(401);
    const locked = await client().attemptSignIn(PEOPLE.lockout.email);
    expect(locked.res.status).toBe(429);
    expect(locked.body).toContain("For mange mislykkede innlogginger");
  });

  it("signs out: the session ends in the database, the old cookie no longer works", async () => {
    const c = await as("researcherOus");
    const old = c.header();
    await c.get("/forsker/studier");
    const out = await c.post("/logg-ut", {});
    expect(out.res.status).toBe(302);
    expect(out.res.headers.getSetCookie().some((s) => s.startsWith("ks_session=;") && /Max-Age=0/.test(s))).toBe(true);
    const again = await fetch(`${server.url}/forsker/studier`, { headers: { cookie: old }, redirect: "manual" });
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/logg-inn?til=%2Fforsker%2Fstudier");
  });

  it("an expired session sends the user to sign in again", async () => {
    const c = await as("editorOus");
    expect((await c.get("/redaksjon")).res.status).toBe(200);
    const userId = db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(PEOPLE.editorOus.email);
    db.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_id = ?").run(userId);
    const after = await c.get("/redaksjon");
    expect(after.res.status).toBe(302);
    expect(after.res.headers.get("location")).toMatch(/^\/logg-inn\?til=/);
  });

  it("a signed-out visitor of a researcher page is sent to sign in", async () => {
    const res = await fetch(`${server.url}/forsker/studier/${ids.a}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/logg-inn?til=%2Fforsker%2Fstudier%2F${ids.a}`);
  });
});

describe("password reset", () => {
  it("a printed token sets a new password once and ends the user's sessions", async () => {
    const signedIn = await as("researcherOus");
    const issued = issueResetToken(db, PEOPLE.researcherOus.email)!;
    expect(
      db.prepare("SELECT count(*) FROM password_reset_tokens WHERE token_hash = ?").pluck().get(issued.token),
    ).toBe(0);
    const c = client();
    const page = await c.get(`/nytt-passord?token=${issued.token}`);
    expect(page.body).toContain(PEOPLE.researcherOus.email);
    // Posted to the page's own address, as the browser's form does (the problem is on the page, by its field).
    const short = await c.post(`/nytt-passord?token=${issued.token}`, {
      token: issued.token,
      password: "kort",
      repeat: "kort",
    });
    expect(short.res.status).toBe(400);
    expect(short.body).toMatch(/<p id="[^"]*password-error" class="field-error">Passordet må ha minst 12 tegn\.<\/p>/);
    const different = await c.post(`/nytt-passord?token=${issued.token}`, {
      token: issued.token,
      password: "et helt nytt passord",
      repeat: "et annet nytt passord",
    });
    expect(different.res.status).toBe(400);
    expect(different.body).toMatch(/<p id="[^"]*repeat-error" class="field-error">Passordene er ikke like\.<\/p>/);
    expect(different.body).not.toContain("et helt nytt passord");
    const ok = await c.post("/nytt-passord", {
      token: issued.token,
      password: "et helt nytt passord",
      repeat: "et helt nytt passord",
    });
    expect(ok.res.status).toBe(302);
    expect((await signedIn.get("/forsker/studier")).res.status).toBe(302);
    expect((await client().attemptSignIn(PEOPLE.researcherOus.email, "et helt nytt passord")).res.status).toBe(302);
    const reuse = await c.post(`/nytt-passord?token=${issued.token}`, {
      token: issued.token,
      password: "et tredje passord!",
      repeat: "et tredje passord!",
    });
    expect(reuse.res.status).toBe(400);
    expect(reuse.body).toContain("Lenken er brukt, utløpt eller ugyldig.");
    db.prepare(
      "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = ?) WHERE email = ?",
    ).run(PEOPLE.admin.email, PEOPLE.researcherOus.email);
  });
});

describe("CSRF", () => {
  it("refuses a sign-in without the token, or with another token (403)", async () => {
    const c = client();
    await c.get("/logg-inn");
    expect(
      (await c.post("/logg-inn", { email: PEOPLE.admin.email, password: PASSWORD }, { csrf: false })).res.status,
    ).toBe(403);
    c.csrf = "ikke-riktig";
    expect((await c.post("/logg-inn", { email: PEOPLE.admin.email, password: PASSWORD })).res.status).toBe(403);
  });

  it("refuses a signed-in change without the token: 403 and no new version", async () => {
    const c = await as("researcherStOlavs");
    await c.get(`/forsker/studier/${ids.a}`);
    const before = versions(ids.a);
    const r = await c.post(
      `/forsker/studier/${ids.a}`,
      { intent: "dates", site: "st-olavs/", inclusionStart: "2026-01-01", inclusionEnd: "2029-01-01" },
      { csrf: false },
    );
    expect(r.res.status).toBe(403);
    expect(versions(ids.a)).toBe(before);
  });

  it("refuses a form sent from another site", async () => {
    const c = await as("researcherStOlavs");
    await c.get(`/forsker/studier/${ids.a}`);
    const before = versions(ids.a);
    const res = await fetch(`${server.url}/forsker/studier/${ids.a}`, {
      method: "POST",
      headers: {
        cookie: c.header(),
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://angriper.example",
      },
      body: new URLSearchParams({
        csrf: c.csrf,
        intent: "dates",
        site: "st-olavs/",
        inclusionStart: "2026-01-01",
        inclusionEnd: "2029-01-01",
      }),
      redirect: "manual",
    });
    // crossSiteGuard (app/auth/csrf.server.ts, in front of Remix) answers a clear 403; Remix alone
    // would answer an empty 500. tests/integration/authz-matrix.test.ts tries every form action.
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("sendt fra et annet nettsted");
    expect(versions(ids.a)).toBe(before);
  });
});

describe("every forbidden action per role answers 403", () => {
  const site = (key: string) => ({
    intent: "dates",
    site: key,
    inclusionStart: "2026-01-01",
    inclusionEnd: "2029-12-31",
  });
  const local = (key: string) => ({
    intent: "local",
    site: key,
    contactName: "X",
    contactEmail: "x@example.no",
    referral: "",
    pauseReason: "",
  });
  const cases: [string, Person, "get" | "post", () => string, Record<string, string>?][] = [
    [
      "researcher: another organisation's site dates",
      "researcherStOlavs",
      "post",
      () => `/forsker/studier/${ids.a}`,
      site("ous/"),
    ],
    ["researcher: a study of another organisation", "researcherStOlavs", "get", () => `/forsker/studier/${ids.b}`],
    ["researcher: its history", "researcherStOlavs", "get", () => `/forsker/studier/${ids.b}/historikk`],
    [
      "researcher: restore where not lead",
      "researcherOus",
      "post",
      () => `/forsker/studier/${ids.a}/historikk`,
      { version: "1" },
    ],
    [
      "researcher: submit where not lead",
      "researcherOus",
      "post",
      () => `/forsker/studier/${ids.a}`,
      { intent: "submit" },
    ],
    ["researcher: the editors' queue", "researcherStOlavs", "get", () => "/redaksjon"],
    ["researcher: approve", "researcherStOlavs", "post", () => `/redaksjon/studier/${ids.a}`, { intent: "approve" }],
    [
      "researcher: send back",
      "researcherStOlavs",
      "post",
      () => `/redaksjon/studier/${ids.a}`,
      { intent: "send-back", comment: "nei" },
    ],
    [
      "researcher: local site information",
      "researcherStOlavs",
      "post",
      () => `/redaksjon/studier/${ids.a}`,
      local("st-olavs/"),
    ],
    [
      "editor: approve another organisation's study",
      "editorOus",
      "post",
      () => `/redaksjon/studier/${ids.a}`,
      { intent: "approve" },
    ],
    [
      "editor: send back another organisation's study",
      "editorOus",
      "post",
      () => `/redaksjon/studier/${ids.a}`,
      { intent: "send-back", comment: "nei" },
    ],
    [
      "editor: another organisation's site information",
      "editorStOlavs",
      "post",
      () => `/redaksjon/studier/${ids.a}`,
      local("ous/"),
    ],
    [
      "editor: another organisation's site dates",
      "editorStOlavs",
      "post",
      () => `/forsker/studier/${ids.a}`,
      site("ous/"),
    ],
    ["editor: a study of another organisation", "editorStOlavs", "get", () => `/redaksjon/studier/${ids.b}`],
    [
      "editor: restore (researchers' action)",
      "editorStOlavs",
      "post",
      () => `/forsker/studier/${ids.a}/historikk`,
      { version: "1" },
    ],
    [
      "editor: submit (researchers' action)",
      "editorStOlavs",
      "post",
      () => `/forsker/studier/${ids.a}`,
      { intent: "submit" },
    ],
  ];
  it.each(cases)("%s", async (_label, person, method, url, fields) => {
    const c = await as(person);
    await c.get("/forsker/studier");
    const before = [versions(ids.a), versions(ids.b)];
    const r = method === "get" ? await c.get(url()) : await c.post(url(), fields ?? {});
    expect(r.res.status).toBe(403);
    expect([versions(ids.a), versions(ids.b)]).toEqual(before);
  });
});

describe("the work itself", () => {
  it("updating one site's dates writes exactly one version, shown in the history with who and what", async () => {
    const c = await as("researcherStOlavs");
    await c.get(`/forsker/studier/${ids.a}`);
    const before = versions(ids.a);
    const r = await c.post(`/forsker/studier/${ids.a}`, site("st-olavs/", "2026-01-01", "2028-02-29"));
    expect(r.res.status).toBe(302);
    expect(versions(ids.a)).toBe(before + 1);
    const v = db
      .prepare(
        "SELECT actor_kind, actor_name, diff FROM study_versions WHERE study_id = ? ORDER BY version DESC LIMIT 1",
      )
      .get(ids.a) as {
      actor_kind: string;
      actor_name: string;
      diff: string;
    };
    expect(v).toMatchObject({ actor_kind: "user", actor_name: "Kari Forsker" });
    expect(JSON.parse(v.diff)).toEqual([
      { path: "sites[st-olavs/].inclusionEnd", kind: "changed", from: "2027-06-30", to: "2028-02-29" },
    ]);
    const history = await c.get(`/forsker/studier/${ids.a}/historikk`);
    expect(history.body).toContain(`Versjon ${before + 1}`);
    // In the reader's words (issue 18 item 4): the organisation's name, the dates in words, no internal names.
    expect(history.body).toMatch(/Inklusjonsslutt ved St\. Olavs hospital/);
    expect(history.body).toContain("30. juni 2027");
    expect(history.body).toContain("29. februar 2028");
    expect(history.body).toMatch(/Endret: inklusjonsslutt ved St\. Olavs hospital/);
    expect(history.body).not.toContain("Endret sites");
    expect(history.body).not.toContain("st-olavs/");
    expect(history.body).not.toContain("2028-02-29");
    const nn = await c.get(`/forsker/studier/${ids.a}/historikk?lang=nn`);
    expect(nn.body).toMatch(/Endra: inklusjonsslutt ved St\. Olavs hospital/);
    expect(nn.body).toContain("29. februar 2028");
    const en = await c.get(`/forsker/studier/${ids.a}/historikk?lang=en`);
    expect(en.body).toMatch(/Inclusion end at St\. Olavs hospital/);
    expect(en.body).toContain("29 February 2028");
  });

  it("a bad date is refused next to the field, keeping what was typed", async () => {
    const c = await as("researcherStOlavs");
    await c.get(`/forsker/studier/${ids.a}`);
    const before = versions(ids.a);
    const r = await c.post(`/forsker/studier/${ids.a}`, site("st-olavs/", "2026-05-01", "2026-04-01"));
    expect(r.res.status).toBe(400);
    expect(r.body).toContain("er før inklusjonsstart");
    expect(r.body).toContain('value="2026-04-01"');
    expect(versions(ids.a)).toBe(before);
  });

  it("restoring version 1 makes a new version with the old dates", async () => {
    const c = await as("researcherStOlavs");
    await c.get(`/forsker/studier/${ids.a}/historikk`);
    const before = versions(ids.a);
    const r = await c.post(`/forsker/studier/${ids.a}/historikk`, { version: "1" });
    expect(r.res.status).toBe(302);
    expect(versions(ids.a)).toBe(before + 1);
    const end = db
      .prepare("SELECT inclusion_end FROM study_sites WHERE study_id = ? AND organisation_id = 'st-olavs'")
      .pluck()
      .get(ids.a);
    expect(end).toBe("2027-06-30");
  });

  it("the editor sees the study in the queue, with the diff, approves it, and it is public", async () => {
    expect((await fetch(`${server.url}/studier/${ids.a}`)).status).toBe(404);
    const c = await as("editorStOlavs");
    const queue = await c.get("/redaksjon");
    expect(queue.body).toContain("Fiktiv studie av hjertesvikt");
    const review = await c.get(`/redaksjon/studier/${ids.a}`);
    expect(review.res.status).toBe(200);
    expect(review.body).toContain("Aldri publisert før");
    // The approve form carries the version the page showed (issue 22: approve what was reviewed).
    const version = /name="version" value="(\d+)"/.exec(review.body)![1]!;
    const r = await c.post(`/redaksjon/studier/${ids.a}`, { intent: "approve", version, comment: "" });
    expect(r.res.status).toBe(302);
    expect(state(ids.a)).toBe("published");
    expect((await fetch(`${server.url}/studier/${ids.a}`)).status).toBe(200);
    expect(db.prepare("SELECT decision FROM study_reviews WHERE study_id = ?").pluck().all(ids.a)).toEqual([
      "approved",
    ]);
  });

  it("an editor pauses their own site with a reason (and is told when the reason is missing)", async () => {
    const c = await as("editorOus");
    await c.get(`/redaksjon/studier/${ids.a}`);
    const missing = await c.post(`/redaksjon/studier/${ids.a}`, {
      intent: "local",
      site: "ous/",
      contactName: "",
      paused: "on",
      pauseReason: "",
    });
    expect(missing.res.status).toBe(400);
    expect(missing.body).toContain("En pause må ha en begrunnelse.");
    const ok = await c.post(`/redaksjon/studier/${ids.a}`, {
      intent: "local",
      site: "ous/",
      contactName: "Lokal",
      contactEmail: "lokal@ous.example.no",
      paused: "on",
      pauseReason: "Ferie",
    });
    expect(ok.res.status).toBe(302);
    const row = db
      .prepare(
        "SELECT paused, pause_reason, contact_email FROM study_sites WHERE study_id = ? AND organisation_id = 'ous'",
      )
      .get(ids.a);
    expect(row).toEqual({ paused: 1, pause_reason: "Ferie", contact_email: "lokal@ous.example.no" });
  });
});

describe("patients' pages set no cookies", () => {
  it.each(["/", "/pasient", "/helsepersonell", "/forsker", "/tilgjengelighet"])(
    "%s, even for a signed-in visitor",
    async (p) => {
      const c = await as("admin");
      for (const cookie of ["", c.header()]) {
        const res = await fetch(server.url + p, { headers: { cookie } });
        expect(res.status).toBe(200);
        expect(res.headers.getSetCookie()).toEqual([]);
      }
    },
  );
});

function site(key: string, start: string, end: string) {
  return { intent: "dates", site: key, inclusionStart: start, inclusionEnd: end };
}
