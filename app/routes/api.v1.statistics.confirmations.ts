/** GET /api/v1/statistics/confirmations — the freshness of site confirmations, per region and health trust (open API). */
import { confirmationFreshnessAnswer } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(confirmationFreshnessAnswer);
export const action = readOnlyAction;
