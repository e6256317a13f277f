/**
 * GET /api/v1/studies over real HTTP against the built server on a real SQLite file (demo seed +
 * the real postcode list): paging through everything, filters that agree with the statuses the
 * API derives, sorting, facets, hostile parameters, and the per-client rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documented, startApiServer, type ApiServer } from "../helpers/api-server";

let api: ApiServer;
const BURST = 5;

let client = 0;
beforeAll(async () => {
  // Clients are told apart by X-Forwarded-For here (one trusted proxy). Every request of the other
  // tests comes from a client of its own, so only the rate-limit test below ever runs out.
  api = await startApiServer({
    env: { API_RATE_LIMIT_PER_MINUTE: "1", API_RATE_LIMIT_BURST: String(BURST), TRUST_PROXY_HOPS: "1" },
    headers: () => ({ "x-forwarded-for": `10.${(++client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}` }),
  });
});
afterAll(async () => {
  await api?.stop();
});

interface Summary {
  id: number;
  status: string;
  studyType: string;
  phase: string | null;
  updatedAt: string;
  icd10: { code: string }[];
  categories: { id: string }[];
  eligibility: { minAgeYears: number | null; maxAgeYears: number | null; sex: string; healthyVolunteers: boolean };
  sites: { status: string; region: { id: string }; organisation: { id: string }; hospital: { id: string } | null }[];
  match: { distanceKm: number | null; highlightedTitle: string | null };
}
interface List {
  data: Summary[];
  meta: {
    total: number;
    page: number;
    perPage: number;
    pageCount: number;
    sort: string;
    near: { place: string | null } | null;
  };
  facets: Record<string, Record<string, number>>;
  links: { next: string | null; prev: string | null; first: string; last: string; self: string };
}

const list = async (query: string): Promise<List> => {
  const res = await api.get(`/api/v1/studies${query}`);
  expect(res.status, `${query}: ${res.status}`).toBe(200);
  return documented<List>(api, "/api/v1/studies", res);
};

/** Follows links.next from the first page to the last; every page is checked against the document. */
async function everything(query: string): Promise<{ studies: Summary[]; total: number; pages: number }> {
  const studies: Summary[] = [];
  let next: string | null = `/api/v1/studies${query}`;
  let total = -1;
  let pages = 0;
  while (next) {
    const res = await api.get(next);
    expect(res.status).toBe(200);
    const page = await documented<List>(api, "/api/v1/studies", res);
    if (total >= 0) expect(page.meta.total).toBe(total); // stable while paging
    total = page.meta.total;
    studies.push(...page.data);
    next = page.links.next;
    expect(++pages).toBeLessThan(500);
  }
  return { studies, total, pages };
}

const publishedIds = () =>
  api
    .db()
    .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id")
    .pluck()
    .all() as number[];

describe("paging through everything", () => {
  it("finds every published study exactly once, page by page (newest first)", async () => {
    const { studies, total, pages } = await everything("?perPage=7");
    const ids = studies.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    expect([...ids].sort((a, b) => a - b)).toEqual(publishedIds());
    expect(pages).toBe(Math.ceil(total / 7));
    // newest: last change first, ties by id descending
    for (let i = 1; i < studies.length; i++) {
      const [a, b] = [studies[i - 1]!, studies[i]!];
      expect(a.updatedAt > b.updatedAt || (a.updatedAt === b.updatedAt && a.id > b.id)).toBe(true);
    }
  });

  it.each([
    "?sort=closing&perPage=9",
    "?q=studie&perPage=6",
    "?postcode=7030&sort=distance&perPage=11",
    "?status=open,planned&perPage=100",
  ])("nothing missing or duplicated with %s", async (query) => {
    const { studies, total } = await everything(query);
    const ids = studies.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    expect(total).toBeGreaterThan(0);
  });

  it("answers the same page the same way (stable order) and links back and forth", async () => {
    const a = await list("?perPage=5&page=3&sort=closing");
    const b = await list("?perPage=5&page=3&sort=closing");
    expect(b.data.map((s) => s.id)).toEqual(a.data.map((s) => s.id));
    expect(new URL(a.links.prev!).searchParams.get("page")).toBe("2");
    expect(new URL(a.links.next!).searchParams.get("page")).toBe("4");
    expect(new URL(a.links.first).searchParams.get("page")).toBeNull();
    expect(a.links.self.startsWith("http://api.kliniskestudier.test/api/v1/studies?")).toBe(true);
    const last = await list(new URL(a.links.last).search);
    expect(last.links.next).toBeNull();
    expect(last.meta.page).toBe(last.meta.pageCount);
    const beyond = await list(`?perPage=5&page=${a.meta.pageCount + 5}`);
    expect(beyond.data).toEqual([]);
    expect(beyond.links.next).toBeNull();
  });
});

