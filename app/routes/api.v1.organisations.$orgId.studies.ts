/**
 * PUT  /api/v1/organisations/:orgId/studies  — the organisation's full feed (missing studies are
 *                                               withdrawn from this organisation)
 * POST /api/v1/organisations/:orgId/studies  — a partial batch (withdraws nothing)
 *
 * Bearer token per organisation (npm run org:token). The format is explicit: ?format=… or a
 * Content-Type that names exactly one format. Responses: 200 with the ingest report (including
 * any rejected records), 401 no/invalid token, 403 token of another organisation, 404 unknown
 * organisation, 405 other methods, 413 body too large (also when a gzip body unpacks to more than
 * INGEST_MAX_BYTES), 415 format not given/unsupported,
 * 422 nothing could be stored because every record (or the whole body) was invalid, 507 storage
 * full / 503 database read-only or a disk write error (JSON naming the SQLite cause), or the ingest
 * worker stopped mid-way (ingest_interrupted: what was stored is whole; send again).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { getConfig } from "#app/config.server";
import { getDb } from "#app/db.server";
import { apiError, readBodyWithLimit, storageErrorResponse } from "#app/http/api-errors.server";
import { supportedFormats, unpackDelivery } from "#app/ingest/formats.server";
import { ingestDelivery, type DeliveryJob } from "#app/ingest/ingest-delivery.server";
import type { IngestReport } from "#app/ingest/ingest-service.server";
import { ingestWriter, isIngestInterrupted } from "#app/ingest/ingest-writer.server";
import { INGEST_FORMATS, type IngestFormat } from "#app/ingest/types";
import { organisationExists } from "#app/models/ingest.server";
import { authenticateTokenScope } from "#app/models/token.server";

/** Content-Types that name one format on their own. */
const CONTENT_TYPE_FORMATS: Record<string, IngestFormat> = {
  "application/vnd.kliniskestudier+json": "native",
  "application/fhir+json": "fhir",
};

function chooseFormat(request: Request): IngestFormat | { error: string } {
  const url = new URL(request.url);
  const asked = url.searchParams.get("format");
  if (asked) {
    if (!(INGEST_FORMATS as readonly string[]).includes(asked))
      return { error: `ukjent format "${asked}" (kjente: ${INGEST_FORMATS.join(", ")})` };
    return asked as IngestFormat;
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = CONTENT_TYPE_FORMATS[type];
  if (format) return format;
  return {
    error: `oppgi formatet med ?format=${INGEST_FORMATS.join("|")} eller Content-Type ${Object.keys(CONTENT_TYPE_FORMATS).join(" / ")} (fikk "${type || "ingen"}")`,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PUT" && request.method !== "POST") {
    return apiError(405, "method_not_allowed", "Bruk PUT (full leveranse) eller POST (delvis leveranse)", undefined, {
      Allow: "PUT, POST",
    });
  }
  const db = getDb();
  const orgId = params.orgId ?? "";
  const auth = request.headers.get("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const challenge = { "WWW-Authenticate": 'Bearer realm="kliniske-studier"' };
  if (!token) return apiError(401, "unauthorized", "Mangler Authorization: Bearer <token>", undefined, challenge);
  const scope = authenticateTokenScope(db, token);
  const tokenOrg = scope?.organisationId ?? null;
  if (!tokenOrg) return apiError(401, "unauthorized", "Ugyldig eller tilbakekalt token", undefined, challenge);
  if (tokenOrg !== orgId) {
    return apiError(403, "forbidden", `Tokenet gjelder ${tokenOrg} og kan ikke skrive for ${orgId}`);
  }
  if (!organisationExists(db, orgId)) return apiError(404, "not_found", `Ukjent organisasjon "${orgId}"`);

  const format = chooseFormat(request);
  if (typeof format !== "string") return apiError(415, "unsupported_media_type", format.error);
  if (!supportedFormats().includes(format)) {
    return apiError(
      415,
      "unsupported_media_type",
      `formatet "${format}" støttes ikke ennå (støttet: ${supportedFormats().join(", ")})`,
    );
  }
  const max = getConfig().INGEST_MAX_BYTES;
  const body = await readBodyWithLimit(request, max);
  if (body === "too-large") {
    // The rest of the body is never read: close the connection after the answer.
    return apiError(413, "payload_too_large", `Leveransen er større enn grensen på ${max} byte`, undefined, {
      Connection: "close",
    });
  }

  // A gzip body is unpacked streamed and stopped at the same limit (a "gzip bomb" is 413, not memory).
  const unpacked = await unpackDelivery(format, body, max);
  if (!unpacked.ok) {
    return unpacked.reason === "too-large"
      ? apiError(
          413,
          "payload_too_large",
          `Leveransen er større enn grensen på ${max} byte når den pakkes ut (gzip). Ingenting er lagret.`,
        )
      : apiError(422, "unprocessable", `Ingen studier kunne lagres: ${unpacked.message}`);
  }
  const job: DeliveryJob = {
    organisationId: orgId,
    // A regional listing: records "utført av" an organisation this token may also send for are theirs.
    alsoFor: scope?.alsoFor ?? [],
    format,
    mode: request.method === "PUT" ? "full" : "partial",
    dryRun: new URL(request.url).searchParams.get("dryRun") === "true",
    bytes: unpacked.bytes,
    maxBytes: max,
  };
  let report: IngestReport;
  try {
    // Mapping and writing run in the ingest worker thread when the server started one (server.ts),
    // so the requests of everybody else go on meanwhile; the report is the same either way.
    const writer = ingestWriter();
    report = writer ? await writer.run(job) : ingestDelivery(db, job);
  } catch (error) {
    if (isIngestInterrupted(error)) {
      return apiError(503, "ingest_interrupted", error.message, undefined, { "Retry-After": "10" });
    }
    // A full disk or a read-only database is the portal's problem, not the sender's: say so.
    const storage = storageErrorResponse(error);
    if (storage) return storage;
    throw error;
  }
  const stored = report.created + report.changed + report.unchanged;
  const body200 = {
    runId: report.runId,
    organisation: report.organisationId,
    format: report.format,
    mode: report.mode,
    dryRun: report.dryRun,
    received: report.received,
    created: report.created,
    changed: report.changed,
    unchanged: report.unchanged,
    withdrawn: report.withdrawn,
    rejected: report.rejected,
    // received = created + changed + unchanged + skipped + rejected
    skipped: report.skipped,
    held: report.held,
    conflicts: report.conflicts,
    rejections: report.rejections,
    skippedReasons: report.skippedReasons,
    holds: report.holds,
    warnings: report.warnings,
  };
  if (report.rejected > 0 && stored === 0) {
    // A whole file refused for one reason (another format than declared, not UTF-8, not JSON):
    // that reason is the answer, not only a line in the details.
    const whole =
      report.rejections.length === 1 && report.rejections[0]!.ref === "hele filen" ? report.rejections[0]! : null;
    return apiError(
      422,
      "unprocessable",
      whole ? `Ingen studier kunne lagres: ${whole.message}` : "Ingen studier kunne lagres; se details.rejections",
      body200,
    );
  }
  return Response.json(body200, { status: 200, headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  return apiError(405, "method_not_allowed", "Bruk PUT (full leveranse) eller POST (delvis leveranse)", undefined, {
    Allow: "PUT, POST",
  });
}
