/**
 * Bytes per page, as a phone on a slow connection pays for them (issue 24): for each public page
 * type, the page's HTML plus every stylesheet, script and module preload it references —
 * following each script's static imports, since the browser must load those before the page
 * runs — each gzipped at zlib's default level (what the portal's `compression` middleware and most
 * servers send), summed. Images and the favicon are not counted; nor are later navigations.
 *
 * Shared by `npm run size` (scripts/size.ts) and the budget test
 * (tests/integration/page-weight.test.ts), both against the real production build served by the
 * real server. Bytes are deterministic for a build and a database, so a budget on them may be
 * checked in `npm test` (timings may not).
 */
import { gzipSync } from "node:zlib";

export const KB = 1024;

export type PageKind =
  | "front"
  | "patient-search"
  | "patient-study"
  | "clinician-list"
  | "clinician-study"
  | "statistics"
  | "embed"
  | "embed-diagnosis";

export interface PageSpec {
  kind: PageKind;
  /** Shown in the table. */
  label: string;
  /** Largest total gzip bytes allowed. */
  budget: number;
}

/** Patient pages and the embed ≤ 100 KB; the clinician pages and statistics ≤ 130 KB. */
export const PAGES: readonly PageSpec[] = [
  { kind: "front", label: "front page /", budget: 100 * KB },
  { kind: "patient-search", label: "patient search /pasient", budget: 100 * KB },
  { kind: "patient-study", label: "patient study /pasient/studier/:id", budget: 100 * KB },
  { kind: "clinician-list", label: "clinician list /helsepersonell", budget: 130 * KB },
  { kind: "clinician-study", label: "clinician study /helsepersonell/studier/:id", budget: 130 * KB },
  { kind: "statistics", label: "statistics /forsker/statistikk", budget: 130 * KB },
  { kind: "embed", label: "embed /embed/organisations/:id", budget: 100 * KB },
  { kind: "embed-diagnosis", label: "diagnosis embed /embed/studies?icd10=…", budget: 100 * KB },
];

export interface Asset {
  /** Path on the server ("/build/_shared/chunk-ABC.js"). */
  path: string;
  type: "script" | "stylesheet";
  raw: number;
  gzip: number;
}

export interface PageWeight extends PageSpec {
  path: string;
  status: number;
  html: { raw: number; gzip: number };
  assets: Asset[];
  /** HTML + assets, gzip bytes. */
  total: number;
  over: boolean;
}

export const gzipBytes = (body: Buffer | string): number => gzipSync(body).length;

/** The public addresses of the page types on a running portal, found through its open API. */
export async function pagePaths(baseUrl: string): Promise<Record<PageKind, string>> {
  const studies = (await getJson(baseUrl, "/api/v1/studies?status=open&perPage=50")) as {
    data?: { id: number; sites?: { organisation?: { id?: string } | null }[] }[];
  };
  const list = studies.data ?? [];
  const study = list[0];
  if (!study)
    throw new Error(`${baseUrl}/api/v1/studies has no open study to measure a study page with (seed the demo studies)`);
  const organisation = list
    .flatMap((s) => s.sites ?? [])
    .map((site) => site.organisation?.id)
    .find((id): id is string => Boolean(id));
  if (!organisation) throw new Error(`${baseUrl}/api/v1/studies names no organisation for the embed`);
  return {
    front: "/",
    "patient-search": "/pasient",
    "patient-study": `/pasient/studier/${study.id}`,
    "clinician-list": "/helsepersonell",
    "clinician-study": `/helsepersonell/studier/${study.id}`,
    statistics: "/forsker/statistikk",
    embed: `/embed/organisations/${organisation}`,
    // Nearest first from a postcode, up to 100 studies (the most a page can ask for).
    "embed-diagnosis": "/embed/studies?icd10=C50&postcode=0450&limit=100",
  };
}

/** Measures every page type on the portal at `baseUrl`. */
export async function measurePages(baseUrl: string, pages: readonly PageSpec[] = PAGES): Promise<PageWeight[]> {
  const paths = await pagePaths(baseUrl);
  const cache = new Map<string, Promise<{ body: Buffer; type: string }>>();
  const results: PageWeight[] = [];
  for (const spec of pages) results.push(await measurePage(baseUrl, paths[spec.kind], spec, cache));
  return results;
}

