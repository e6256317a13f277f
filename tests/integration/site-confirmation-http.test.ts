/**
 * One-click site confirmation over HTTP against the built server on a real SQLite file (ADR
 * 0019): the editor's click makes a history entry and no new version, and the public patient and
 * clinician pages, the API, FHIR and the CSV export show the new confirmation date and its basis.
 * A site nobody confirmed for over 12 months is unknown everywhere and not counted as open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PASSWORD, PEOPLE, testStudy } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;
let editor: BrowserClient;
let id: number;
let stale: number;
/** Saved (and so confirmed) 14 months ago by a feed: past the hard limit today. */
const LONG_AGO = new Date(Date.now() - 430 * 86_400_000);

const versions = (studyId: number) =>
  t.db.prepare("SELECT count(*) FROM study_versions WHERE study_id = ?").pluck().get(studyId) as number;

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  const feed = { kind: "source" as const, id: "ous-feed", name: "ous (native)" };
  const make = (rek: string, title: string) => {
    const r = saveStudyOrThrow(
      t.db,
      testStudy({
        identifiers: { rek },
        title: { nb: title },
        publicationState: "published",
        leadOrganisationId: "ous",
        sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2025-01-01", inclusionEnd: "2029-12-31" }],
      }),
      { actor: feed, now: LONG_AGO },
    );
    return r.studyId;
  };
  id = make("661001", "Studie som redaktøren bekrefter");
  stale = make("661002", "Studie som ingen har bekreftet");
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "c".repeat(40) });
  editor = new BrowserClient(server.url);
  await editor.get("/logg-inn");
  const { res } = await editor.post("/logg-inn", {
    email: PEOPLE.editorOus.email,
    password: PASSWORD,
    til: "/redaksjon",
  });
  expect(res.status).toBe(302);
  await editor.get("/redaksjon"); // a signed-in page: the session's CSRF token
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

describe("a site unconfirmed past the hard limit", () => {
  it("reads unknown since when on the public pages and is not open in the API", async () => {
    const since = formatCalendarDate(osloDate(LONG_AGO));
    const patient = await (await fetch(`${server.url}/pasient/studier/${stale}`)).text();
    expect(patient).toContain(`ikke bekreftet siden ${since}`);
    expect(patient).toContain("Status ukjent");
    // The saved-search Atom feed says since when too.
    const atom = await (await fetch(`${server.url}/feeds/search.atom?q=ingen`)).text();
    expect(atom).toContain("Studie som ingen har bekreftet");
    expect(atom).toContain(`ikke bekreftet siden ${since}`);
    const api = (await (await fetch(`${server.url}/api/v1/studies/${stale}`)).json()) as {
      status: string;
      sites: { status: string; confirmationState: string; confirmedOn: string; confirmationBasis: string }[];
    };
    expect(api.status).toBe("unknown");
    expect(api.sites[0]).toMatchObject({
      status: "unknown",
      confirmationState: "lapsed",
      confirmedOn: osloDate(LONG_AGO),
      confirmationBasis: "feed",
    });
  });
});

describe("the editor confirms in one click", () => {
  it("a history entry, no new version; the public pages, API, FHIR and CSV show the new date", async () => {
    const before = versions(id);
    const { res } = await editor.post(`/forsker/studier/${id}`, { intent: "confirm-site", site: "ous/" });
    expect(res.status).toBe(302);
    expect(versions(id)).toBe(before);
    const today = formatCalendarDate(osloDate(new Date()));

    const history = await editor.get(`/forsker/studier/${id}/historikk`);
    expect(history.body).toContain("Bekreftede datoer");
    expect(history.body).toContain(`${PEOPLE.editorOus.name} bekreftet datoene for`);

    const patient = await (await fetch(`${server.url}/pasient/studier/${id}`)).text();
    expect(patient).toContain(`Sist bekreftet ${today}`);
    expect(patient).not.toContain("ikke bekreftet siden");
    const nynorsk = await (await fetch(`${server.url}/pasient/studier/${id}?lang=nn`)).text();
    expect(nynorsk).toContain(`Sist stadfesta ${formatCalendarDate(osloDate(new Date()), "nn")}`);
    const clinician = await (await fetch(`${server.url}/helsepersonell/studier/${id}`)).text();
    expect(clinician).toContain(`Sist bekreftet ${today}`);

    const api = (await (await fetch(`${server.url}/api/v1/studies/${id}`)).json()) as {
      status: string;
      sites: Record<string, unknown>[];
    };
    expect(api.status).toBe("open");
    expect(api.sites[0]).toMatchObject({
      status: "open",
      confirmedOn: osloDate(new Date()),
      confirmationBasis: "user",
      confirmationState: "confirmed",
    });

    const fhir = await (await fetch(`${server.url}/fhir/ResearchStudy/${id}`)).text();
    expect(fhir).toContain("https://kliniskestudier.no/fhir/StructureDefinition/site-confirmation");
    expect(fhir).toContain(`"valueDate":"${osloDate(new Date())}"`);
    expect(fhir).toContain(`Sist bekreftet ${today}`);

    const csv = await (await fetch(`${server.url}/api/v1/export/studies.csv`)).text();
    expect(csv).toContain(`bekreftet ${osloDate(new Date())} (user)`);
  });
});
