/**
 * What the FHIR routes share: the base URL (BASE_URL + /fhir), the software version, and the
 * read interaction (ETag / If-None-Match).
 */
import { createHash } from "node:crypto";
import { getConfig } from "#app/config.server";
import type { Db } from "#app/db.server";
import { listOrganisations } from "#app/models/reference.server";
import { getStudy } from "#app/models/study.server";
import pkg from "../../package.json";
import { errorResponse, fhirResponse } from "./http";
import { toResearchStudy } from "./research-study";

export const SOFTWARE_VERSION: string = pkg.version;

export function portalUrl(): string {
  return getConfig().BASE_URL.replace(/\/+$/, "");
}

export function fhirBase(): string {
  return `${portalUrl()}/fhir`;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** GET /fhir/ResearchStudy/:id — 200 (or 304), 400 malformed id, 404 unknown, 410 withdrawn. */
export function readResearchStudy(db: Db, request: Request, id: string, now: Date, pretty: boolean): Response {
  if (!FHIR_ID.test(id)) {
    return errorResponse(
      400,
      "invalid",
      `id: «${id.slice(0, 80)}» er ikke en gyldig FHIR-id (1–64 tegn: A–Z, a–z, 0–9, - og .)`,
    );
  }
  const study = /^[1-9]\d{0,15}$/.test(id) ? getStudy(db, Number(id)) : null;
  if (
    !study ||
    (study.publicationState !== "published" && !(study.publicationState === "withdrawn" && study.publishedAt))
  ) {
    return errorResponse(404, "not-found", `ResearchStudy/${id} finnes ikke`);
  }
  if (study.publicationState === "withdrawn") {
    return errorResponse(410, "deleted", `ResearchStudy/${id} er trukket tilbake og ikke lenger publisert`);
  }
  const orgnr = new Map(listOrganisations(db).map((o) => [o.id, o.orgnr]));
  const resource = toResearchStudy(study, { now, portalUrl: portalUrl(), orgnr });
  const body = JSON.stringify(resource);
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const lastUpdated = (resource.meta as { lastUpdated: string }).lastUpdated;
  const headers = { ETag: etag, "Last-Modified": new Date(lastUpdated).toUTCString() };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === etag || t.trim() === "*" || t.trim() === etag.slice(2))) {
    return new Response(null, {
      status: 304,
      headers: { ...headers, "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" },
    });
  }
  return fhirResponse(resource, { headers, pretty });
}
