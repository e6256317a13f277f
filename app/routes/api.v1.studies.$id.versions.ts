/** GET /api/v1/studies/:id/versions — every public version with what changed (open API). */
import { getStudyVersions } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(getStudyVersions);
export const action = readOnlyAction;
