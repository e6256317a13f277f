/**
 * Issue 22's HTTP findings (1, 2, 3, 4, 9, 10, 11) against the real built server on real SQLite
 * files: each test failed before its fix. Two servers: `plain` (no trusted proxy, http, small
 * ingest limit, short request timeouts, few live streams per client, a metrics token and a
 * metrics port) and `proxied` (TRUST_PROXY_HOPS=1 so the tests can speak as several clients via
 * X-Forwarded-For, and BASE_URL https for the `__Host-` cookie names).
 */
import { request } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { issueResetToken } from "#app/auth/reset.server";
import { issueToken } from "#app/models/token.server";
import { BrowserClient } from "../helpers/browser-client";
import { createPeople, createStudies, PASSWORD, PEOPLE } from "../helpers/accounts";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

const METRICS_TOKEN = "m".repeat(32);
const INGEST_MAX = 2 * 1024 * 1024;

let plain: RunningServer;
let proxied: RunningServer;
/** Short request and header timeouts, on its own so that a busy machine cannot trip the other tests. */
let slow: RunningServer;
let slowToken = "";
let plainDb: Db;
let ingestToken = "";
let ids: { a: number; b: number };
let resetToken = "";
let metricsUrl = "";

beforeAll(async () => {
  const dir = tempDir("ks-security-");
  const files = {
    plain: path.join(dir, "plain.db"),
    proxied: path.join(dir, "proxied.db"),
    slow: path.join(dir, "slow.db"),
  };
  for (const file of Object.values(files)) {
    const setup = openDatabase(file);
    prepareDatabase(setup, { seedDemoData: false });
    await createPeople(setup);
    if (file === files.plain) {
      ids = createStudies(setup);
      ingestToken = issueToken(setup, "st-olavs", "test").token;
      resetToken = issueResetToken(setup, PEOPLE.researcherOus.email)!.token;
    }
    if (file === files.slow) slowToken = issueToken(setup, "st-olavs", "test").token;
    setup.close();
  }
  const common = { SEED_DEMO_DATA: "false", SESSION_SECRET: "s".repeat(40), API_RATE_LIMIT_PER_MINUTE: "0" };
  [plain, proxied, slow] = await Promise.all([
    startServer({
      ...common,
      DATABASE_PATH: files.plain,
      INGEST_MAX_BYTES: String(INGEST_MAX),
      SSE_MAX_STREAMS_PER_CLIENT: "3",
      METRICS_TOKEN,
      METRICS_PORT: "0",
    }),
    startServer({
      ...common,
      DATABASE_PATH: files.proxied,
      TRUST_PROXY_HOPS: "1",
      BASE_URL: "https://kliniskestudier.test",
    }),
    startServer({ ...common, DATABASE_PATH: files.slow, REQUEST_TIMEOUT_SECONDS: "2", HEADERS_TIMEOUT_SECONDS: "2" }),
  ]);
  plainDb = openDatabase(files.plain);
  for (let i = 0; i < 100 && !metricsUrl; i++) {
    const m = /Operations \(metrics, health\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(plain.output());
    if (m) metricsUrl = m[1]!;
    else await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);
afterAll(async () => {
  plainDb?.close();
  await Promise.all([plain?.stop(), proxied?.stop(), slow?.stop()]);
});

/** A browser-like client that speaks as `client` (X-Forwarded-For, for the proxied server). */
class ClientAt extends BrowserClient {
  constructor(
    base: string,
    private readonly address: string | null,
  ) {
    super(base);
  }
  override async get(p: string) {
    const res = await fetch(this.base + p, { headers: this.headersFor(), redirect: "manual" });
    this.take(res);
    const body = await res.text();
    const token = /name="csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1]!;
    return { res, body };
  }
  override async post(
    p: string,
    fields: Record<string, string> | [string, string][],
    opts: { csrf?: boolean; origin?: string } = {},
  ) {
    const form = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
    if (opts.csrf !== false && !form.has("csrf")) form.set("csrf", this.csrf);
    const headers = { ...this.headersFor(), "content-type": "application/x-www-form-urlencoded" };
    const res = await fetch(this.base + p, { method: "POST", headers, body: form, redirect: "manual" });
    this.take(res);
    return { res, body: await res.text() };
  }
  get base() {
    return (this as unknown as { baseUrl: string }).baseUrl;
  }
  headersFor(): Record<string, string> {
    return { cookie: this.header(), ...(this.address ? { "x-forwarded-for": this.address } : {}) };
  }
}

/** Sends raw bytes on a new connection and collects whatever comes back until it closes. */
function rawExchange(url: string, chunks: string[], waitMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("close", () => resolve(answer));
    socket.on("error", () => resolve(answer));
    socket.on("connect", () => {
      for (const c of chunks) socket.write(c);
    });
    // Never resolves on its own before the server acts: a server that keeps the slow request
    // open makes this test run into its own time limit.
    void waitMs;
  });
}

describe("finding 1: no open redirect after sign-in", () => {
  const PAYLOADS = [
    "/.//evil.example",
    "/..//evil.example",
    "/a/..//evil.example/path",
    "/a/../..//evil.example",
    "/././/evil.example",
    "/%2e//evil.example",
    "/%2e%2e//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "\\\\evil.example",
    "evil.example",
  ];

  /** What a browser does with the Location header: it must stay on this site. */
  function expectSameSite(location: string | null, payload: string) {
    expect(location, payload).toBeTruthy();
    const base = "https://kliniskestudier.test";
    const target = new URL(location!, base);
    expect(target.origin, `${JSON.stringify(payload)} → ${location}`).toBe(base);
    expect(location!.startsWith("/"), payload).toBe(true);
    expect(/^\/[\\/]/.test(location!), `${JSON.stringify(payload)} → ${location}`).toBe(false);
    expect(/^\/[\\/]/.test(decodeURIComponent(location!)), `${JSON.stringify(payload)} → ${location}`).toBe(false);
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u001f\u007f]/.test(location!), payload).toBe(false);
  }

  it("signed in, GET /logg-inn?til=… never sends the browser to another host", async () => {
    const c = new BrowserClient(plain.url);
    await c.signIn(PEOPLE.researcherStOlavs.email);
    for (const payload of PAYLOADS) {
      const res = await fetch(`${plain.url}/logg-inn?til=${encodeURIComponent(payload)}`, {
        headers: { cookie: c.header() },
        redirect: "manual",
      });
      expect(res.status, payload).toBe(302);
      expectSameSite(res.headers.get("location"), payload);
    }
    // An ordinary path still comes back as it was.
    const ok = await fetch(`${plain.url}/logg-inn?til=${encodeURIComponent("/forsker/studier/3?fane=historikk")}`, {
      headers: { cookie: c.header() },
      redirect: "manual",
    });
    expect(ok.headers.get("location")).toBe("/forsker/studier/3?fane=historikk");
  });

  it("the sign-in form's til field never sends the browser to another host", async () => {
    for (const payload of [
      "/.//evil.example",
      "/..//evil.example",
      "/a/..//evil.example/path",
      "/%2F%2Fevil.example",
    ]) {
      const c = new BrowserClient(plain.url);
      await c.get("/logg-inn");
      const { res } = await c.post("/logg-inn", {
        email: PEOPLE.editorStOlavs.email,
        password: PASSWORD,
        til: payload,
      });
      expect(res.status, payload).toBe(302);
      expectSameSite(res.headers.get("location"), payload);
    }
  });
});