export async function measurePage(
  baseUrl: string,
  pagePath: string,
  spec: PageSpec,
  cache = new Map<string, Promise<{ body: Buffer; type: string }>>(),
): Promise<PageWeight> {
  const res = await fetch(new URL(pagePath, baseUrl));
  const html = Buffer.from(await res.arrayBuffer());
  const text = html.toString("utf8");
  const seen = new Set<string>();
  const assets: Asset[] = [];
  const queue: { path: string; type: Asset["type"] }[] = referencedAssets(text, pagePath);
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next.path)) continue;
    seen.add(next.path);
    let fetched = cache.get(next.path);
    if (!fetched) {
      fetched = fetchAsset(baseUrl, next.path);
      cache.set(next.path, fetched);
    }
    const { body } = await fetched;
    assets.push({ path: next.path, type: next.type, raw: body.length, gzip: gzipBytes(body) });
    if (next.type === "script")
      for (const imported of staticImports(body.toString("utf8"), next.path))
        queue.push({ path: imported, type: "script" });
  }
  const htmlWeight = { raw: html.length, gzip: gzipBytes(html) };
  const total = htmlWeight.gzip + assets.reduce((n, a) => n + a.gzip, 0);
  return { ...spec, path: pagePath, status: res.status, html: htmlWeight, assets, total, over: total > spec.budget };
}

async function fetchAsset(baseUrl: string, assetPath: string): Promise<{ body: Buffer; type: string }> {
  const res = await fetch(new URL(assetPath, baseUrl));
  if (!res.ok) throw new Error(`${assetPath}: the page references it but the server answers ${res.status}`);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get("content-type") ?? "" };
}

async function getJson(baseUrl: string, p: string): Promise<unknown> {
  const res = await fetch(new URL(p, baseUrl), { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${p}: ${res.status}`);
  return res.json();
}

const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i");

/** Same-origin paths of the stylesheets, scripts and module preloads a page's HTML references. */
export function referencedAssets(html: string, pagePath = "/"): { path: string; type: Asset["type"] }[] {
  const found: { path: string; type: Asset["type"] }[] = [];
  const add = (href: string | undefined, type: Asset["type"]) => {
    if (!href) return;
    const url = new URL(decodeEntities(href), new URL(pagePath, "http://page.invalid"));
    if (url.origin === "http://page.invalid") found.push({ path: url.pathname, type });
  };
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const rel = ATTRIBUTE("rel").exec(tag)?.[1]?.toLowerCase().split(/\s+/) ?? [];
    const href = ATTRIBUTE("href").exec(tag)?.[1];
    if (rel.includes("stylesheet")) add(href, "stylesheet");
    else if (rel.includes("modulepreload") || (rel.includes("preload") && /\bas\s*=\s*"script"/i.test(tag)))
      add(href, "script");
  }
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) add(ATTRIBUTE("src").exec(tag)?.[1], "script");
  // Inline module scripts (Remix's entry) import the manifest, the entry and the route modules.
  for (const inline of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
    for (const imported of staticImports(inline.replace(/^<script\b[^>]*>|<\/script>$/gi, ""), pagePath))
      add(imported, "script");
  }
  return found;
}

/**
 * The modules a script imports statically (`import … from "x"`, `import "x"`, `export … from "x"`),
 * as paths. Dynamic `import()` is left out: it loads on a later navigation, not with the page.
 */
export function staticImports(code: string, fromPath: string): string[] {
  const out: string[] = [];
  const pattern = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (const match of code.matchAll(pattern)) {
    const url = new URL(match[1]!, new URL(fromPath, "http://page.invalid"));
    if (url.origin === "http://page.invalid") out.push(url.pathname);
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** The table `npm run size` prints. */
export function formatTable(weights: readonly PageWeight[]): string {
  const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
  const rows = weights.map((w) => {
    const js = w.assets.filter((a) => a.type === "script").reduce((n, a) => n + a.gzip, 0);
    const css = w.assets.filter((a) => a.type === "stylesheet").reduce((n, a) => n + a.gzip, 0);
    return [
      w.label,
      String(w.status),
      kb(w.html.gzip),
      kb(css),
      kb(js),
      String(w.assets.filter((a) => a.type === "script").length),
      kb(w.total),
      kb(w.budget),
      w.over ? "OVER" : "ok",
    ];
  });
  const head = ["page", "HTTP", "HTML", "CSS", "JS", "scripts", "total (gzip)", "budget", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
