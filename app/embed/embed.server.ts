/**
 * Hospital embeds: /embed/organisations/:id — a light, script-free HTML list of one
 * organisation's open and planned studies (its own sites only), meant for an iframe on the
 * hospital's web site — and /embed/organisations/:id.json with the same content.
 *
 * The HTML has no portal chrome and no scripts; its only style is one inline block allowed by its
 * hash. Content-Security-Policy frame-ancestors comes from EMBED_FRAME_ANCESTORS (default *);
 * links open the portal in the top window. Status is derived at the moment of the request.
 */
import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { EmbedOrganisationOut, EmbedSiteOut, EmbedStudyOut } from "#app/api/feed-schemas";
import { activeSites, studyApiUrl, studyWebUrl, type Urls } from "#app/api/represent";
import { getConfig } from "#app/config.server";
import { getDb, type Db } from "#app/db.server";
import { osloDate, siteStatus, studyStatus, type SiteStatus } from "#app/domain/inclusion-status";
import { siteStatusText } from "#app/views/status-text";
import { formatDateNb } from "#app/feeds/labels";
import { xmlAttr as attr, xmlText as text } from "#app/feeds/xml";
import { ApiError } from "#app/http/api-errors.server";
import { publicBaseUrl, readEndpoint, weakEtag, type ApiAnswer, type ApiContext } from "#app/http/api-read.server";
import { organisationStudyIds } from "#app/models/realtime.server";
import { listOrganisations, type Organisation } from "#app/models/reference.server";
import { getStudies, type SiteRecord, type StudyRecord } from "#app/models/study.server";

// The shapes are the OpenAPI document's (app/api/feed-schemas.ts, #/components/schemas/EmbedOrganisation).
export type EmbedSite = EmbedSiteOut;
export type EmbedStudy = EmbedStudyOut;
/** The JSON answer plus the instant it was made (shown in the HTML only: it would defeat the ETag). */
export type EmbedData = EmbedOrganisationOut & { generatedAt: string };

const SHOWN: readonly SiteStatus[] = ["open", "planned"];

function embedStudy(record: StudyRecord, orgId: string, now: Date, urls: Urls): EmbedStudy | null {
  const own = activeSites(record).filter((s) => s.organisationId === orgId);
  const sites = own
    .map((s): [SiteRecord, SiteStatus] => [s, siteStatus(s, now)])
    .filter(([, st]) => SHOWN.includes(st))
    .map(([s, st]) => ({
      id: s.id,
      hospital: s.hospitalId
        ? { id: s.hospitalId, name: s.hospitalName ?? s.hospitalId, municipality: s.municipality }
        : null,
      status: st as "open" | "planned",
      statusText: siteStatusText(s, now, "nb"),
      inclusionStart: s.inclusionStart,
      inclusionEnd: s.inclusionEnd,
      contact: s.contact,
    }));
  if (sites.length === 0) return null;
  return {
    id: record.id,
    title: record.title.nb,
    summary: record.summary.nb ?? null,
    isDemo: record.isDemo,
    status: studyStatus(activeSites(record), now),
    statusHere: sites.some((s) => s.status === "open") ? "open" : "planned",
    webUrl: studyWebUrl(urls, record.id),
    apiUrl: studyApiUrl(urls, record.id),
    sites,
  };
}

const closing = (s: EmbedStudy) =>
  s.sites.map((x) => (x.status === "open" ? (x.inclusionEnd ?? "9999-12-31") : "9999-12-31")).sort()[0]!;
const opening = (s: EmbedStudy) => s.sites.map((x) => x.inclusionStart ?? "9999-12-31").sort()[0]!;

export function findOrganisation(db: Db, id: string): Organisation | null {
  return listOrganisations(db).find((o) => o.id === id) ?? null;
}

