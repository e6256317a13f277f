/**
 * GET /api/v1/organisations — organisations with region and hospitals (open API). An index route,
 * so that it is not the parent of the ingest API at /api/v1/organisations/:orgId/studies.
 */
import { listOrganisationsAnswer } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(listOrganisationsAnswer);
export const action = readOnlyAction;
