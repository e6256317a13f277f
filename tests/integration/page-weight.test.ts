/**
 * Issue 24: every public page type stays within its byte budget — gzip bytes of the HTML and of
 * every stylesheet and script the page references (with their static imports) — measured on the
 * real production build served by the real server on a fresh demo database, with the same code as
 * `npm run size` (scripts/lib/page-weight.ts). Bytes are deterministic, so this is no timing check.
 * Also: no public page loads zod or date-fns (server-side validation and date code stay on the
 * server), and the measurement itself finds what a browser loads (so it cannot pass by missing it).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KB,
  measurePages,
  PAGES,
  referencedAssets,
  staticImports,
  type PageKind,
  type PageWeight,
} from "../../scripts/lib/page-weight";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let dir: string;
let server: RunningServer;
let weights: PageWeight[];

const LIGHT: readonly PageKind[] = ["front", "patient-search", "patient-study"];
const HYDRATED: readonly PageKind[] = ["clinician-list", "clinician-study", "statistics"];

beforeAll(async () => {
  dir = tempDir();
  server = await startServer({
    DATABASE_PATH: path.join(dir, "portal.db"),
    SEED_DEMO_DATA: "true",
    API_RATE_LIMIT_PER_MINUTE: "0",
  });
  weights = await measurePages(server.url);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function text(assetPath: string): Promise<string> {
  return (await fetch(`${server.url}${assetPath}`)).text();
}

describe("bytes per public page (issue 24)", () => {
  it("measures every public page type, each answered 200", () => {
    expect(weights.map((w) => w.kind)).toEqual(PAGES.map((p) => p.kind));
    for (const w of weights) expect(w.status, w.path).toBe(200);
  });

  it.each(PAGES.map((p) => [p.label, p] as const))("%s is within its budget", (_label, spec) => {
    const w = weights.find((x) => x.kind === spec.kind)!;
    const detail = w.assets.map((a) => `${a.path} ${a.gzip}`).join("\n");
    expect(w.total, `${w.path}: ${w.total} gzip bytes, budget ${spec.budget}\n${detail}`).toBeLessThanOrEqual(
      spec.budget,
    );
  });

  it("counts what the browser loads on a hydrated page: the stylesheet, React and Remix, the route's own module", () => {
    for (const w of weights.filter((x) => HYDRATED.includes(x.kind))) {
      expect(
        w.assets.some((a) => a.type === "stylesheet"),
        w.path,
      ).toBe(true);
      expect(
        w.assets.some((a) => /\/build\/entry\.client-[\w-]+\.js$/.test(a.path)),
        w.path,
      ).toBe(true);
      expect(
        w.assets.some((a) => /\/build\/root-[\w-]+\.js$/.test(a.path)),
        w.path,
      ).toBe(true);
      // React + Remix alone are tens of KB: a page with less JavaScript than that was not measured right.
      expect(
        w.assets.filter((a) => a.type === "script").reduce((n, a) => n + a.gzip, 0),
        w.path,
      ).toBeGreaterThan(40 * KB);
    }
  });

  it("the front page and the patient pages are light: no React or Remix, only the stylesheet and the light script", async () => {
    for (const w of weights.filter((x) => LIGHT.includes(x.kind))) {
      expect(
        w.assets.some((a) => a.type === "stylesheet"),
        w.path,
      ).toBe(true);
      expect(
        w.assets.filter((a) => a.path.startsWith("/build/") && a.type === "script"),
        w.path,
      ).toEqual([]);
      const html = await text(w.path);
      expect(html, w.path).not.toContain("__remixContext");
      const scripts = w.assets.filter((a) => a.type === "script").map((a) => a.path);
      // The patient search and study pages follow the typing and the live events; the front page needs no script.
      expect(scripts, w.path).toEqual(w.kind === "front" ? [] : ["/light/patient-page.js"]);
      if (w.kind === "front") expect(html, w.path).not.toMatch(/<script\b/);
      else
        expect(html, w.path).toMatch(
          /<script type="module" src="\/light\/patient-page\.js\?v=[0-9a-f]{12}" nonce="[^"]+"><\/script>/,
        );
    }
  });

  it("the embeds for other sites load nothing at all: no script, no stylesheet (one inline style)", async () => {
    const embeds = weights.filter((x) => x.kind === "embed" || x.kind === "embed-diagnosis");
    expect(embeds.map((w) => w.kind)).toEqual(["embed", "embed-diagnosis"]);
    for (const w of embeds) {
      expect(w.status, w.path).toBe(200);
      expect(w.assets, w.path).toEqual([]);
      expect(await text(w.path), w.path).not.toMatch(/<script\b/);
    }
  });

  it("loads no zod and no date-fns on any public page", async () => {
    for (const w of weights) {
      for (const asset of w.assets.filter((a) => a.type === "script")) {
        const code = await text(asset.path);
        expect(code, `${w.path} loads zod through ${asset.path}`).not.toMatch(/ZodError|\$ZodType|invalid_type/);
        // date-fns's Norwegian locale ("mindre enn ett sekund") and its format tokens' error text.
        expect(code, `${w.path} loads date-fns through ${asset.path}`).not.toMatch(
          /mindre enn ett sekund|Format string contains an unescaped latin alphabet character/,
        );
      }
    }
  });
});

describe("finding what a page references", () => {
  it("reads stylesheets, module preloads, script sources and the inline entry's imports", () => {
    const html = `<link rel="stylesheet" href="/build/_assets/app-X.css"/><link rel="icon" href="/favicon.svg"/>
      <link rel="modulepreload" href="/build/entry.client-A.js"/><script src="/build/x-B.js"></script>
      <script type="module" async="">import "/build/manifest-C.js";
import * as route0 from "/build/root-D.js";
window.__remixRouteModules = {"root":route0};</script><a href="/pasient">x</a><link rel="stylesheet" href="https://elsewhere.example/y.css">`;
    expect(referencedAssets(html, "/pasient")).toEqual([
      { path: "/build/_assets/app-X.css", type: "stylesheet" },
      { path: "/build/entry.client-A.js", type: "script" },
      { path: "/build/x-B.js", type: "script" },
      { path: "/build/manifest-C.js", type: "script" },
      { path: "/build/root-D.js", type: "script" },
    ]);
  });

  it("follows a minified module's static imports, not its dynamic ones", () => {
    const code = `import{a as b,c}from"/build/_shared/chunk-A.js";import"./chunk-B.js";export{d}from"../e.js";const f=()=>import("/build/routes/lazy-F.js");`;
    expect(staticImports(code, "/build/_shared/x.js")).toEqual([
      "/build/_shared/chunk-A.js",
      "/build/_shared/chunk-B.js",
      "/build/e.js",
    ]);
  });
});
