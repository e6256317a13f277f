/**
 * Issue 20 item 2: public pages from the page cache (app/http/page-cache.server.ts) over real
 * HTTP against the built server. A repeated page is the same bytes with a CSP that allows exactly
 * its own inline scripts by hash (no nonce, no 'unsafe-inline'); a data change is seen at once;
 * requests with cookies and answers that set one are never stored. (Chromium running a cached
 * page and blocking an injected script: tests/e2e/page-cache.spec.ts.)
 */
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineScriptHashes } from "#app/http/page-cache.server";
import type { RunningServer } from "../helpers/server";
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

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${pathAndQuery}`, { headers });
  return { res, body: await res.text() };
}

function scriptSrc(csp: string): string {
  return /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
}

describe("the page cache", () => {
  it("sends a repeated hydrated page byte for byte, its inline scripts allowed by hash", async () => {
    const first = await get("/helsepersonell?q=kreft");
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get("x-page-cache")).toBe("miss");
    expect(scriptSrc(first.res.headers.get("content-security-policy")!)).toMatch(/'nonce-/);

    const second = await get("/helsepersonell?q=kreft");
    expect(second.res.headers.get("x-page-cache")).toBe("hit");
    expect(second.body).toBe(first.body);
    expect(second.res.headers.get("content-type")).toBe(first.res.headers.get("content-type"));
    expect(second.res.headers.get("cache-control")).toBe(first.res.headers.get("cache-control"));

    const csp = second.res.headers.get("content-security-policy")!;
    const sources = scriptSrc(csp).split(/\s+/);
    expect(sources).not.toContain("'unsafe-inline'");
    expect(sources.some((s) => s.startsWith("'nonce-"))).toBe(false);
    // Exactly the page's own inline scripts (a hydrated page has some), and nothing else inline.
    const hashes = inlineScriptHashes(second.body);
    expect(hashes.length).toBeGreaterThan(0);
    expect(sources.filter((s) => s.startsWith("'sha256-")).sort()).toEqual([...hashes].sort());
    const injected = inlineScriptHashes("<script>alert(document.cookie)</script>")[0]!;
    expect(sources).not.toContain(injected);
    // The other security headers are the same as on a rendered page.
    for (const h of ["x-frame-options", "referrer-policy", "x-content-type-options", "cross-origin-opener-policy"])
      expect(second.res.headers.get(h), h).toBe(first.res.headers.get(h));
  });

  it("keeps the page gzipped once: a client that accepts gzip gets the stored gzip bytes, one that does not gets the page", async () => {
    const raw = (acceptEncoding: string | null) =>
      new Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
        const req = http.get(`${server.url}/pasient?q=hjerte`, {
          headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
        });
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
      });
    const miss = await raw(null);
    expect(miss.headers["x-page-cache"]).toBe("miss");
    const plain = await raw(null);
    expect(plain.headers["x-page-cache"]).toBe("hit");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.bytes.equals(miss.bytes)).toBe(true);
    const gz = await raw("br;q=1.0, gzip;q=0.8, *;q=0.1");
    expect(gz.headers["x-page-cache"]).toBe("hit");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(gz.headers["content-length"])).toBe(gz.bytes.byteLength);
    expect(gunzipSync(gz.bytes).equals(miss.bytes)).toBe(true);
    expect(gz.bytes.byteLength).toBeLessThan(miss.bytes.byteLength / 3);
  });

  it("is invalidated by a data change: the next request renders the page again", async () => {
    const word = "Sidebufferforsøket";
    const url = `/pasient?q=${encodeURIComponent(word)}`;
    const before = await get(url);
    expect(before.body).not.toContain(`${word} om astma`);
    expect((await get(url)).res.headers.get("x-page-cache")).toBe("hit");

    const res = await fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify([
        {
          id: "PC-1",
          tittel: `${word} om astma`,
          sammendrag: "Et kort sammendrag.",
          studietype: "behandling",
          utfort_av: "ous",
          identifikatorer: { rek: "854321" },
          studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2099-12-31" }],
        },
      ]),
    });
    expect(res.status).toBe(200);
    // At once: the change moved the validity token, so the stored page is not sent again.
    expect((await get(url)).res.headers.get("x-page-cache")).toBe("miss");
    // And once the search index has the study (it is indexed right after the write), the page shows it.
    let page = "";
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      page = (await get(url)).body;
      if (page.includes(`${word} om astma`)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(page).toContain(`${word} om astma`);
  });

  it("never stores or serves a page for a request with a cookie, or an answer that sets one", async () => {
    await get("/helsepersonell?q=diabetes");
    const withCookie = await get("/helsepersonell?q=diabetes", { cookie: "ks_session=abc" });
    expect(withCookie.res.headers.get("x-page-cache")).toBeNull();
    expect(scriptSrc(withCookie.res.headers.get("content-security-policy")!)).toMatch(/'nonce-/);

    // The sign-in page carries a CSRF token with its cookie: rendered every time.
    const a = await get("/logg-inn");
    const b = await get("/logg-inn");
    expect(a.res.status).toBe(200);
    expect(a.res.headers.get("set-cookie")).not.toBeNull();
    expect(b.res.headers.get("x-page-cache")).toBe("miss");
    expect(b.body).not.toBe(a.body);
  });
});