describe("filters agree with the status the API derives", () => {
  it("status=open is exactly the studies whose derived status is open", async () => {
    const all = (await everything("?perPage=100")).studies;
    const open = (await everything("?status=open&perPage=100")).studies;
    expect(open.map((s) => s.id).sort()).toEqual(
      all
        .filter((s) => s.status === "open")
        .map((s) => s.id)
        .sort(),
    );
    expect(open.length).toBeGreaterThan(0);
  });

  // "closed" is "not including, as far as anyone has said": closed, or unknown (a declared status
  // too old to trust). ADR 0012.
  it.each([
    ["planned", ["planned"]],
    ["closed", ["closed", "unknown"]],
  ])("status=%s gives studies with a site that is %j now", async (status, shown) => {
    const { studies } = await everything(`?status=${status}&perPage=100`);
    expect(studies.length).toBeGreaterThan(0);
    for (const s of studies)
      expect(
        s.sites.some((x) => shown.includes(x.status)),
        `study ${s.id}`,
      ).toBe(true);
  });

  it("site filters: regions, organisations, hospitals", async () => {
    for (const s of (await everything("?regions=helse-nord&perPage=100")).studies)
      expect(s.sites.some((x) => x.region.id === "helse-nord")).toBe(true);
    for (const s of (await everything("?organisations=ous,unn&perPage=100")).studies)
      expect(s.sites.some((x) => ["ous", "unn"].includes(x.organisation.id))).toBe(true);
    const someHospital = (await list("?perPage=1")).data[0]!.sites.find((x) => x.hospital)!.hospital!.id;
    const atHospital = (await everything(`?hospitals=${someHospital}&perPage=100`)).studies;
    expect(atHospital.length).toBeGreaterThan(0);
    for (const s of atHospital) expect(s.sites.some((x) => x.hospital?.id === someHospital)).toBe(true);
  });

  it("study filters: icd10 prefix, categories, type, phase, age, sex, healthy volunteers", async () => {
    const c = (await everything("?icd10=c&perPage=100")).studies;
    expect(c.length).toBeGreaterThan(0);
    for (const s of c) expect(s.icd10.some((x) => x.code.startsWith("C"))).toBe(true);
    for (const s of (await everything("?categories=cancer&perPage=100")).studies)
      expect(s.categories.map((x) => x.id)).toContain("cancer");
    for (const s of (await everything("?studyTypes=observational&perPage=100")).studies)
      expect(s.studyType).toBe("observational");
    for (const s of (await everything("?phases=phase_3,phase_2&perPage=100")).studies)
      expect(["phase_2", "phase_3"]).toContain(s.phase);
    const children = (await everything("?age=10&perPage=100")).studies;
    expect(children.length).toBeGreaterThan(0);
    for (const s of children) {
      expect(s.eligibility.minAgeYears ?? 0).toBeLessThanOrEqual(10);
      expect(s.eligibility.maxAgeYears ?? 120).toBeGreaterThanOrEqual(10);
    }
    for (const s of (await everything("?sex=male&perPage=100")).studies)
      expect(["all", "male"]).toContain(s.eligibility.sex);
    for (const s of (await everything("?healthyVolunteers=true&perPage=100")).studies)
      expect(s.eligibility.healthyVolunteers).toBe(true);
  });

  it("free text finds the same study by lay word, medical word and ICD-10 code", async () => {
    const lay = (await list("?q=brystkreft")).data.map((s) => s.id);
    expect(lay.length).toBeGreaterThan(0);
    expect((await list("?q=C50")).data.map((s) => s.id)).toEqual(expect.arrayContaining([lay[0]]));
    const hit = (await list("?q=brystkreft")).data[0]!;
    expect(hit.match.highlightedTitle ?? "").toContain("<mark>");
  });
});

describe("place, sorting and facets", () => {
  it("postcode → nearest first, with the place and distances", async () => {
    const body = await list("?postcode=9019&sort=distance&perPage=20");
    expect(body.meta.near?.place).toBe("Tromsø");
    const d = body.data.map((s) => s.match.distanceKm);
    const known = d.filter((x): x is number => x != null);
    expect(known.length).toBeGreaterThan(0);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(d.indexOf(null) === -1 || d.slice(d.indexOf(null)).every((x) => x == null)).toBe(true);
    const byCoordinates = await list("?near=69.68,18.94&sort=distance&perPage=20");
    expect(byCoordinates.data[0]!.id).toBe(body.data[0]!.id);
  });

  it("facets count the matching studies per value", async () => {
    const body = await list("?facets=status,regionId,organisationId,categories,studyType,phase,icd10Chapter&perPage=1");
    expect(Object.keys(body.facets).sort()).toEqual([
      "categories",
      "icd10Chapter",
      "organisationId",
      "phase",
      "regionId",
      "status",
      "studyType",
    ]);
    expect(Object.values(body.facets.studyType!).reduce((a, b) => a + b, 0)).toBe(body.meta.total);
    const open = await list("?status=open&perPage=1");
    expect(body.facets.status!.open).toBe(open.meta.total);
  });
});

