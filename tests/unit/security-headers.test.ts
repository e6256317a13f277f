/**
 * The security-header middleware (app/http/security-headers.server.ts) in a real Express app over
 * real HTTP: the page CSP and its nonce, HSTS only over TLS, a route's own header replacing the
 * default (as @remix-run/express copies route headers with res.append), and the path kinds.
 */
import express from "express";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cspNonceOf, pathKind, securityHeaders, type HstsMode } from "#app/http/security-headers.server";

const servers: Server[] = [];

async function serve(hsts: HstsMode, trustProxy = 0): Promise<string> {
  const app = express();
  if (trustProxy) app.set("trust proxy", trustProxy);
  app.use(securityHeaders({ hsts }));
  app.get("/page", (_req, res) => res.type("html").send(`<script nonce="${cspNonceOf(res)}">1</script>`));
  // Like the embed route: its own CSP and Referrer-Policy, copied the way @remix-run/express does.
  app.get("/embed/organisations/x", (_req, res) => {
    res.append("Content-Security-Policy", "default-src 'none'; frame-ancestors https://www.helse-bergen.no");
    res.append("Referrer-Policy", "strict-origin-when-cross-origin");
    res.append("X-Content-Type-Options", "nosniff");
    res.type("html").send("<p>embed</p>");
  });
  app.get("/api/v1/studies", (_req, res) => res.json({ data: [] }));
  app.get("/logg-inn", (_req, res) => {
    res.append("Referrer-Policy", "same-origin");
    res.append("Set-Cookie", "a=1");
    res.append("Set-Cookie", "b=2");
    res.type("html").send("<form></form>");
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

let plain: string;
let behindProxy: string;
let untrustedProxy: string;
let always: string;
let never: string;
beforeAll(async () => {
  [plain, behindProxy, untrustedProxy, always, never] = await Promise.all([
    serve("auto"),
    serve("auto", 1),
    serve("auto", 0),
    serve("on"),
    serve("off", 1),
  ]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

describe("page Content-Security-Policy", () => {
  it("allows scripts only from this origin and with this response's nonce: no 'unsafe-inline', no inline handlers", async () => {
    const res = await fetch(`${plain}/page`);
    const csp = res.headers.get("content-security-policy")!;
    const d = directives(csp);
    const nonce = /nonce="([^"]+)"/.exec(await res.text())![1]!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(d.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(d.get("script-src-attr")).toEqual(["'none'"]);
    expect(d.get("style-src")).toEqual(["'self'"]);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("uses a new nonce for every response", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++)
      nonces.add(/'nonce-([^']+)'/.exec((await fetch(`${plain}/page`)).headers.get("content-security-policy")!)![1]!);
    expect(nonces.size).toBe(5);
  });
});

describe("Strict-Transport-Security only over TLS", () => {
  it("HSTS=auto: not over plain http, nor when an untrusted client claims X-Forwarded-Proto: https", async () => {
    const direct = await fetch(`${plain}/page`);
    expect(direct.headers.get("strict-transport-security")).toBeNull();
    expect(direct.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
    const spoofed = await fetch(`${untrustedProxy}/page`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(spoofed.headers.get("strict-transport-security")).toBeNull();
  });

  it("HSTS=auto behind a trusted proxy: sent when the proxy says https, with upgrade-insecure-requests", async () => {
    const tls = await fetch(`${behindProxy}/page`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(tls.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(directives(tls.headers.get("content-security-policy")!).has("upgrade-insecure-requests")).toBe(true);
    const http = await fetch(`${behindProxy}/page`, { headers: { "X-Forwarded-Proto": "http" } });
    expect(http.headers.get("strict-transport-security")).toBeNull();
  });

  it("HSTS=on always, HSTS=off never", async () => {
    expect((await fetch(`${always}/api/v1/studies`)).headers.get("strict-transport-security")).toMatch(
      /^max-age=31536000/,
    );
    expect(
      (await fetch(`${never}/page`, { headers: { "X-Forwarded-Proto": "https" } })).headers.get(
        "strict-transport-security",
      ),
    ).toBeNull();
  });
});

describe("a route's own headers", () => {
  it("the embed's CSP replaces the default, X-Frame-Options is dropped, nothing is sent twice", async () => {
    const res = await fetch(`${plain}/embed/organisations/x`);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors https://www.helse-bergen.no",
    );
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("a signed-in page's Referrer-Policy replaces the default; other headers still append", async () => {
    const res = await fetch(`${plain}/logg-inn`);
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("JSON from the open API: nothing may run or frame it; other sites may read it", async () => {
    const res = await fetch(`${plain}/api/v1/studies`);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
    );
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });
});

describe("path kinds", () => {
  it.each([
    ["/", "page"],
    ["/pasient", "page"],
    ["/build/entry.client-ABC.js", "page"],
    ["/api/v1/studies", "shared"],
    ["/api/openapi.json", "shared"],
    ["/fhir/ResearchStudy", "shared"],
    ["/fhir", "shared"],
    ["/feeds/studies.atom", "shared"],
    ["/embed/organisations/ous", "shared"],
    ["/healthz", "machine"],
    ["/readyz", "machine"],
    ["/metrics", "machine"],
    ["/apidocs", "page"],
    ["/fhirish", "page"],
  ])("%s is a %s", (path, kind) => {
    expect(pathKind(path)).toBe(kind);
  });
});
