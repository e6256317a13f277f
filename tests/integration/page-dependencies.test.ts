/**
 * ADR 0031 over real HTTP against the built server: a cached public page is kept across a change
 * that did not touch what it shows (another study; a study its search does not find), and made
 * again at once when one of its studies or its search answer changes. Pages whose view does not
 * declare everything it shows (a search without results offers wider searches with counts) are
 * made again after any change, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPS_HEADERS, type RunningServer } from "../helpers/server";
import { startSeededServer, type SeededServer } from "../helpers/seeded-server";

let seeded: SeededServer;
let server: RunningServer;
let token: string;
beforeAll(async () => {
  seeded = await startSeededServer();
  ({ server, token } = seeded);
});
afterAll(async () => {
  await seeded?.stop();
});

async function get(pathAndQuery: string) {
  const res = await fetch(`${server.url}${pathAndQuery}`);
  expect(res.status).toBe(200);
  return { cache: res.headers.get("x-page-cache"), body: await res.text() };
}

/** Sends studies in the native format as Oslo universitetssykehus; returns the portal's ids by source id. */
async function deliver(studies: { id: string; tittel: string; sammendrag?: string }[]): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(
      studies.map((s) => ({
        id: s.id,
        tittel: s.tittel,
        sammendrag: s.sammendrag ?? "Et kort sammendrag.",
        studietype: "behandling",
        utfort_av: "ous",
        identifikatorer: { rek: `9${s.id.replace(/\D/g, "").padStart(5, "0")}` },
        studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2099-12-31" }],
      })),
    ),
  });
  expect(res.status).toBe(200);
}

/** The search index has caught up with every change (the open API's search finds `title`). */
async function indexed(word: string, title: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${server.url}/api/v1/studies?q=${encodeURIComponent(word)}`);
    if ((await res.text()).includes(title)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${title}" was not indexed within 20 s`);
}

async function studyIdOf(word: string): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/studies?q=${encodeURIComponent(word)}`);
  const body = (await res.json()) as { data: { id: number }[] };
  expect(body.data.length).toBe(1);
  return body.data[0]!.id;
}

async function revalidatedCount(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: OPS_HEADERS })).text();
  return Number(/^kliniske_page_cache_total\{result="revalidated"\} (\d+)$/m.exec(text)?.[1] ?? NaN);
}

describe("pages kept across changes that do not touch them", () => {
  it("keeps a study page and a search page while other studies change; makes them again when theirs does", async () => {
    await deliver([{ id: "DEP-1", tittel: "Avhengighetsprøven om astma" }]);
    await indexed("Avhengighetsprøven", "Avhengighetsprøven om astma");
    const id = await studyIdOf("Avhengighetsprøven");
    const studyPage = `/pasient/studier/${id}`;
    const clinicianPage = `/helsepersonell/studier/${id}`;
    const searchPage = `/pasient?q=${encodeURIComponent("Avhengighetsprøven")}`;
    const zeroPage = `/pasient?q=${encodeURIComponent("Ingentingfinnesher")}`;
    for (const url of [studyPage, clinicianPage, searchPage, zeroPage]) await get(url);
    for (const url of [studyPage, clinicianPage, searchPage, zeroPage]) expect((await get(url)).cache).toBe("hit");

    // Another study, which this search does not find: the data moved, these pages did not.
    const before = await revalidatedCount();
    await deliver([{ id: "DEP-2", tittel: "Uavhengig forsøk om KOLS" }]);
    await indexed("Uavhengig", "Uavhengig forsøk om KOLS");
    expect((await get(studyPage)).cache).toBe("hit");
    expect((await get(clinicianPage)).cache).toBe("hit");
    const search = await get(searchPage);
    expect(search.cache).toBe("hit");
    expect(search.body).toContain("Avhengighetsprøven om astma");
    expect(search.body).not.toContain("Uavhengig forsøk om KOLS");
    expect(await revalidatedCount()).toBeGreaterThanOrEqual(before + 3);
    // The page without results is not declared (its wider searches have counts): made again.
    expect((await get(zeroPage)).cache).toBe("miss");

    // The study itself changes (its summary: the search answer stays the same): its pages and the
    // search page that shows it are made again at once, before the index has caught up.
    await deliver([{ id: "DEP-1", tittel: "Avhengighetsprøven om astma", sammendrag: "Nytt sammendrag i dag." }]);
    const page = await get(studyPage);
    expect(page.cache).toBe("miss");
    expect(page.body).toContain("Nytt sammendrag i dag.");
    expect((await get(clinicianPage)).cache).toBe("miss");
    expect((await get(searchPage)).cache).toBe("miss");
    expect((await get(studyPage)).cache).toBe("hit");
  });

  it("makes a search page again when its answer changes: a new study it finds", async () => {
    const searchPage = `/pasient?q=${encodeURIComponent("Rekkefølgeprøven")}`;
    await deliver([{ id: "DEP-3", tittel: "Rekkefølgeprøven om migrene" }]);
    await indexed("Rekkefølgeprøven", "Rekkefølgeprøven om migrene");
    await get(searchPage);
    expect((await get(searchPage)).cache).toBe("hit");

    await deliver([{ id: "DEP-4", tittel: "Rekkefølgeprøven om epilepsi" }]);
    await indexed("Rekkefølgeprøven", "Rekkefølgeprøven om epilepsi");
    const again = await get(searchPage);
    expect(again.cache).toBe("miss");
    expect(again.body).toContain("Rekkefølgeprøven om epilepsi");
    expect(again.body).toContain("Rekkefølgeprøven om migrene");
  });
});
