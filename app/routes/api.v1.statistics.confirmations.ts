/** GET /api/v1/statistics/confirmations — the freshness of site confirmations, per region and health trust (open API). */
import { confirmationFreshnessAnswer } from "~/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "~/http/api-read.server";

export const loader = readEndpoint(confirmationFreshnessAnswer);
export const action = readOnlyAction;