describe("hostile and bad parameters", () => {
  it.each([
    `'; DROP TABLE studies; --`,
    `brystkreft OR * AND NOT "hjerte`,
    `NEAR(kreft lunge, 2) col:title ^x {a b}`,
    `\u202Eevil RTL 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧬 ∑`,
    `ÆØÅ æøå e\u0301 ß ı`,
    `%%% _ \\ /* */ --`,
    "a".repeat(200),
  ])("free text is only ever text: %s", async (q) => {
    const res = await api.get(`/api/v1/studies?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    await documented(api, "/api/v1/studies", res);
  });

  it("the database is untouched by them", () => {
    expect(publishedIds().length).toBeGreaterThan(60);
  });

  const many = Array.from({ length: 51 }, (_, i) => `r${i}`).join(",");
  it.each([
    ["q", `q=${"a".repeat(201)}`],
    ["q", "q=a%00b"],
    ["q", `q=${"x".repeat(600)}`],
    ["page", "page=0"],
    ["page", "page=-1"],
    ["page", "page=1.5"],
    ["page", "page=1e3"],
    ["page", "page=99999999999999999999999999"],
    ["page", "page=10001"],
    ["page", "page=1&page=2"],
    ["perPage", "perPage=101"],
    ["perPage", "perPage=abc"],
    ["status[]", "status[]=open"],
    ["status", "status=open,banana"],
    ["regions", "regions=helse-narnia"],
    ["regions", "regions=Helse%20Vest"],
    ["regions", `regions=${many}`],
    ["hospitals", "hospitals=ikke-et-sykehus"],
    ["categories", "categories=kreft"],
    ["icd10", "icd10=C50'"],
    ["age", "age=121"],
    ["age", "age=-5"],
    ["sex", "sex=other"],
    ["healthyVolunteers", "healthyVolunteers=yes"],
    ["near", "near=91,10"],
    ["near", "near=abc"],
    ["postcode", "postcode=12ab"],
    ["postcode", "postcode=0000"],
    ["postcode", "near=59.9,10.7&postcode=0450"],
    ["sort", "sort=distance"],
    ["sort", "sort=random"],
    ["facets", "facets=everything"],
    ["unknown", "unknown=1"],
  ])("400 naming %s for ?%s", async (name, query) => {
    const res = await api.get(`/api/v1/studies?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await documented<{
      error: { code: string; message: string; details: { parameters: { name: string; message: string }[] } };
    }>(api, "/api/v1/studies", res);
    expect(body.error.code).toBe("invalid_parameter");
    expect(body.error.details.parameters[0]!.name).toBe(name);
    expect(body.error.details.parameters[0]!.message.length).toBeGreaterThan(5);
    expect(body.error.message).toContain(`«${name}»`);
  });

  it("reports every bad parameter at once", async () => {
    const res = await api.get("/api/v1/studies?page=x&perPage=0&sex=x");
    const body = await documented<{ error: { details: { parameters: { name: string }[] } } }>(
      api,
      "/api/v1/studies",
      res,
    );
    expect(body.error.details.parameters.map((p) => p.name).sort()).toEqual(["page", "perPage", "sex"]);
  });
});

describe("rate limit per client", () => {
  it("429 with Retry-After once a client has used its burst; other clients are not affected", async () => {
    const as = (ip: string) => ({ "x-forwarded-for": `10.0.0.1, ${ip}` });
    const remaining: number[] = [];
    for (let i = 0; i < BURST; i++) {
      const res = await api.get("/api/v1/studies?perPage=1", as("198.51.100.23"));
      expect(res.status).toBe(200);
      remaining.push(Number(res.headers.get("ratelimit-remaining")));
      await res.arrayBuffer();
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const limited = await api.get("/api/v1/studies?perPage=1", as("198.51.100.23"));
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retry) && retry >= 1).toBe(true);
    expect(limited.headers.get("access-control-allow-origin")).toBe("*");
    const body = await documented<{ error: { code: string } }>(api, "/api/v1/studies", limited);
    expect(body.error.code).toBe("rate_limited");
    // Every /api/v1 read counts against the same bucket …
    expect((await api.get("/api/v1/organisations", as("198.51.100.23"))).status).toBe(429);
    // … another client has its own, and the OpenAPI document is not limited.
    expect((await api.get("/api/v1/studies?perPage=1", as("198.51.100.24"))).status).toBe(200);
    expect((await api.get("/api/openapi.json", as("198.51.100.23"))).status).toBe(200);
  });
});
