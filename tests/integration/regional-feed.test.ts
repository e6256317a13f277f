/**
 * A regional listing over the real ingest API: one sender, authorised by its token for other
 * health trusts too, delivers records "utført av" each of them. Each record belongs to its own
 * organisation (owner and sites); a record led by a trust the token is not authorised for stays
 * the sender's, with a warning; a full delivery withdraws only the sites of organisations the
 * token speaks for. Real HTTP against the built server, real SQLite.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { getStudy } from "#app/models/study.server";
import { issueToken } from "#app/models/token.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let dir: string;
let dbFile: string;
let server: RunningServer;
let regional = "";
let plain = "";

beforeAll(async () => {
  dir = tempDir();
  dbFile = path.join(dir, "regional.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: false });
  regional = issueToken(db, "unn", "Helse Nord-listen", new Date(), [
    "nordlandssykehuset",
    "helgelandssykehuset",
  ]).token;
  plain = issueToken(db, "finnmarkssykehuset", "egen liste").token;
  db.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false" });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const record = (id: string, utfortAv: string, status = "Åpen for rekruttering") => ({
  id,
  tittel: `Regional studie ${id}`,
  sammendrag: "Et kort sammendrag.",
  status,
  utfort_av: utfortAv,
  lenke: `https://helse-nord.no/studier/${id}`,
});

async function send(method: "PUT" | "POST", token: string, org: string, records: unknown[]) {
  const res = await fetch(`${server.url}/api/v1/organisations/${org}/studies?format=native`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(records),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      received: number;
      created: number;
      rejected: number;
      withdrawn: number;
      warnings: { ref: string; message: string }[];
    },
  };
}

function studyOf(localId: string) {
  const db = openDatabase(dbFile);
  try {
    const id = db.prepare("SELECT study_id FROM study_local_ids WHERE local_id = ?").pluck().get(localId) as number;
    return getStudy(db, id)!;
  } finally {
    db.close();
  }
}

describe("a regional listing sent with a token that may also send for other trusts", () => {
  it("gives each record to its own organisation, as owner and as site, with the hospital's status", async () => {
    const { status, body } = await send("PUT", regional, "unn", [
      record("R-1", "Universitetssykehuset Nord-Norge"),
      record("R-2", "Nordlandssykehuset"),
      record("R-3", "Helgelandssykehuset", "Pågående"),
    ]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ received: 3, created: 3, rejected: 0 });
    for (const [id, org] of [
      ["R-1", "unn"],
      ["R-2", "nordlandssykehuset"],
      ["R-3", "helgelandssykehuset"],
    ] as const) {
      const study = studyOf(id);
      expect(study.leadOrganisationId, id).toBe(org);
      expect(study.lead, id).toMatchObject({ organisationId: org });
      expect(
        study.sites.map((s) => [s.organisationId, s.declared?.text]),
        id,
      ).toEqual([[org, id === "R-3" ? "Pågående" : "Åpen for rekruttering"]]);
    }
  });

  it("keeps a record led by a trust the token does not speak for as the sender's, and says so", async () => {
    const { body } = await send("POST", regional, "unn", [record("R-4", "Finnmarkssykehuset")]);
    expect(body).toMatchObject({ created: 1, rejected: 0 });
    expect(
      body.warnings.some((w) => w.message.includes("har ikke fullmakt") && w.message.includes("finnmarkssykehuset")),
    ).toBe(true);
    const study = studyOf("R-4");
    expect(study.leadOrganisationId).toBe("unn");
    // The record's own lead is kept as it says, whoever is responsible in the portal.
    expect(study.lead).toMatchObject({ name: "Finnmarkssykehuset", organisationId: "finnmarkssykehuset" });
  });

  it("withdraws, in a full delivery, the sites of every organisation the token speaks for — and nothing else", async () => {
    const { body } = await send("PUT", regional, "unn", [record("R-1", "Universitetssykehuset Nord-Norge")]);
    // left the listing: their sites (Nordland, Helgeland) are withdrawn. R-4 left too,
    // but its one site is Finnmarkssykehuset's, which this token cannot speak for: it stays.
    expect(body.withdrawn).toBe(2);
    expect(studyOf("R-2").sites.every((s) => s.withdrawn)).toBe(true);
    expect(studyOf("R-4").sites.map((s) => [s.organisationId, s.withdrawn])).toEqual([["finnmarkssykehuset", false]]);
    expect(studyOf("R-1").sites.every((s) => !s.withdrawn)).toBe(true);
  });

  it("a token without that authority owns only its own organisation's records", async () => {
    const { body } = await send("POST", plain, "finnmarkssykehuset", [record("F-1", "Nordlandssykehuset")]);
    expect(body).toMatchObject({ created: 1, rejected: 0 });
    expect(studyOf("F-1").leadOrganisationId).toBe("finnmarkssykehuset");
  });
});
