/**
 * The search contract against a real Meilisearch (the verified 1.21.0 test binary), plus
 * Meilisearch-specific checks: idempotent settings, a rebuild without an empty window, and the
 * client's HTTP latency compared with a raw keep-alive request.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Meilisearch } from "meilisearch";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { applySettings } from "#app/search/meilisearch-settings";
import type { SearchDocument } from "#app/search/types";
import { runSearchContract } from "../search/contract";

let meili: LocalMeilisearch | undefined;

runSearchContract("meilisearch", {
  create: async () => {
    meili = await startLocalMeilisearch();
    return new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey, indexUid: "studies" });
  },
  dispose: async () => meili?.stop(),
});

function doc(
  studyId: number,
  siteId: number | null,
  title: string,
  extra: Partial<SearchDocument> = {},
): SearchDocument {
  return {
    id: `${studyId}-${siteId ?? 0}`,
    studyId,
    siteId,
    title,
    titleEn: null,
    shortTitle: null,
    summary: `Sammendrag av ${title} med litt mer tekst for å gjøre svaret større enn en kilobyte når mange treff kommer tilbake.`,
    conditions: ["Brystkreft"],
    icd10: ["C509"],
    icd10Names: ["Ondartet svulst i bryst, uspesifisert"],
    interventions: ["Legemiddel"],
    categories: ["cancer"],
    categoryNames: ["Kreft"],
    studyType: "treatment",
    phase: "phase_3",
    sex: "all",
    minAgeYears: 18,
    maxAgeYears: null,
    healthyVolunteers: false,
    leadOrganisationId: "unn",
    leadOrganisationName: "Universitetssykehuset Nord-Norge HF",
    organisationId: siteId == null ? null : "unn",
    organisationName: siteId == null ? null : "Universitetssykehuset Nord-Norge HF",
    regionId: siteId == null ? null : siteId % 2 ? "helse-nord" : "helse-vest",
    hospitalId: null,
    hospitalName: siteId == null ? null : "UNN Tromsø",
    opensAt: Date.parse("2026-01-01T00:00:00Z"),
    closesAt: null,
    paused: false,
    lat: 69.68,
    lon: 18.97,
    updatedAt: Date.parse("2026-11-01T00:00:00Z"),
    isDemo: false,
    studyConfirmedUntil: Number.MAX_SAFE_INTEGER,
    ...extra,
  };
}

function corpus(n: number, tag: string): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (let i = 1; i <= n; i++) {
    docs.push(doc(i, i * 10 + 1, `Brystkreftstudie ${tag} nummer ${i}`));
    docs.push(doc(i, i * 10 + 2, `Brystkreftstudie ${tag} nummer ${i}`));
  }
  return docs;
}

describe("meilisearch engine specifics", () => {
  let local: LocalMeilisearch;
  let engine: MeilisearchEngine;

  beforeAll(async () => {
    local = await startLocalMeilisearch();
    engine = new MeilisearchEngine({ host: local.host, apiKey: local.masterKey, indexUid: "specifics" });
    await engine.setup();
    await engine.rebuild([corpus(40, "alfa")]);
  }, 120_000);

  afterAll(async () => {
    await local?.stop();
  });

  it("setup is idempotent: a second run enqueues no task", async () => {
    const before = (await engine.client.tasks.getTasks({ limit: 1 })).results[0]?.uid;
    await engine.setup();
    await engine.setup();
    const after = (await engine.client.tasks.getTasks({ limit: 1 })).results[0]?.uid;
    expect(after).toBe(before);
    expect(await applySettings(engine.client, "specifics")).toEqual([]);
  });

  it("counts distinct studies, and site-level facets per study", async () => {
    const r = await engine.search({
      now: new Date("2026-11-22T11:00:00Z"),
      facets: ["regionId", "studyType", "status", "icd10Chapter"],
    });
    expect(r.total).toBe(40);
    // Every study has one site in each region: both regions count all 40 studies.
    expect(r.facets.regionId).toEqual({ "helse-nord": 40, "helse-vest": 40 });
    expect(r.facets.studyType).toEqual({ treatment: 40 });
    expect(r.facets.status).toEqual({ open: 40 });
    expect(r.facets.icd10Chapter).toEqual({ II: 40 });
    // Filtering by a region keeps every study with a site there.
    expect((await engine.search({ now: new Date(), regions: ["helse-vest"] })).total).toBe(40);
  });

  it("escapes HTML in titles and keeps only <mark>", async () => {
    await engine.indexStudies(
      [999],
      [doc(999, 9991, `<img src=x onerror="alert(1)"> Søvnforstyrrelse & <b>bryst</b>`, { icd10: [], conditions: [] })],
    );
    const hit = (await engine.search({ now: new Date(), q: "sovnforstyrrelse" })).hits.find((h) => h.studyId === 999)!;
    expect(hit.highlightedTitle).toContain("<mark>Søvnforstyrrelse</mark>");
    expect(hit.highlightedTitle).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.highlightedTitle).toContain("&lt;img");
    // Typo and prefix matches are marked too (positions come from Meilisearch).
    const typo = (await engine.search({ now: new Date(), q: "sovnforstyrelse" })).hits.find((h) => h.studyId === 999)!;
    expect(typo.highlightedTitle).toContain("<mark>Søvnforstyrrelse</mark>");
    await engine.removeStudies([999]);
    expect((await engine.search({ now: new Date(), q: "sovnforstyrrelse" })).total).toBe(0);
  });

  it("rejects unsafe filter values instead of splicing them into a filter", async () => {
    await expect(engine.search({ now: new Date(), regions: ['x" OR studyId > 0 OR regionId = "y'] })).rejects.toThrow(
      /Invalid region/,
    );
    await expect(engine.search({ now: new Date(), icd10: ["C50 OR 1"] })).rejects.toThrow(/ICD-10/);
  });

  it("rebuilds by swapping, with no window where searches return nothing", async () => {
    let stop = false;
    let searches = 0;
    let empty = 0;
    const errors: unknown[] = [];
    const loop = (async () => {
      while (!stop) {
        try {
          const r = await engine.search({ now: new Date(), q: "brystkreftstudie", perPage: 5 });
          searches++;
          if (r.total === 0) empty++;
        } catch (e) {
          errors.push(e);
        }
      }
    })();
    async function* batches() {
      const docs = corpus(60, "beta");
      for (let i = 0; i < docs.length; i += 25) yield docs.slice(i, i + 25);
    }
    await engine.rebuild(batches());
    stop = true;
    await loop;
    expect(errors).toEqual([]);
    expect(searches).toBeGreaterThan(5);
    expect(empty).toBe(0);
    const after = await engine.search({ now: new Date(), q: "beta" });
    expect(after.total).toBe(60);
    const indexes = (await engine.client.getRawIndexes({ limit: 100 })).results.map((i) => i.uid);
    expect(indexes.filter((u) => u.startsWith("specifics"))).toEqual(["specifics"]);
  });

  it("client HTTP latency is close to a raw keep-alive request", async () => {
    const body = JSON.stringify({ q: "brystkreftstudie", hitsPerPage: 20, page: 1 });
    const agent = new http.Agent({ keepAlive: true });
    const url = new URL(`${local.host}/indexes/specifics/search`);
    const raw = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            agent,
            headers: {
              "Content-Type": "application/json",
              Authorization: `Bearer ${local.masterKey}`,
              "Content-Length": Buffer.byteLength(body),
            },
          },
          (res) => {
            let size = 0;
            res.on("data", (c: Buffer) => (size += c.length));
            res.on("end", () => resolve(size));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const viaClient = () => engine.client.index("specifics").search("brystkreftstudie", { hitsPerPage: 20, page: 1 });
    const size = await raw();
    expect(size).toBeGreaterThan(1024);
    await viaClient();
    const time = async (f: () => Promise<unknown>) => {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) await f();
      return (performance.now() - t0) / 50;
    };
    // The client as configured out of the box: fetch offers gzip/deflate/br, Meilisearch then
    // compresses the response and the round trip grows by ~40 ms on loopback.
    const stock = new Meilisearch({ host: local.host, apiKey: local.masterKey });
    const viaStockClient = () => stock.index("specifics").search("brystkreftstudie", { hitsPerPage: 20, page: 1 });
    await viaStockClient();
    const rawMs = await time(raw);
    const clientMs = await time(viaClient);
    const stockMs = await time(viaStockClient);
    agent.destroy();
    console.log(
      `[meilisearch latency] response ${size} B; raw keep-alive http.request ${rawMs.toFixed(2)} ms/search; engine client ${clientMs.toFixed(2)} ms/search; stock client ${stockMs.toFixed(2)} ms/search`,
    );
    expect(clientMs).toBeLessThan(rawMs + 10);
  });
});
