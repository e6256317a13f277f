/** GET /api/v1/export/studies.ndjson — every published study, one JSON object per line, streamed. */
import { exportNdjson } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(exportNdjson);
export const action = readOnlyAction;
