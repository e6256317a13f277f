/**
 * The open API's answer cache (app/http/answer-cache.server.ts) over real HTTP against the built
 * server on a real SQLite file: a repeated read is answered from the cache (and by server.ts's
 * fast path in front of Remix) with the same body and validators; any saved change, in this
 * process through the study model or a pause, is visible on the very next read; conditional
 * requests, HEAD, CORS and the rate limit still apply to cached answers; and the validity token
 * moves with everything an answer depends on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate, startOfOsloDay } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { answerStateFor } from "#app/http/api-read.server";
import { answerStateToken } from "#app/models/open-api.server";
import { advanceCursor, outboxHead } from "#app/models/search-outbox.server";
import { getStudy, type Actor } from "#app/models/study.server";
import { documented, startApiServer, type ApiServer } from "../helpers/api-server";
import { OPS_HEADERS } from "../helpers/server";
import { saveStudyOrThrow } from "../helpers/studies";

let api: ApiServer;
const BURST = 4;
let client = 0;
/** A fresh client address, so only the rate-limit test below ever runs out of tokens. */
const nextClient = () => `10.9.${(++client >> 8) & 255}.${client & 255}`;

beforeAll(async () => {
  api = await startApiServer({
    env: { API_RATE_LIMIT_PER_MINUTE: "1", API_RATE_LIMIT_BURST: String(BURST), TRUST_PROXY_HOPS: "1" },
    headers: () => ({ "x-forwarded-for": nextClient() }),
  });
});
afterAll(async () => {
  await api?.stop();
});

const person: Actor = { kind: "user", id: "u-cache", name: "Cache Testesen" };