export function organisationEmbed(db: Db, org: Organisation, now: Date, urls: Urls): EmbedData {
  const records = getStudies(db, organisationStudyIds(db, org.id, osloDate(now)));
  const studies = records.map((r) => embedStudy(r, org.id, now, urls)).filter((s): s is EmbedStudy => s != null);
  const byTitle = (a: EmbedStudy, b: EmbedStudy) => a.title.localeCompare(b.title, "nb");
  return {
    organisation: { id: org.id, name: org.name, shortName: org.shortName, website: org.website },
    generatedAt: now.toISOString(),
    // Open: closing soonest first; planned: opening soonest first.
    open: studies
      .filter((s) => s.statusHere === "open")
      .sort((a, b) => closing(a).localeCompare(closing(b)) || byTitle(a, b)),
    planned: studies
      .filter((s) => s.statusHere === "planned")
      .sort((a, b) => opening(a).localeCompare(opening(b)) || byTitle(a, b)),
    links: {
      self: `${urls.base}/embed/organisations/${org.id}.json`,
      html: `${urls.base}/embed/organisations/${org.id}`,
      portal: `${urls.base}/`,
    },
  };
}

/* ------------------------------------------------------------------ HTML */

export const EMBED_STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0;padding:1rem;font-size:1rem}
h1{font-size:1.25rem;margin:0 0 .25rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #d0d7de;padding-bottom:.25rem}
h3{font-size:1rem;margin:0 0 .25rem}
p{margin:.25rem 0}
ul.studies{list-style:none;margin:0;padding:0}
ul.studies>li{border:1px solid #d0d7de;border-radius:6px;padding:.75rem;margin:0 0 .75rem}
a{color:#0b4f8a;text-decoration:underline}
a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.status{font-weight:600}
.status-open{color:#0a5c2e}
.status-planned{color:#5a4a00}
.demo{display:inline-block;font-size:.8rem;font-weight:600;background:#fff4ce;color:#4a3b00;border:1px solid #8a6d00;border-radius:4px;padding:0 .35rem;margin-left:.35rem}
dl{margin:.25rem 0 0;display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem}
dt{font-weight:600}
dd{margin:0}
.intro,.source{color:#4a4a4a;font-size:.9rem}
.source{margin-top:1.5rem}
`.trim();

const STYLE_HASH = `'sha256-${createHash("sha256").update(EMBED_STYLE).digest("base64")}'`;

export function embedCsp(frameAncestors: string): string {
  return `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`;
}

function contactHtml(c: NonNullable<EmbedSite["contact"]>): string {
  const parts = [text(c.name)];
  if (c.email) parts.push(`<a href="mailto:${attr(c.email)}">${text(c.email)}</a>`);
  if (c.phone) parts.push(`<a href="tel:${attr(c.phone.replace(/[^\d+]/g, ""))}">${text(c.phone)}</a>`);
  return parts.join(", ");
}

function studyHtml(s: EmbedStudy, headingId: string): string {
  const summary = s.summary ? (s.summary.length > 280 ? `${s.summary.slice(0, 277).trimEnd()}…` : s.summary) : null;
  let out = `<li><article aria-labelledby="${headingId}">\n<h3 id="${headingId}"><a href="${attr(s.webUrl)}" target="_top">${text(s.title)}</a>${s.isDemo ? '<span class="demo">Demodata</span>' : ""}</h3>\n`;
  if (summary) out += `<p>${text(summary)}</p>\n`;
  for (const site of s.sites) {
    out += `<p class="status status-${site.status}">${text(site.statusText)}</p>\n<dl>\n`;
    if (site.hospital)
      out += `<dt>Sted</dt><dd>${text(site.hospital.name)}${site.hospital.municipality ? `, ${text(site.hospital.municipality)}` : ""}</dd>\n`;
    if (site.contact) out += `<dt>Kontakt</dt><dd>${contactHtml(site.contact)}</dd>\n`;
    out += "</dl>\n";
  }
  return `${out}</article></li>\n`;
}

export function renderEmbedHtml(data: EmbedData): string {
  const org = data.organisation;
  const section = (key: "open" | "planned", title: string, empty: string) => {
    const list = data[key];
    let out = `<section aria-labelledby="${key}-heading">\n<h2 id="${key}-heading">${title} (${list.length})</h2>\n`;
    out += list.length
      ? `<ul class="studies">\n${list.map((s) => studyHtml(s, `study-${s.id}`)).join("")}</ul>\n`
      : `<p>${empty}</p>\n`;
    return `${out}</section>\n`;
  };
  const updated = new Date(data.generatedAt);
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Kliniske studier ved ${text(org.name)}</title>
<style>${EMBED_STYLE}</style>
</head>
<body>
<main>
<h1>Kliniske studier ved ${text(org.name)}</h1>
<p class="intro">Studier som tar inn deltakere nå, eller som skal starte. Snakk med legen din hvis du vil være med. Oppdatert <time datetime="${attr(data.generatedAt)}">${text(formatDateNb(osloDate(updated)))}</time>.</p>
${section("open", "Åpne for inklusjon", "Ingen studier tar inn deltakere her akkurat nå.")}${section("planned", "Planlagte studier", "Ingen planlagte studier.")}<p class="source">Fra <a href="${attr(data.links.portal)}" target="_top">Kliniske studier</a>, den nasjonale oversikten over kliniske studier i spesialisthelsetjenesten.</p>
</main>
</body>
</html>
`;
}

/* ------------------------------------------------------------------ HTTP */

export function embedHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": embedCsp(getConfig().EMBED_FRAME_ANCESTORS),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cache-Control": "public, no-cache",
  };
}

function notFoundHtml(message: string): Response {
  const body = `<!doctype html>\n<html lang="nb">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Fant ikke organisasjonen</title><style>${EMBED_STYLE}</style></head>\n<body><main><h1>Fant ikke organisasjonen</h1><p>${text(message)}</p></main></body>\n</html>\n`;
  return new Response(body, {
    status: 404,
    headers: { ...embedHeaders(), "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8" },
  });
}

const ORG_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

function htmlAnswer(request: Request, orgId: string): Response {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Bare GET og HEAD er tillatt.\n", {
      status: 405,
      headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const db = getDb();
  const org = ORG_ID.test(orgId) ? findOrganisation(db, orgId) : null;
  if (!org)
    return notFoundHtml(
      `Ingen organisasjon har id «${orgId.slice(0, 80)}». Se ${publicBaseUrl()}/api/v1/organisations for gyldige id-er.`,
    );
  const html = renderEmbedHtml(organisationEmbed(db, org, new Date(), { base: publicBaseUrl() }));
  // generatedAt changes every request; the validator covers what the page shows.
  const etag = weakEtag(html.replace(/<time datetime="[^"]*">/, "<time>"));
  const headers = { ...embedHeaders(), ETag: etag, "Content-Type": "text/html; charset=utf-8" };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === etag.replace(/^W\//, "")))
    return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : html, { status: 200, headers });
}

function jsonAnswer(ctx: ApiContext): ApiAnswer {
  const raw = ctx.params.id ?? "";
  const orgId = raw.replace(/\.json$/, "");
  const org = ORG_ID.test(orgId) ? findOrganisation(ctx.db, orgId) : null;
  if (!org) {
    throw new ApiError(
      404,
      "not_found",
      `Ukjent organisasjon «${orgId.slice(0, 80)}». Se ${ctx.urls.base}/api/v1/organisations for gyldige id-er.`,
      {
        organisation: orgId.slice(0, 80),
      },
    );
  }
  const { generatedAt: _generated, ...rest } = organisationEmbed(ctx.db, org, ctx.now, ctx.urls);
  const body: EmbedOrganisationOut = rest;
  return { kind: "json", body, lastModified: null };
}

const jsonLoader = readEndpoint(jsonAnswer);

/** The route's loader: ":id.json" → JSON (open API conventions), ":id" → the HTML list. */
export async function embedLoader(args: LoaderFunctionArgs): Promise<Response> {
  const id = args.params.id ?? "";
  if (id.endsWith(".json")) return jsonLoader(args);
  return htmlAnswer(args.request, id);
}
