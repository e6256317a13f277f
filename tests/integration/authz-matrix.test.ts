/**
 * The authorisation matrix over HTTP: every role × every action of the signed-in part, against
 * the built server on a real SQLite file, with real sessions from the sign-in form. Organisation
 * A is St. Olavs (leads the study), organisation B is OUS (has a site in it). Each case gets its
 * own fresh study, so the order of the rows does not matter, and a refused write must leave the
 * number of versions unchanged while an allowed one adds exactly the versions it should.
 *
 * Expected: "ok" (200, or a 302 that is not to /logg-inn), "signin" (302 to /logg-inn?til=…),
 * "forbidden" (403). Then: every form action refuses a foreign Origin and a missing CSRF token
 * with 403 (never 500) and writes nothing. The registration form's pages are here; its POSTs per
 * role are in study-form-http.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#app/db.server";
import { insertRevision } from "#app/models/study-revisions.server";
import { parseStudy } from "#app/domain/study";
import { addFeedSubscription, recordFeedPoll } from "#app/models/feed.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PASSWORD, PEOPLE, testStudy } from "../helpers/accounts";
import { createUser } from "#app/models/user.server";
import { saveStudyOrThrow } from "../helpers/studies";

type Role = "anonymous" | "researcherA" | "researcherB" | "editorA" | "editorB" | "admin";
type Expect = "ok" | "signin" | "forbidden";
const ROLES: Role[] = ["anonymous", "researcherA", "researcherB", "editorA", "editorB", "admin"];
const PERSON = {
  researcherA: "researcherStOlavs",
  researcherB: "researcherOus",
  editorA: "editorStOlavs",
  editorB: "editorOus",
  admin: "admin",
} as const;

let t: TestDb;
let server: RunningServer;
const clients = new Map<Role, BrowserClient>();

function outcome(res: Response): Expect | string {
  if (res.status === 403) return "forbidden";
  if (res.status === 302 && (res.headers.get("location") ?? "").startsWith("/logg-inn?til=")) return "signin";
  if (res.status === 200 || res.status === 302) return "ok";
  return `HTTP ${res.status}`;
}

let rek = 880000;
/** A fresh study led by St. Olavs (A) with sites at St. Olavs and OUS (B). */
function study(db: Db, over: Parameters<typeof testStudy>[0] = {}): number {
  const r = saveStudyOrThrow(db, testStudy({ identifiers: { rek: String(rek++) }, ...over }), {
    actor: { kind: "system", name: "test" },
  });
  return r.studyId;
}
/** A study with a second version (a later end date), so restoring version 1 changes something. */
function twoVersions(): number {
  const id = study(t.db);
  const base = testStudy({ identifiers: { rek: String(rek - 1) } });
  const r = saveStudyOrThrow(
    t.db,
    { ...base, sites: base.sites!.map((s) => ({ ...s, inclusionEnd: "2030-01-01" })) },
    { studyId: id, actor: { kind: "system", name: "test" } },
  );
  if (r.version !== 2) throw new Error("second version not written");
  return id;
}
const versions = (id: number) =>
  t.db.prepare("SELECT count(*) FROM study_versions WHERE study_id = ?").pluck().get(id) as number;
