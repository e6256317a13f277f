/** The ingest API over real HTTP against the built server: tokens, isolation, limits, formats. */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { issueToken, revokeToken } from "#app/models/token.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { fixture } from "../helpers/shared-data";

let dir: string;
let dbFile: string;
let server: RunningServer;
const tokens: Record<string, string> = {};
let revokedToken = "";

beforeAll(async () => {
  dir = tempDir();
  dbFile = path.join(dir, "api.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: false });
  tokens.ous = issueToken(db, "ous", "test").token;
  tokens.unn = issueToken(db, "unn", "test").token;
  const old = issueToken(db, "ous", "old");
  revokeToken(db, old.id);
  revokedToken = old.token;
  db.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", INGEST_MAX_BYTES: "20000" });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const study = (id: string, end = "2027-12-31") => ({
  id,
  tittel: `Studie ${id}`,
  sammendrag: "Et kort sammendrag.",
  studietype: "behandling",
  utfort_av: "ous",
  identifikatorer: { rek: `8${id.replace(/\D/g, "").padStart(5, "0")}` },
  studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: end }],
});

function send(
  method: string,
  org: string,
  body: unknown,
  headers: Record<string, string> = {},
  query = "?format=native",
) {
  return fetch(`${server.url}/api/v1/organisations/${org}/studies${query}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
const bearer = (org: string) => ({ authorization: `Bearer ${tokens[org]}` });

describe("PUT/POST /api/v1/organisations/:orgId/studies", () => {
  it("stores a full feed and reports the counts", async () => {
    const res = await send("PUT", "ous", [study("A1"), study("A2")], bearer("ous"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ organisation: "ous", mode: "full", received: 2, created: 2, rejected: 0 });
  });

  it("is idempotent over HTTP", async () => {
    const res = await send("PUT", "ous", [study("A1"), study("A2")], bearer("ous"));
    expect(await res.json()).toMatchObject({ created: 0, changed: 0, unchanged: 2, withdrawn: 0 });
  });

  it("a partial batch (POST) changes one study and withdraws nothing", async () => {
    const res = await send("POST", "ous", [study("A1", "2028-01-31")], bearer("ous"));
    expect(await res.json()).toMatchObject({ mode: "partial", changed: 1, withdrawn: 0 });
  });

  it("a full feed (PUT) without a study withdraws that study's site", async () => {
    const res = await send("PUT", "ous", [study("A1", "2028-01-31")], bearer("ous"));
    expect(await res.json()).toMatchObject({ unchanged: 1, withdrawn: 1 });
  });

  it("accepts the native Content-Type without a format parameter", async () => {
    const res = await send(
      "POST",
      "ous",
      [study("A3")],
      { ...bearer("ous"), "content-type": "application/vnd.kliniskestudier+json" },
      "",
    );
    expect(res.status).toBe(200);
  });

  it("accepts FHIR with Content-Type application/fhir+json", async () => {
    const fhir = readFileSync(fixture("fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json"), "utf8");
    const res = await send("POST", "ous", fhir, { ...bearer("ous"), "content-type": "application/fhir+json" }, "");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: "fhir", received: 1, rejected: 0 });
  });

  it("reports rejected records next to stored ones (200), and 422 when nothing could be stored", async () => {
    const mixed = await send(
      "POST",
      "ous",
      [study("A4"), { id: "X", tittel: "Feil", studiesteder: [{ foretak: "ous", inklusjon_start: "2026-02-30" }] }],
      bearer("ous"),
    );
    expect(mixed.status).toBe(200);
    const body = (await mixed.json()) as {
      created: number;
      rejected: number;
      rejections: { ref: string; field: string; message: string }[];
    };
    expect(body).toMatchObject({ created: 1, rejected: 1 });
    expect(body.rejections[0]).toMatchObject({ ref: "studie 2 (id X)", field: "studiesteder[0].inklusjon_start" });
    const none = await send("POST", "ous", "{not json", bearer("ous"));
    expect(none.status).toBe(422);
    const err = (await none.json()) as { error: { status: number; code: string; details: { rejections: unknown[] } } };
    expect(err.error).toMatchObject({ status: 422, code: "unprocessable" });
    expect(err.error.details.rejections.length).toBe(1);
  });

  it.each([
    ["no token", {}, 401],
    ["a malformed header", { authorization: "Basic abc" }, 401],
    ["an unknown token", { authorization: "Bearer ks_not-a-real-token" }, 401],
  ])("refuses %s with 401", async (_name, headers, status) => {
    const res = await send("PUT", "ous", [study("Z1")], headers);
    expect(res.status).toBe(status);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("refuses a revoked token", async () => {
    const res = await send("PUT", "ous", [study("Z1")], { authorization: `Bearer ${revokedToken}` });
    expect(res.status).toBe(401);
  });

  it("never lets one organisation's token write another's sites (403), and writes nothing", async () => {
    const res = await send("PUT", "ous", [study("A1", "2030-01-01")], bearer("unn"));
    expect(res.status).toBe(403);
    const db = openDatabase(dbFile);
    const end = db
      .prepare(
        "SELECT inclusion_end FROM study_sites WHERE organisation_id = 'ous' AND withdrawn = 0 ORDER BY id LIMIT 1",
      )
      .pluck()
      .get();
    db.close();
    expect(end).toBe("2028-01-31");
  });

  it("answers 415 when the format is not given or unknown", async () => {
    expect((await send("POST", "ous", [study("A5")], bearer("ous"), "")).status).toBe(415);
    expect((await send("POST", "ous", [study("A5")], bearer("ous"), "?format=excel")).status).toBe(415);
  });

  it("answers 413 for a body over the limit, checked while reading", async () => {
    const big = Array.from({ length: 200 }, (_, i) => study(`BIG${i}`));
    const res = await send("POST", "ous", big, bearer("ous"));
    expect(res.status).toBe(413);
  });

  it("refuses writes to an organisation the token is not for, even an unknown one (403), and GET (405)", async () => {
    expect((await send("POST", "no-such-org", [], bearer("ous"))).status).toBe(403);
    const get = await fetch(`${server.url}/api/v1/organisations/ous/studies`);
    expect(get.status).toBe(405);
  });
});