/** The server's hit and miss counters (/metrics). */
async function cacheCounters(): Promise<{ hit: number; miss: number }> {
  const text = await (await api.get("/metrics", OPS_HEADERS)).text();
  const read = (result: string) =>
    Number(new RegExp(`^kliniske_api_answer_cache_total\\{result="${result}"\\} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return { hit: read("hit"), miss: read("miss") };
}

async function save(input: unknown, studyId?: number): Promise<number> {
  await api.indexed(); // saveStudy reads before it writes: wait until the server's indexer is idle
  const result = saveStudyOrThrow(api.db(), input, { actor: person, studyId });
  return result.studyId;
}

const SITE = {
  organisationId: "ous",
  hospitalId: "ous-rikshospitalet",
  inclusionStart: "2020-01-01",
  inclusionEnd: "2099-12-31",
};

function study(title: string): StudyInput {
  return {
    identifiers: { rek: String(977_000 + client) },
    title: { nb: title },
    summary: { nb: "Studie laget av testen for svar-hurtigbufferen." },
    studyType: "treatment",
    phase: "phase_2",
    categories: ["cancer"],
    conditions: ["Bukspyttkjertelkreft"],
    icd10: ["C25"],
    leadOrganisationId: "ous",
    sites: [SITE],
    publicationState: "published",
  };
}

describe("a repeated read", () => {
  it("is answered from the cache with the same body and validators", async () => {
    const path = "/api/v1/studies?q=kreft&perPage=5&facets=regionId";
    const first = await api.get(path);
    expect(first.status).toBe(200);
    const firstBody = await documented(api, "/api/v1/studies", first);
    const before = await cacheCounters();
    const second = await api.get(path);
    expect(second.status).toBe(200);
    const secondBody = await documented(api, "/api/v1/studies", second);
    const after = await cacheCounters();
    expect(after.hit).toBe(before.hit + 1);
    expect(after.miss).toBe(before.miss);
    expect(secondBody).toEqual(firstBody);
    for (const header of [
      "etag",
      "content-type",
      "cache-control",
      "access-control-allow-origin",
      "link",
      "ratelimit-remaining",
    ]) {
      expect(second.headers.get(header), header).toBeTruthy();
    }
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("link")).toBe(first.headers.get("link"));
    // Security headers (helmet, in front of everything) are on the fast path's answers too.
    expect(second.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("keeps conditional requests and HEAD: 304 for a matching ETag, headers without a body for HEAD", async () => {
    const path = "/api/v1/studies?sort=closing&perPage=3";
    const first = await api.get(path);
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const notModified = await api.get(path, { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect(notModified.headers.get("etag")).toBe(etag);
    const other = await api.get(path, { "If-None-Match": 'W/"something-else"' });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    const head = await fetch(api.url(path), { method: "HEAD", headers: { "x-forwarded-for": nextClient() } });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(head.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await head.text()).toBe("");
  });

  it("still counts against the client's rate limit: 429 with Retry-After once the burst is used", async () => {
    const path = "/api/v1/studies?perPage=2";
    await (await api.get(path)).arrayBuffer(); // now cached
    const me = nextClient();
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < BURST + 1; i++) {
      last = await api.get(path, { "x-forwarded-for": me });
      statuses.push(last.status);
      if (last.status !== 429) await last.arrayBuffer();
    }
    expect(statuses).toEqual([...Array(BURST).fill(200), 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("access-control-allow-origin")).toBe("*");
    const error = (await last!.json()) as { error: { status: number; code: string; message: string } };
    expect(error.error).toMatchObject({ status: 429, code: "rate_limited" });
    expect(error.error.message).toMatch(/For mange forespørsler/);
  });
});

describe("a change is visible on the next read", () => {
  it("a new study, a new title and a paused site show at once, in the list and in the study", async () => {
    const marker = `Svarbufferstudie${Date.now().toString(36)}`;
    const listPath = `/api/v1/studies?q=${marker}`;
    const empty = await documented<{ meta: { total: number } }>(api, "/api/v1/studies", await api.get(listPath));
    expect(empty.meta.total).toBe(0);
    // cached now; the save below must not be hidden by it
    expect(
      (await documented<{ meta: { total: number } }>(api, "/api/v1/studies", await api.get(listPath))).meta.total,
    ).toBe(0);

    const id = await save(study(`${marker} om bukspyttkjertelkreft`));
    await api.indexed();
    const found = await documented<{ data: { id: number; title: { nb: string } }[] }>(
      api,
      "/api/v1/studies",
      await api.get(listPath),
    );
    expect(found.data.map((s) => s.id)).toEqual([id]);

    const one = `/api/v1/studies/${id}`;
    const before = await documented<{ title: { nb: string }; status: string }>(
      api,
      "/api/v1/studies/{id}",
      await api.get(one),
    );
    expect(before.title.nb).toBe(`${marker} om bukspyttkjertelkreft`);
    expect(before.status).toBe("open");
    await documented(api, "/api/v1/studies/{id}", await api.get(one)); // cached

    await save(
      { ...study(`${marker} om bukspyttkjertelkreft, ny tittel`), identifiers: getStudy(api.db(), id)!.identifiers },
      id,
    );
    // Right after the save (before the index catches up): the record is read anew.
    const renamed = await documented<{ title: { nb: string } }>(api, "/api/v1/studies/{id}", await api.get(one));
    expect(renamed.title.nb).toBe(`${marker} om bukspyttkjertelkreft, ny tittel`);
    await api.indexed();
    const listed = await documented<{ data: { title: { nb: string } }[] }>(
      api,
      "/api/v1/studies",
      await api.get(listPath),
    );
    expect(listed.data[0]!.title.nb).toBe(`${marker} om bukspyttkjertelkreft, ny tittel`);

    const current = getStudy(api.db(), id)!;
    await save(
      {
        ...study(`${marker} om bukspyttkjertelkreft, ny tittel`),
        identifiers: current.identifiers,
        sites: [{ ...SITE, paused: true, pauseReason: "Midlertidig stans" }],
      },
      id,
    );
    const paused = await documented<{ status: string; sites: { status: string }[] }>(
      api,
      "/api/v1/studies/{id}",
      await api.get(one),
    );
    expect(paused.sites.map((s) => s.status)).toEqual(["paused"]);
    expect(paused.status).not.toBe("open");
  });
});

describe("the validity token", () => {
  it("moves with a saved version, an outbox row, an engine's cursor and an index write, and stays put otherwise", async () => {
    await api.indexed();
    const db = api.db();
    const t0 = answerStateToken(db);
    expect(answerStateToken(db)).toBe(t0);

    const id = await save(study("Tokenstudie om kreft i bukspyttkjertelen"));
    const t1 = answerStateToken(db); // a version and an outbox row, index not yet caught up
    expect(t1).not.toBe(t0);
    await api.indexed(); // the server's indexer advances its cursor and writes its index
    const t2 = answerStateToken(db);
    expect(t2).not.toBe(t1);

    // The cursor alone (e.g. another engine catching up) moves it too.
    db.prepare("INSERT INTO search_cursors (engine, last_id) VALUES ('probe', 0)").run();
    const t3 = answerStateToken(db);
    expect(t3).not.toBe(t2);
    advanceCursor(db, "probe", outboxHead(db));
    expect(answerStateToken(db)).not.toBe(t3);
    db.prepare("DELETE FROM search_cursors WHERE engine = 'probe'").run();
    expect(answerStateToken(db)).toBe(t2);
    expect(getStudy(db, id)).not.toBeNull();
  });

  it("the Oslo day is part of what an answer is valid under (statuses change at Oslo midnight)", async () => {
    const db = api.db();
    const today = osloDate(new Date());
    const midnight = startOfOsloDay(addCalendarDays(today, 1));
    const justBefore = new Date(midnight.getTime() - 1);
    expect(answerStateFor(db, justBefore)).toBe(answerStateFor(db, new Date(midnight.getTime() - 3_600_000)));
    expect(answerStateFor(db, midnight)).not.toBe(answerStateFor(db, justBefore));
  });
});