/** A published study led by A with a submitted revision 1 (a new title) waiting for A's editors. */
function pendingRevision(): number {
  const id = study(t.db, { publicationState: "published" });
  const proposed = parseStudy(
    testStudy({
      identifiers: { rek: String(rek - 1) },
      title: { nb: "Foreslått ny tittel" },
      publicationState: "published",
    }),
  );
  if (!proposed.ok) throw new Error(JSON.stringify(proposed.problems));
  insertRevision(t.db, {
    studyId: id,
    baseVersion: 1,
    state: "submitted",
    snapshot: proposed.study,
    actor: { name: "test" },
    now: new Date(),
  });
  return id;
}
/** A study led by A where A proposed a site at B that waits for B's answer. */
const proposedSiteAtB = () =>
  study(t.db, {
    publicationState: "published",
    sites: [
      { organisationId: "st-olavs", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2027-06-30" },
      {
        organisationId: "ous",
        hospitalId: null,
        inclusionStart: "2026-03-01",
        inclusionEnd: "2027-03-01",
        withdrawn: true,
        pendingConsent: true,
      },
    ],
  });
/** One-click confirmations of a study's sites (a history entry each, never a version). */
const confirmations = (id: number) =>
  t.db.prepare("SELECT count(*) FROM site_confirmations WHERE study_id = ?").pluck().get(id) as number;
/** An account for the administrator's actions to act on (a fresh one per row). */
let accountNo = 0;
function account(): number {
  return createUser(t.db, {
    email: `konto${++accountNo}@stolav.example.no`,
    name: `Konto ${accountNo}`,
    passwordHash: null,
    roles: [{ role: "researcher", organisationId: "st-olavs" }],
  });
}
const accounts = () => t.db.prepare("SELECT count(*) FROM users").pluck().get() as number;
const disabledAt = (id: number) =>
  t.db.prepare("SELECT count(*) FROM users WHERE id = ? AND disabled_at IS NOT NULL").pluck().get(id) as number;
const editorGrants = (id: number) =>
  t.db.prepare("SELECT count(*) FROM user_roles WHERE user_id = ? AND role = 'editor'").pluck().get(id) as number;
const reviews = (id: number) =>
  t.db.prepare("SELECT count(*) FROM study_reviews WHERE study_id = ?").pluck().get(id) as number;

interface Case {
  action: string;
  method: "get" | "post";
  /** Makes the fixture and returns the path and form fields. */
  make: () => { path: string; fields?: Record<string, string>; study?: number };
  expect: Record<Role, Expect>;
  /** What an allowed write adds one of (default: versions of the study). */
  writes?: (id: number) => number;
}

const all = (e: Expect, over: Partial<Record<Role, Expect>> = {}): Record<Role, Expect> => ({
  anonymous: "signin",
  researcherA: e,
  researcherB: e,
  editorA: e,
  editorB: e,
  admin: e,
  ...over,
});
const only = (...allowed: Role[]) => all("forbidden", Object.fromEntries(allowed.map((r) => [r, "ok"])));

const dates = { intent: "dates", inclusionStart: "2026-01-01", inclusionEnd: "2029-12-31" };
const CASES: Case[] = [
  { action: "view Mine studier", method: "get", make: () => ({ path: "/forsker/studier" }), expect: all("ok") },
  // B has a site in the study, so everyone signed in may see it.
  {
    action: "view a study",
    method: "get",
    make: () => ({ path: `/forsker/studier/${study(t.db)}` }),
    expect: all("ok"),
  },
  {
    action: "view its history",
    method: "get",
    make: () => ({ path: `/forsker/studier/${study(t.db)}/historikk` }),
    expect: all("ok"),
  },
  {
    action: "view a study of B only",
    method: "get",
    make: () => ({
      path: `/forsker/studier/${study(t.db, { leadOrganisationId: "ous", sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" }] })}`,
    }),
    expect: only("researcherB", "editorB", "admin"),
  },
  {
    action: "update A's site dates",
    method: "post",
    make: () => {
      const id = study(t.db);
      return { path: `/forsker/studier/${id}`, fields: { ...dates, site: "st-olavs/" }, study: id };
    },
    expect: only("researcherA", "editorA", "admin"),
  },
  {
    action: "update B's site dates",
    method: "post",
    make: () => {
      const id = study(t.db);
      return { path: `/forsker/studier/${id}`, fields: { ...dates, site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
  },
  {
    action: "submit for approval",
    method: "post",
    make: () => {
      const id = study(t.db, { publicationState: "draft" });
      return { path: `/forsker/studier/${id}`, fields: { intent: "submit" }, study: id };
    },
    expect: only("researcherA", "admin"),
  },
  {
    action: "restore a version",
    method: "post",
    make: () => {
      const id = twoVersions();
      return { path: `/forsker/studier/${id}/historikk`, fields: { version: "1" }, study: id };
    },
    expect: only("researcherA", "admin"),
  },
  // The registration form (its POSTs, per role, are in tests/integration/study-form-http.test.ts).
  {
    action: "open the edit form of A's study",
    method: "get",
    make: () => ({ path: `/forsker/studier/${study(t.db)}/rediger` }),
    expect: only("researcherA", "admin"),
  },
  {
    action: "ICD-10 suggestions for the form",
    method: "get",
    make: () => ({ path: "/forsker/icd10?q=C50" }),
    expect: all("ok"),
  },
  {
    action: "view the queue",
    method: "get",
    make: () => ({ path: "/redaksjon" }),
    expect: only("editorA", "editorB", "admin"),
  },
  {
    action: "approve the version reviewed",
    method: "post",
    make: () => {
      const id = study(t.db);
      return {
        path: `/redaksjon/studier/${id}`,
        fields: { intent: "approve", version: "1", revision: "", comment: "" },
        study: id,
      };
    },
    expect: only("editorA", "admin"),
  },
  {
    action: "approve a published study's pending revision",
    method: "post",
    make: () => {
      const id = pendingRevision();
      return {
        path: `/redaksjon/studier/${id}`,
        fields: { intent: "approve", version: "1", revision: "1", comment: "" },
        study: id,
      };
    },
    expect: only("editorA", "admin"),
  },
  {
    action: "send back a pending revision",
    method: "post",
    make: () => {
      const id = pendingRevision();
      return {
        path: `/redaksjon/studier/${id}`,
        fields: { intent: "send-back", version: "1", revision: "1", comment: "Tittelen må være kortere" },
        study: id,
      };
    },
    expect: only("editorA", "admin"),
    writes: reviews,
  },
  {
    action: "accept a site proposed at B",
    method: "post",
    make: () => {
      const id = proposedSiteAtB();
      return { path: `/forsker/studier/${id}`, fields: { intent: "accept-site", site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
  },
  {
    action: "decline a site proposed at B",
    method: "post",
    make: () => {
      const id = proposedSiteAtB();
      return { path: `/forsker/studier/${id}`, fields: { intent: "decline-site", site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
  },
  {
    action: "withdraw B's site",
    method: "post",
    make: () => {
      const id = study(t.db, { publicationState: "published" });
      return { path: `/forsker/studier/${id}`, fields: { intent: "withdraw-site", site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
  },
  {
    action: "send back",
    method: "post",
    make: () => {
      const id = study(t.db);
      return {
        path: `/redaksjon/studier/${id}`,
        fields: { intent: "send-back", comment: "Mangler engelsk tekst" },
        study: id,
      };
    },
    expect: only("editorA", "admin"),
  },
  {
    action: "supplement B's local information",
    method: "post",
    make: () => {
      const id = study(t.db);
      return {
        path: `/redaksjon/studier/${id}`,
        fields: {
          intent: "local",
          site: "ous/",
          contactName: "Lokal kontakt",
          contactEmail: "lokal@ous.example.no",
          referral: "Ring oss",
          pauseReason: "",
        },
        study: id,
      };
    },
    expect: only("editorB", "admin"),
  },
  {
    action: "pause B's site",
    method: "post",
    make: () => {
      const id = study(t.db, { publicationState: "published" });
      return {
        path: "/redaksjon",
        fields: { intent: "pause", study: String(id), site: "ous/", pauseReason: "Studiesykepleier i permisjon" },
        study: id,
      };
    },
    expect: only("editorB", "admin"),
  },
  {
    action: "resume B's site",
    method: "post",
    make: () => {
      const base = testStudy();
      const id = study(t.db, {
        publicationState: "published",
        sites: base.sites!.map((s) => (s.organisationId === "ous" ? { ...s, paused: true, pauseReason: "Ferie" } : s)),
      });
      return { path: "/redaksjon", fields: { intent: "resume", study: String(id), site: "ous/" }, study: id };
    },
    expect: only("editorB", "admin"),
  },
  {
    action: "confirm B's site dates (one click, study page)",
    method: "post",
    make: () => {
      const id = study(t.db, { publicationState: "published" });
      return { path: `/forsker/studier/${id}`, fields: { intent: "confirm-site", site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
    writes: confirmations,
  },
  {
    action: "confirm B's site dates (one click, Redaksjon)",
    method: "post",
    make: () => {
      const id = study(t.db, { publicationState: "published" });
      return { path: "/redaksjon", fields: { intent: "confirm-site", study: String(id), site: "ous/" }, study: id };
    },
    expect: only("researcherB", "editorB", "admin"),
    writes: confirmations,
  },
  {
    action: "view feed health",
    method: "get",
    make: () => ({ path: "/redaksjon/feeds" }),
    expect: only("editorA", "editorB", "admin"),
  },
  {
    action: "view B's feed health",
    method: "get",
    make: () => ({ path: "/redaksjon/feeds?org=ous" }),
    expect: only("editorB", "admin"),
  },
  {
    action: "view statistics",
    method: "get",
    make: () => ({ path: "/forsker/statistikk" }),
    expect: all("ok", { anonymous: "ok" }),
  },
  // The administrator's accounts page (issue 18 item 4): the admin role only.
  { action: "view accounts", method: "get", make: () => ({ path: "/admin/kontoer" }), expect: only("admin") },
  {
    action: "invite an account",
    method: "post",
    make: () => ({
      path: "/admin/kontoer",
      fields: {
        intent: "invite",
        email: `invitert${++accountNo}@ous.example.no`,
        name: "Invitert",
        role: "editor",
        organisations: "ous",
      },
      // Any id: the count below is of every account.
      study: 1,
    }),
    expect: only("admin"),
    writes: accounts,
  },
  {
    action: "disable an account",
    method: "post",
    make: () => {
      const id = account();
      return { path: "/admin/kontoer", fields: { intent: "disable", account: String(id) }, study: id };
    },
    expect: only("admin"),
    writes: disabledAt,
  },
  {
    action: "re-enable an account",
    method: "post",
    make: () => {
      const id = account();
      t.db.prepare("UPDATE users SET disabled_at = '2026-12-01T00:00:00.000Z' WHERE id = ?").run(id);
      return { path: "/admin/kontoer", fields: { intent: "enable", account: String(id) }, study: id };
    },
    expect: only("admin"),
    // Counts the account as not disabled: one more after a re-enable.
    writes: (id: number) => 1 - disabledAt(id),
  },
  {
    action: "change an account's role",
    method: "post",
    make: () => {
      const id = account();
      return {
        path: "/admin/kontoer",
        fields: { intent: "roles", account: String(id), role: "editor", organisations: "ous" },
        study: id,
      };
    },
    expect: only("admin"),
    writes: editorGrants,
  },
];

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  addFeedSubscription(t.db, { organisationId: "ous", url: "https://ous.example.no/studier.json", format: "native" });
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "m".repeat(40) });
  for (const role of ROLES) {
    const c = new BrowserClient(server.url);
    // Every role, anonymous too, has the CSRF cookie a browser gets from the sign-in page: the
    // matrix is about who may do what (a form without the cookie is refused before any of this,
    // tests/integration/security-http.test.ts).
    await c.get("/logg-inn");
    if (role !== "anonymous") {
      const { res } = await c.post("/logg-inn", {
        email: PEOPLE[PERSON[role]].email,
        password: PASSWORD,
        til: "/forsker/studier",
      });
      expect(res.status, `sign-in of ${role}`).toBe(302);
      await c.get("/forsker/studier");
    }
    clients.set(role, c);
  }
});
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

describe("authorisation matrix", () => {
  const rows = CASES.flatMap((c) => ROLES.map((role) => [c.action, role, c.expect[role], c] as const));
  it.each(rows)("%s as %s → %s", async (_action, role, expected, c) => {
    const client = clients.get(role)!;
    const { path, fields, study: id } = c.make();
    const count = c.writes ?? versions;
    const before = id ? count(id) : 0;
    const { res } = c.method === "get" ? await client.get(path) : await client.post(path, fields ?? {});
    expect(outcome(res)).toBe(expected);
    if (id) {
      if (expected === "ok") expect(count(id)).toBe(before + 1);
      else expect(count(id)).toBe(before);
    }
  });

  it("a pause shows on the public page as paused with its reason, and is a version by the editor", async () => {
    const id = study(t.db, { publicationState: "published" });
    const before = versions(id);
    const editor = clients.get("editorB")!;
    await editor.get("/redaksjon");
    const missing = await editor.post("/redaksjon", {
      intent: "pause",
      study: String(id),
      site: "ous/",
      pauseReason: "",
    });
    expect(missing.res.status).toBe(400);
    expect(missing.body).toContain("Skriv hvorfor inklusjonen stanses");
    expect(versions(id)).toBe(before);
    const ok = await editor.post("/redaksjon", {
      intent: "pause",
      study: String(id),
      site: "ous/",
      pauseReason: "Studiesykepleier i permisjon",
    });
    expect(ok.res.status).toBe(302);
    expect(versions(id)).toBe(before + 1);
    const v = t.db
      .prepare("SELECT actor_name, diff FROM study_versions WHERE study_id = ? ORDER BY version DESC LIMIT 1")
      .get(id) as { actor_name: string; diff: string };
    expect(v.actor_name).toBe(PEOPLE.editorOus.name);
    expect(JSON.parse(v.diff)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "sites[ous/].paused", to: true }),
        expect.objectContaining({ path: "sites[ous/].pauseReason", to: "Studiesykepleier i permisjon" }),
      ]),
    );
    const page = await (await fetch(`${server.url}/pasient/studier/${id}`)).text();
    expect(page).toContain("Inklusjonen er midlertidig stanset");
    expect(page).toContain("Studiesykepleier i permisjon");
    const resumed = await editor.post("/redaksjon", { intent: "resume", study: String(id), site: "ous/" });
    expect(resumed.res.status).toBe(302);
    expect(
      t.db
        .prepare("SELECT paused, pause_reason FROM study_sites WHERE study_id = ? AND organisation_id = 'ous'")
        .get(id),
    ).toEqual({ paused: 0, pause_reason: null });
  });
});

describe("feed health shows the editor's own organisation only", () => {
  it("lists the feed, the run with its counts and the rejected record with field and reason", async () => {
    const record = (id: string, rek: string, end: string) => ({
      id,
      tittel: `Innlest studie ${id}`,
      sammendrag: "Sammendrag.",
      studietype: "observasjon",
      utfort_av: "ous",
      identifikatorer: { rek },
      studiesteder: [{ foretak: "ous", inklusjon_start: "2026-05-01", inklusjon_slutt: end }],
    });
    const input = Buffer.from(
      JSON.stringify([record("OUS-1", "770001", "2027-01-01"), record("OUS-2", "770002", "2026-04-01")]),
    );
    const report = ingestBatch(t.db, mapInput("native", input, buildMapContext(t.db, "ous")), {
      organisationId: "ous",
      format: "native",
      mode: "partial",
    });
    expect(report).toMatchObject({ created: 1, rejected: 1 });
    const feed = t.db
      .prepare("SELECT id FROM feed_subscriptions WHERE organisation_id = 'ous'")
      .pluck()
      .get() as number;
    recordFeedPoll(t.db, feed, {
      polledAt: new Date(),
      nextPollAt: new Date(Date.now() + 3600_000),
      status: "HTTP 200",
      failures: 0,
      error: null,
      runId: report.runId,
    });
    const own = await clients.get("editorB")!.get("/redaksjon/feeds");
    expect(own.res.status).toBe(200);
    expect(own.body).toContain("https://ous.example.no/studier.json");
    expect(own.body).toContain("HTTP 200");
    expect(own.body).toContain("studie 2 (id OUS-2)");
    expect(own.body).toContain("studiesteder[0].inklusjon_slutt");
    expect(own.body).toContain("er før inklusjonsstart");
    // Counts of the run: received 2, created 1, rejected 1.
    expect(own.body).toMatch(/<td>2<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/);
    const other = await clients.get("editorA")!.get("/redaksjon/feeds");
    expect(other.res.status).toBe(200);
    expect(other.body).not.toContain("ous.example.no");
    expect(other.body).not.toContain("OUS-2");
    expect(other.body).toContain("Ingen innlesinger ennå.");
  });
});

describe("cross-site and token-less form POSTs are a clear 403 and write nothing", () => {
  const FORMS: { name: string; make: () => { path: string; fields: Record<string, string>; study?: number } }[] = [
    { name: "sign in", make: () => ({ path: "/logg-inn", fields: { email: PEOPLE.admin.email, password: PASSWORD } }) },
    // A field besides the token, so that without it the form is not empty (an empty form is a 400
    // of its own, tests/integration/security-http.test.ts).
    { name: "sign out", make: () => ({ path: "/logg-ut", fields: { til: "/" } }) },
    {
      name: "new password",
      make: () => ({
        path: "/nytt-passord",
        fields: { token: "x", password: "et langt passord her", repeat: "et langt passord her" },
      }),
    },
    {
      name: "site dates",
      make: () => {
        const id = study(t.db);
        return { path: `/forsker/studier/${id}`, fields: { ...dates, site: "st-olavs/" }, study: id };
      },
    },
    {
      name: "submit",
      make: () => {
        const id = study(t.db, { publicationState: "draft" });
        return { path: `/forsker/studier/${id}`, fields: { intent: "submit" }, study: id };
      },
    },
    {
      name: "restore",
      make: () => {
        const id = study(t.db);
        return { path: `/forsker/studier/${id}/historikk`, fields: { version: "1" }, study: id };
      },
    },
    {
      name: "approve",
      make: () => {
        const id = study(t.db);
        return { path: `/redaksjon/studier/${id}`, fields: { intent: "approve", version: "1" }, study: id };
      },
    },
    {
      name: "accept a site",
      make: () => {
        const id = proposedSiteAtB();
        return { path: `/forsker/studier/${id}`, fields: { intent: "accept-site", site: "ous/" }, study: id };
      },
    },
    {
      name: "local information",
      make: () => {
        const id = study(t.db);
        return {
          path: `/redaksjon/studier/${id}`,
          fields: { intent: "local", site: "st-olavs/", contactName: "X", contactEmail: "x@example.no" },
          study: id,
        };
      },
    },
    {
      name: "pause",
      make: () => {
        const id = study(t.db, { publicationState: "published" });
        return {
          path: "/redaksjon",
          fields: { intent: "pause", study: String(id), site: "st-olavs/", pauseReason: "Nei" },
          study: id,
        };
      },
    },
    {
      name: "confirm a site",
      make: () => {
        const id = study(t.db, { publicationState: "published" });
        return { path: `/forsker/studier/${id}`, fields: { intent: "confirm-site", site: "st-olavs/" }, study: id };
      },
    },
    {
      name: "disable an account",
      make: () => ({ path: "/admin/kontoer", fields: { intent: "disable", account: String(account()) } }),
    },
    {
      name: "invite an account",
      make: () => ({
        path: "/admin/kontoer",
        fields: { intent: "invite", email: "falsk@ous.example.no", name: "Falsk", role: "admin" },
      }),
    },
  ];
  const sessions = () => t.db.prepare("SELECT count(*) FROM sessions WHERE revoked_at IS NULL").pluck().get() as number;

  it.each(
    FORMS.flatMap((f) => [
      [f.name, "from https://evil.example", f] as const,
      [f.name, "without the CSRF token", f] as const,
    ]),
  )("%s %s", async (_name, how, f) => {
    const admin = clients.get("admin")!;
    const { path, fields, study: id } = f.make();
    const before = {
      versions: id ? versions(id) : 0,
      confirmations: id ? confirmations(id) : 0,
      sessions: sessions(),
      accounts: accounts(),
      disabled: t.db.prepare("SELECT count(*) FROM users WHERE disabled_at IS NOT NULL").pluck().get(),
    };
    const r = how.startsWith("from")
      ? await admin.post(path, fields, { origin: "https://evil.example" })
      : await admin.post(path, fields, { csrf: false });
    expect(r.res.status).toBe(403);
    expect(r.body).toMatch(how.startsWith("from") ? /annet nettsted/ : /Skjemaet ble avvist av sikkerhetshensyn/);
    if (id) expect(versions(id)).toBe(before.versions);
    if (id) expect(confirmations(id)).toBe(before.confirmations);
    expect(sessions()).toBe(before.sessions);
    expect(accounts()).toBe(before.accounts);
    expect(t.db.prepare("SELECT count(*) FROM users WHERE disabled_at IS NOT NULL").pluck().get()).toBe(
      before.disabled,
    );
    // Still signed in: the refused sign-out did not end the session.
    expect((await admin.get("/redaksjon")).res.status).toBe(200);
  });

  it("Origin: null (our own forms without JavaScript, under no-referrer) is decided by the token", async () => {
    const c = new BrowserClient(server.url);
    await c.get("/logg-inn");
    const res = await c.post(
      "/logg-inn",
      { email: PEOPLE.editorStOlavs.email, password: PASSWORD, til: "/redaksjon" },
      { origin: "null" },
    );
    expect(res.res.status).toBe(302);
    expect(res.res.headers.get("location")).toBe("/redaksjon");
    const forged = await new BrowserClient(server.url).post(
      "/logg-inn",
      { email: PEOPLE.editorStOlavs.email, password: PASSWORD },
      { origin: "null" },
    );
    expect(forged.res.status).toBe(403);
  });
});
