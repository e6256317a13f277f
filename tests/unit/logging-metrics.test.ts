/**
 * JSON logs (app/http/logging.server.ts): request ids, secrets never logged — through the real
 * pino-http middleware in an Express app over real HTTP, lines captured from pino's stream. And
 * the route patterns the latency histogram is labelled with (app/http/metrics.server.ts).
 */
import express from "express";
import type { Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import {
  accessRouteOf,
  createLogger,
  httpLogger,
  isStaffRequest,
  logRequestError,
  QUERY_REMOVED,
  redactUrl,
  requestIdFrom,
  REDACTED,
  scrubText,
} from "#app/http/logging.server";
import { routeLabel, routePatterns } from "#app/http/metrics.server";

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const logger = createLogger({ destination: sink });
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(
    httpLogger(logger, {
      ignore: (p) => p === "/healthz",
      routeOf: accessRouteOf((p) => (["/a", "/fail", "/pasient"].includes(p) ? p : "unmatched")),
    }),
  );
  app.all("*", (req, res) => {
    // A module that logs an object with secrets in it.
    req.log.info(
      { user: { email: "kari@example.no", password: "hunter2-secret" }, token: "ks_module_token" },
      "signed in",
    );
    res.setHeader("Set-Cookie", "ks_session=cookie-value-secret; HttpOnly");
    res.status(req.path === "/fail" ? 500 : 200).send("ok");
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);

describe("request ids", () => {
  it("keeps a sane incoming X-Request-Id and echoes it; replaces one that is not", async () => {
    const kept = await fetch(`${base}/a`, { headers: { "X-Request-Id": "lb-7f3a:0001" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a:0001");
    for (const bad of ["x".repeat(200), "a b", "abc\u00e6", '{"level":60}']) {
      const res = await fetch(`${base}/a`, { headers: { "X-Request-Id": bad } });
      expect(res.headers.get("x-request-id"), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    const fresh = await fetch(`${base}/a`);
    const id = fresh.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const access = parsed().find((l) => l.req?.id === id && l.res);
    expect(access).toMatchObject({
      level: 30,
      msg: "GET /a 200",
      req: { id, method: "GET", route: "/a" },
      res: { statusCode: 200 },
    });
    // The module's own line carries the same id.
    expect(parsed().find((l) => l.msg === "signed in" && l.req?.id === id)).toBeTruthy();
  });

  it("requestIdFrom: first of several, new id when missing", () => {
    expect(requestIdFrom(["one", "two"])).toBe("one");
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom("")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("secrets are never logged", () => {
  it("no Authorization, Cookie, Set-Cookie, password, token or reset token from the URL in any line", async () => {
    lines.length = 0;
    await fetch(`${base}/nytt-passord?token=reset-token-secret&lang=nn`, {
      headers: {
        Authorization: "Bearer ks_bearer_secret",
        Cookie: "ks_session=cookie-secret; ks_csrf=csrf-secret",
        "X-Api-Key": "api-key-secret",
      },
    });
    await fetch(`${base}/fail?api_key=k-secret&q=brystkreft`);
    const all = lines.join("\n");
    for (const secret of [
      "ks_bearer_secret",
      "cookie-secret",
      "csrf-secret",
      "api-key-secret",
      "reset-token-secret",
      "hunter2-secret",
      "ks_module_token",
      "cookie-value-secret",
      "k-secret",
    ]) {
      expect(all, secret).not.toContain(secret);
    }
    const access = parsed().filter((l) => l.res);
    expect(access[0]!.req.url).toBe(`/nytt-passord?token=${encodeURIComponent(REDACTED)}&lang=nn`);
    // A public request: its route pattern only (no query at all).
    expect(access[1]).toMatchObject({ level: 50, msg: "GET /fail 500", req: { method: "GET", route: "/fail" } });
    expect(all).not.toContain("brystkreft");
    const module = parsed().find((l) => l.msg === "signed in")!;
    expect(module.user).toEqual({ email: "kari@example.no", password: REDACTED });
    expect(module.token).toBe(REDACTED);
    // Headers are not logged at all.
    expect(access[0]!.req.headers).toBeUndefined();
    expect(access[0]!.res.headers).toBeUndefined();
  });

  it("redactUrl keeps the path and harmless parameters", () => {
    expect(redactUrl("/pasient?q=kreft&postnummer=7030")).toBe("/pasient?q=kreft&postnummer=7030");
    expect(redactUrl("/x?Token=a&password=b&passord=c&%74oken=d")).toBe(
      "/x?Token=%5Bredacted%5D&password=%5Bredacted%5D&passord=%5Bredacted%5D&%74oken=%5Bredacted%5D",
    );
    expect(redactUrl("/x?token")).toBe("/x?token");
    expect(redactUrl("/x?%E0=1")).toBe("/x?%E0=1");
  });

  it("probes on ignored paths get an id but no access line", async () => {
    lines.length = 0;
    const res = await fetch(`${base}/healthz`);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(parsed().filter((l) => l.res)).toEqual([]);
  });
});

describe("nothing about patients in the access log (issue 23)", () => {
  it("a public search is logged by route pattern, status and time: no query, address or browser", async () => {
    lines.length = 0;
    const res = await fetch(`${base}/pasient?q=brystkreft&postnummer=5003&alder=54&kjonn=kvinne`, {
      headers: { "User-Agent": "ProbeBrowser/1.0", "X-Request-Id": "pub-1" },
    });
    await res.text();
    const line = parsed().find((l) => l.res && l.req?.id === "pub-1")!;
    expect(line.req).toEqual({ id: "pub-1", method: "GET", route: "/pasient" });
    expect(line.msg).toBe("GET /pasient 200");
    expect(typeof line.responseTime).toBe("number");
    const all = lines.join("\n");
    for (const leak of ["brystkreft", "5003", "alder=54", "kvinne", "ProbeBrowser", "127.0.0.1"])
      expect(all, leak).not.toContain(leak);
  });

  it("a staff page keeps its URL (secrets redacted), address and browser", async () => {
    lines.length = 0;
    await (
      await fetch(`${base}/forsker/studier?side=2`, {
        headers: { "User-Agent": "StaffBrowser/2.0", "X-Request-Id": "staff-1" },
      })
    ).text();
    const line = parsed().find((l) => l.res && l.req?.id === "staff-1")!;
    expect(line.req).toMatchObject({
      url: "/forsker/studier?side=2",
      remoteAddress: expect.stringContaining("127.0.0.1"),
      userAgent: "StaffBrowser/2.0",
    });
  });

  it("unknown paths are 'unmatched' (a path can carry a diagnosis too)", async () => {
    lines.length = 0;
    await (await fetch(`${base}/brystkreft/5003?alder=54`, { headers: { "X-Request-Id": "unm-1" } })).text();
    expect(parsed().find((l) => l.res && l.req?.id === "unm-1")!.msg).toBe("GET unmatched 200");
    expect(lines.join("\n")).not.toContain("brystkreft");
  });

  it.each([
    ["GET", "/pasient", false],
    ["GET", "/helsepersonell/studier/5", false],
    ["GET", "/api/v1/studies", false],
    ["OPTIONS", "/api/v1/studies", false],
    ["GET", "/api/v1/organisations/ous/studies", false],
    ["POST", "/api/v1/organisations/ous/studies", true],
    ["GET", "/feeds/search.atom", false],
    ["GET", "/embed/organisations/ous", false],
    ["POST", "/pasient", false],
    ["GET", "/forsker", true],
    ["POST", "/forsker/studier/ny", true],
    ["GET", "/forskerne-er-ikke-innlogget", false],
    ["GET", "/redaksjon/feeds", true],
    ["POST", "/logg-inn", true],
    ["GET", "/nytt-passord", true],
  ] as const)("isStaffRequest(%s %s) = %s", (method, path, staff) => {
    expect(isStaffRequest(method, path)).toBe(staff);
  });

  it.each([
    ["/pasient", "/pasient"],
    ["/pasient.data", "/pasient.data"],
    ["/_root.data", "/_root.data"],
    ["/ukjent.data", "unmatched"],
    ["/__manifest", "/__manifest"],
    ["/build/entry.client-ABC.js", "/build/*"],
    ["/favicon.svg", "static"],
    ["/brystkreft", "unmatched"],
  ])("accessRouteOf: %s → %s", (path, label) => {
    expect(accessRouteOf((p) => (p === "/pasient" ? p : "unmatched"))(path)).toBe(label);
  });

  it("scrubText cuts the query out of every URL and path in error text", () => {
    expect(scrubText("Open API GET http://x.no/api/v1/studies?q=kreft&age=54 failed")).toBe(
      `Open API GET http://x.no/api/v1/studies?${QUERY_REMOVED} failed`,
    );
    expect(scrubText('No route matches URL "/pasient/x?postnummer=5003"')).toBe(
      `No route matches URL "/pasient/x?${QUERY_REMOVED}"`,
    );
    expect(scrubText("at /app/build/index.js:12:5")).toBe("at /app/build/index.js:12:5");
    expect(scrubText("Is it done? Yes")).toBe("Is it done? Yes");
  });

  it("a logged error has the query cut out of its message, stack and fields", () => {
    lines.length = 0;
    const error = Object.assign(new Error("GET /pasient?q=brystkreft&postnummer=5003 failed"), {
      url: "/pasient?q=brystkreft",
    });
    logger.error({ err: error }, "search failed");
    const line = parsed().at(-1)!;
    expect(line.err.message).toBe(`GET /pasient?${QUERY_REMOVED} failed`);
    expect(line.err.url).toBe(`/pasient?${QUERY_REMOVED}`);
    expect(line.err.stack).toContain(`/pasient?${QUERY_REMOVED}`);
    expect(lines.join("\n")).not.toContain("brystkreft");
  });

  describe("Remix's handleError (logRequestError)", () => {
    const logged = (thrown: unknown, url: string, init: RequestInit = {}) => {
      const out: unknown[] = [];
      logRequestError(thrown, new Request(url, init), (v) => out.push(v));
      return out;
    };
    const errorResponse = (status: number, error?: Error) => ({
      status,
      statusText: "x",
      internal: true,
      data: "",
      error,
    });

    it("a public page's error names neither its query nor its path", () => {
      const [e] = logged(
        new Error("cannot read /pasient/studier/zzdiag?postnummer=5003 here"),
        "http://x.no/pasient/studier/zzdiag?postnummer=5003",
      ) as Error[];
      expect(e).toBeInstanceOf(Error);
      expect(e!.message).toBe(`cannot read [path]?${QUERY_REMOVED} here`);
      expect(e!.stack).not.toContain("zzdiag");
      expect(e!.stack).not.toContain("5003");
    });

    it("a staff page's error keeps its path, not its query", () => {
      const [e] = logged(
        new Error("failed at /forsker/studier/12?token=abc"),
        "http://x.no/forsker/studier/12?token=abc",
      ) as Error[];
      expect(e!.message).toBe(`failed at /forsker/studier/12?${QUERY_REMOVED}`);
    });

    it("client errors are in the access line already: not logged; a 5xx is logged by its cause", () => {
      expect(logged(new Error('No route matches URL "/brystkreft"'), "http://x.no/brystkreft")).toEqual([]);
      expect(
        logged(errorResponse(405, new Error('You made a POST request to "/pasient"')), "http://x.no/pasient", {
          method: "POST",
        }),
      ).toEqual([]);
      expect(logged(errorResponse(404), "http://x.no/pasient/studier/9")).toEqual([]);
      const [e] = logged(errorResponse(500, new Error("disk I/O error")), "http://x.no/pasient?q=kreft") as Error[];
      expect(e!.message).toBe("disk I/O error");
      expect(logged("a string at /pasient?q=kreft", "http://x.no/pasient?q=kreft")).toEqual([
        `a string at [path]?${QUERY_REMOVED}`,
      ]);
    });

    it("an aborted request's error is not logged", () => {
      const controller = new AbortController();
      controller.abort();
      expect(logged(new Error("aborted"), "http://x.no/pasient", { signal: controller.signal })).toEqual([]);
    });
  });

  it("a crash is one JSON line without the query, and exit code 1", () => {
    // A real Node process with the real logger: an uncaught exception naming a search URL.
    const script = `
      import { createLogger, logCrashes } from "./app/http/logging.server.ts";
      logCrashes(createLogger());
      setTimeout(() => { throw new Error("boom in GET /pasient?q=brystkreft&postnummer=5003&alder=54"); }, 1);
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).not.toContain("brystkreft");
    expect(out).not.toContain("5003");
    const line = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, any>;
    expect(line).toMatchObject({ level: 60, msg: `uncaught exception: boom in GET /pasient?${QUERY_REMOVED}` });
  });
});

describe("route patterns for the latency histogram", () => {
  // The shape of a Remix build's routes (flat routes under root).
  const routes = {
    root: { id: "root", path: "" },
    "routes/_index": { id: "routes/_index", parentId: "root", index: true },
    "routes/pasient._index": { id: "routes/pasient._index", parentId: "root", path: "pasient", index: true },
    "routes/pasient.studier.$id": { id: "routes/pasient.studier.$id", parentId: "root", path: "pasient/studier/:id" },
    "routes/helsepersonell.studier.$id.henvisning[.]txt": {
      id: "h",
      parentId: "root",
      path: "helsepersonell/studier/:id/henvisning.txt",
    },
    "routes/helsepersonell.studier.$id": { id: "hs", parentId: "root", path: "helsepersonell/studier/:id" },
    "routes/api.v1.studies.$id": { id: "a", parentId: "root", path: "api/v1/studies/:id" },
    "routes/api.v1.$": { id: "splat", parentId: "root", path: "api/v1/*" },
    "routes/api.openapi[.]json": { id: "o", parentId: "root", path: "api/openapi.json" },
  };
  const patterns = routePatterns(routes);

  it.each([
    ["/", "/"],
    ["/pasient", "/pasient"],
    ["/pasient/", "/pasient"],
    ["/pasient/studier/123", "/pasient/studier/:id"],
    ["/pasient/studier/999999", "/pasient/studier/:id"],
    ["/helsepersonell/studier/5/henvisning.txt", "/helsepersonell/studier/:id/henvisning.txt"],
    ["/helsepersonell/studier/5", "/helsepersonell/studier/:id"],
    ["/api/v1/studies/7", "/api/v1/studies/:id"],
    ["/api/v1/whatever/else", "/api/v1/*"],
    ["/api/openapi.json", "/api/openapi.json"],
    ["/api/openapiXjson", "unmatched"],
    ["/finnes/ikke/123", "unmatched"],
  ])("%s → %s", (path, label) => {
    expect(routeLabel(patterns, path)).toBe(label);
  });
});
