/** GET /api/v1/export/studies.csv — every published study, one CSV row each, streamed. */
import { exportCsv } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(exportCsv);
export const action = readOnlyAction;
