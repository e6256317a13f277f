/** A pull feed that is a regional listing: records "utført av" an organisation the feed may also send for are theirs. */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pollDueFeeds } from "#app/ingest/feed-poller.server";
import { addFeedSubscription, getFeedSubscription } from "#app/models/feed.server";
import { getStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";

const LISTING = JSON.stringify([
  {
    id: "N-1",
    tittel: "Studie ved UNN",
    sammendrag: "Kort.",
    status: "Åpen for rekruttering",
    utfort_av: "Universitetssykehuset Nord-Norge",
  },
  {
    id: "N-2",
    tittel: "Studie ved Nordlandssykehuset",
    sammendrag: "Kort.",
    status: "Pågående",
    utfort_av: "Nordlandssykehuset",
  },
]);
let t: TestDb;
let server: Server;
let base = "";

beforeAll(async () => {
  t = freshDb();
  server = createServer((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(LISTING));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  t.cleanup();
});

it("gives each record of a regional pull feed to its own organisation when the feed may send for it", async () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const id = addFeedSubscription(
    t.db,
    { organisationId: "unn", url: `${base}/helse-nord.json`, format: "native", alsoFor: ["nordlandssykehuset"] },
    now,
  );
  expect(getFeedSubscription(t.db, id)!.alsoFor).toEqual(["nordlandssykehuset"]);
  const [outcome] = await pollDueFeeds(t.db, { now });
  expect(outcome).toMatchObject({ status: "ingested", error: null });
  const owner = (localId: string) => {
    const studyId = t.db
      .prepare("SELECT study_id FROM study_local_ids WHERE local_id = ?")
      .pluck()
      .get(localId) as number;
    return getStudy(t.db, studyId)!;
  };
  expect(owner("N-1").leadOrganisationId).toBe("unn");
  expect(owner("N-2").leadOrganisationId).toBe("nordlandssykehuset");
  // Declared as of the day the feed was read, in the hospital's words.
  expect(owner("N-2").sites[0]!.declared).toEqual({
    status: "active_not_recruiting",
    text: "Pågående",
    on: "2026-12-07",
    by: "Nordlandssykehuset",
  });
});
