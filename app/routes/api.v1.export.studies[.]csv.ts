/** GET /api/v1/export/studies.csv — every published study, one CSV row each, streamed. */
import { exportCsv } from "~/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "~/http/api-read.server";

export const loader = readEndpoint(exportCsv);
export const action = readOnlyAction;
