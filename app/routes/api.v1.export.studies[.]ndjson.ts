/** GET /api/v1/export/studies.ndjson — every published study, one JSON object per line, streamed. */
import { exportNdjson } from "~/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "~/http/api-read.server";

export const loader = readEndpoint(exportNdjson);
export const action = readOnlyAction;