describe("finding 2: the sign-in limit holds under concurrency", () => {
  it("150 simultaneous wrong passwords and the right one: at most 5 are even checked, and the right one does not get in", async () => {
    const c = new ClientAt(proxied.url, "10.0.0.1");
    await c.get("/logg-inn");
    const email = PEOPLE.lockout.email;
    const attempt = (password: string) => c.post("/logg-inn", { email, password, til: "/forsker/studier" });
    const wrong = Array.from({ length: 150 }, (_, i) => attempt(`feil-passord-${i}`));
    const right = attempt(PASSWORD);
    const results = await Promise.all([...wrong, right]);
    const statuses = results.map((r) => r.res.status);
    const checked = statuses.filter((s) => s === 401 || s === 302).length;
    expect(statuses.filter((s) => s === 429).length, statuses.join(",")).toBeGreaterThanOrEqual(146);
    expect(checked, statuses.join(",")).toBeLessThanOrEqual(5);
    expect(
      statuses.every((s) => s === 401 || s === 302 || s === 429),
      statuses.join(","),
    ).toBe(true);
    // While the limit is exceeded the right password does not get in from this client.
    const after = await attempt(PASSWORD);
    expect(after.res.status).toBe(429);
    expect(Number(after.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(after.body).toContain("For mange mislykkede innlogginger");
  });

  it("a stranger's failures do not lock the owner out: the owner signs in from their own address", async () => {
    const stranger = new ClientAt(proxied.url, "10.0.0.66");
    await stranger.get("/logg-inn");
    for (let i = 0; i < 6; i++)
      await stranger.post("/logg-inn", {
        email: PEOPLE.editorOus.email,
        password: `gjett-${i}-gjett`,
        til: "/redaksjon",
      });
    expect(
      (await stranger.post("/logg-inn", { email: PEOPLE.editorOus.email, password: PASSWORD, til: "/redaksjon" })).res
        .status,
    ).toBe(429);
    const owner = new ClientAt(proxied.url, "10.0.0.7");
    const { res } = await owner.attemptSignIn(PEOPLE.editorOus.email);
    expect(res.status).toBe(302);
  });

  it("many addresses guessing one account are slowed down (back-off per e-mail)", async () => {
    const email = PEOPLE.researcherOus.email;
    for (let i = 0; i < 10; i++) {
      const c = new ClientAt(proxied.url, `10.1.0.${i + 1}`);
      expect((await c.attemptSignIn(email, `gjett-${i}-gjett`)).res.status).toBe(401);
    }
    const next = new ClientAt(proxied.url, "10.1.0.200");
    const { res } = await next.attemptSignIn(email);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

/** A POST whose headers promise `length` bytes; only `send` bytes are written. The answer as it comes. */
function postDeclared(
  url: string,
  headers: Record<string, string>,
  length: number,
  send: number,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: "POST", headers: { ...headers, "content-length": String(length) } });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", (e) =>
      (e as NodeJS.ErrnoException).code === "EPIPE" || (e as NodeJS.ErrnoException).code === "ECONNRESET"
        ? undefined
        : reject(e),
    );
    req.write(Buffer.alloc(send, "a"));
  });
}

describe("finding 3: form bodies are limited and the CSRF cookie is checked before the body is read", () => {
  it("a 200 MiB sign-in post is refused 413 at once, from its headers", async () => {
    const c = new BrowserClient(plain.url);
    await c.get("/logg-inn");
    const answer = await postDeclared(
      `${plain.url}/logg-inn`,
      { cookie: c.header(), "content-type": "application/x-www-form-urlencoded" },
      200 * 1024 * 1024,
      1024,
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("grensen er 65536 byte");
  });

  it("a form without the CSRF cookie is refused 403 before its body is read", async () => {
    const answer = await postDeclared(
      `${plain.url}/logg-inn`,
      { "content-type": "application/x-www-form-urlencoded" },
      60_000,
      100,
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("no CSRF cookie");
  });

  it("a chunked form (no Content-Length) is 411", async () => {
    const answer = await rawExchange(
      plain.url,
      [
        `POST /logg-inn HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nemail\r\n`,
      ],
      0,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 411/);
  });
});

describe("finding 4: a gzip or zip delivery cannot unpack past INGEST_MAX_BYTES", () => {
  const send = (body: Buffer, format: string) =>
    fetch(`${plain.url}/api/v1/organisations/st-olavs/studies?format=${format}`, {
      method: "POST",
      headers: { authorization: `Bearer ${ingestToken}`, "content-type": "application/octet-stream" },
      body: new Uint8Array(body),
    });

  it.each(["ctgov-json", "ctgov-csv", "ctis-csv"])(
    "%s: a small gzip that unpacks to 10× the limit is 413 with the reason",
    async (format) => {
      const bomb = gzipSync(Buffer.alloc(INGEST_MAX * 10, 0x20));
      expect(bomb.length).toBeLessThan(INGEST_MAX / 10);
      const res = await send(bomb, format);
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toContain(`grensen på ${INGEST_MAX} byte når den pakkes ut`);
      expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
    },
  );

  it("a zip whose entries together unpack past the limit is refused with the limit named", async () => {
    const entry = (n: number) =>
      new TextEncoder().encode(
        JSON.stringify({ n, text: Array.from({ length: 40_000 }, (_, i) => (i * 7919 + n) % 10007).join(",") }),
      );
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) files[`NCT0000000${i}.json`] = entry(i);
    const zip = Buffer.from(zipSync(files, { level: 9 }));
    const unpacked = Object.values(files).reduce((n, f) => n + f.length, 0);
    expect(zip.length).toBeLessThan(INGEST_MAX);
    expect(unpacked).toBeGreaterThan(INGEST_MAX);
    const res = await send(zip, "ctgov-json");
    const text = await res.text();
    expect(text).toContain(`zip-filen er større enn ${INGEST_MAX} byte utpakket`);
  });
});

describe("finding 9: CSRF tied to the session, __Host- cookies over https, forwarded headers only from a trusted proxy", () => {
  it("a CSRF cookie and token from another session are refused", async () => {
    const victim = new BrowserClient(plain.url);
    await victim.signIn(PEOPLE.researcherStOlavs.email);
    const attacker = new BrowserClient(plain.url);
    await attacker.signIn(PEOPLE.editorOus.email);
    await attacker.get("/logg-ut");
    // The attacker's own CSRF cookie planted in the victim's browser, with the attacker's token.
    const csrfName = [...attacker.cookies.keys()].find((k) => k.endsWith("ks_csrf"))!;
    victim.cookies.set(csrfName, attacker.cookies.get(csrfName)!);
    const { res, body } = await victim.post("/logg-ut", { csrf: attacker.csrf });
    expect(res.status).toBe(403);
    expect(body).toContain("CSRF");
    // The victim is still signed in; with their own token the same form works.
    expect((await victim.get("/forsker/studier")).res.status).toBe(200);
  });

  it("the token from before sign-in does not work after it (it is rotated and bound to the new session)", async () => {
    const c = new BrowserClient(plain.url);
    await c.get("/logg-inn");
    const before = { token: c.csrf, cookie: c.cookies.get("ks_csrf")! };
    await c.post("/logg-inn", { email: PEOPLE.editorStOlavs.email, password: PASSWORD, til: "/redaksjon" });
    c.cookies.set("ks_csrf", before.cookie);
    expect((await c.post("/logg-ut", { csrf: before.token })).res.status).toBe(403);
  });

  it("over https the cookies are __Host- (Secure, Path=/, no Domain); over http plain names", async () => {
    const c = new ClientAt(proxied.url, "10.9.9.9");
    const { res } = await c.attemptSignIn(PEOPLE.admin.email);
    expect(res.status).toBe(302);
    const cookies = res.headers.getSetCookie();
    for (const name of ["__Host-ks_session", "__Host-ks_csrf"]) {
      const cookie = cookies.find((s) => s.startsWith(`${name}=`));
      expect(cookie, name).toBeTruthy();
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
    }
    expect((await c.get("/forsker/studier")).res.status).toBe(200);
    const page = await fetch(`${plain.url}/logg-inn`);
    expect(page.headers.getSetCookie().some((s) => s.startsWith("ks_csrf=") && !/Secure/.test(s))).toBe(true);
  });

  it("with no trusted proxy, X-Forwarded-Host cannot make a foreign Origin look like this site", async () => {
    const c = new BrowserClient(plain.url);
    await c.get("/logg-inn");
    const res = await fetch(`${plain.url}/logg-inn`, {
      method: "POST",
      headers: {
        cookie: c.header(),
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
      },
      body: new URLSearchParams({
        csrf: c.csrf,
        email: PEOPLE.editorStOlavs.email,
        password: PASSWORD,
        til: "/redaksjon",
      }),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("annet nettsted");
  });
});

describe("finding 10: slow requests end, and one client cannot take every live-stream slot", () => {
  it("a request whose body never finishes is answered 408 and closed (REQUEST_TIMEOUT_SECONDS)", async () => {
    const answer = await rawExchange(
      slow.url,
      [
        `POST /api/v1/organisations/st-olavs/studies?format=native HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${slowToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[`,
      ],
      0,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);

  it("headers that never finish are answered 408 and closed (HEADERS_TIMEOUT_SECONDS)", async () => {
    const answer = await rawExchange(slow.url, ["GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "], 0);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);

  it("a fourth stream from the same client is 429 (SSE_MAX_STREAMS_PER_CLIENT=3)", async () => {
    const controllers: AbortController[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const ac = new AbortController();
        controllers.push(ac);
        const res = await fetch(`${plain.url}/api/v1/events`, { signal: ac.signal });
        expect(res.status).toBe(200);
      }
      const fourth = await fetch(`${plain.url}/api/v1/events`);
      expect(fourth.status).toBe(429);
      expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe("too_many_streams");
    } finally {
      for (const ac of controllers) ac.abort();
    }
  });
});

describe("finding 11: the smaller ones", () => {
  it("/metrics is not public on the app port; with the token, or on METRICS_PORT, it is", async () => {
    expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    expect(
      (await fetch(`${plain.url}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token-wrong" } }))
        .status,
    ).toBe(404);
    const withToken = await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain("# TYPE");
    expect(metricsUrl, plain.output().slice(-2000)).toMatch(/^http:/);
    const side = await fetch(`${metricsUrl}/metrics`);
    expect(side.status).toBe(200);
    expect(await side.text()).toContain("# TYPE");
    expect((await fetch(`${metricsUrl}/logg-inn`)).status).toBe(404);
  });

  it("/healthz and /readyz give details only with the token, and count no drafts", async () => {
    const open = (await (await fetch(`${plain.url}/healthz`)).json()) as Record<string, unknown>;
    expect(Object.keys(open).sort()).toEqual(["status", "time"]);
    const ready = (await (await fetch(`${plain.url}/readyz`)).json()) as Record<string, unknown>;
    expect(Object.keys(ready).sort()).toEqual(["status", "time"]);
    const detailed = (await (
      await fetch(`${plain.url}/healthz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).json()) as {
      database: { studies: number };
    };
    const published = plainDb
      .prepare("SELECT count(*) FROM studies WHERE publication_state = 'published'")
      .pluck()
      .get() as number;
    const all = plainDb.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    expect(all).toBeGreaterThan(published);
    expect(detailed.database.studies).toBe(published);
    const side = (await (await fetch(`${metricsUrl}/healthz`)).json()) as { database?: unknown };
    expect(side.database).toBeTruthy();
  });

  it("signed-in 403 and 404 answers are private, no-store", async () => {
    const c = new BrowserClient(plain.url);
    await c.signIn(PEOPLE.researcherStOlavs.email);
    for (const p of [
      `/forsker/studier/${ids.b}`,
      "/forsker/studier/99999999",
      "/forsker/studier/abc",
      `/forsker/studier/${ids.b}/historikk`,
    ]) {
      const { res } = await c.get(p);
      expect([403, 404], p).toContain(res.status);
      expect(res.headers.get("cache-control"), p).toMatch(/private/);
      expect(res.headers.get("cache-control"), p).toMatch(/no-store/);
    }
  });

  it("a JSON or empty body to a form action is 400, not 500", async () => {
    const c = new BrowserClient(plain.url);
    await c.signIn(PEOPLE.researcherStOlavs.email);
    for (const p of ["/logg-inn", "/logg-ut", `/forsker/studier/${ids.a}`, "/nytt-passord"]) {
      const json = await fetch(`${plain.url}${p}`, {
        method: "POST",
        headers: { cookie: c.header(), "content-type": "application/json" },
        body: JSON.stringify({ csrf: c.csrf }),
        redirect: "manual",
      });
      expect(json.status, `${p} JSON`).toBe(400);
      expect(await json.text()).toContain("Ugyldig skjema");
      const empty = await fetch(`${plain.url}${p}`, {
        method: "POST",
        headers: { cookie: c.header() },
        redirect: "manual",
      });
      expect(empty.status, `${p} empty`).toBe(400);
      const emptyForm = await fetch(`${plain.url}${p}`, {
        method: "POST",
        headers: { cookie: c.header(), "content-type": "application/x-www-form-urlencoded" },
        body: "",
        redirect: "manual",
      });
      expect(emptyForm.status, `${p} empty form`).toBe(400);
    }
  });

  it("%2e%2e in the path does not skip the cross-site guard", async () => {
    const c = new BrowserClient(plain.url);
    await c.get("/logg-inn");
    const form = new URLSearchParams({
      csrf: c.csrf,
      email: PEOPLE.editorStOlavs.email,
      password: PASSWORD,
      til: "/redaksjon",
    }).toString();
    // node:http sends the path as written (fetch would resolve the dot segments before sending).
    const post = (rawPath: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(plain.url);
        const req = request({
          host: hostname,
          port,
          method: "POST",
          path: rawPath,
          headers: {
            cookie: c.header(),
            "content-type": "application/x-www-form-urlencoded",
            origin: "https://evil.example",
            "content-length": Buffer.byteLength(form),
          },
        });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject);
        req.end(form);
      });
    for (const p of [
      "/api/%2e%2e/logg-inn",
      "/api/%2E%2E/logg-inn",
      "/api/v1/%2e%2e/%2e%2e/logg-inn",
      "/api/%2e%2e/forsker/studier/1",
    ]) {
      const answer = await post(p);
      expect(answer.status, p).toBe(403);
      // The guard's own answer, in front of Remix (not an action's, nor Remix's empty 500).
      expect(answer.body, p).toContain("skjemaet ble sendt fra et annet nettsted");
    }
  });

  it("/nytt-passord (with the token in its address) says Referrer-Policy: no-referrer", async () => {
    const res = await fetch(`${plain.url}/nytt-passord?token=${encodeURIComponent(resetToken)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await res.text()).toContain(PEOPLE.researcherOus.email);
  });
});
