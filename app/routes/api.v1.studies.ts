/** GET /api/v1/studies — search with the search pages' filters, facets, sorting and pages (open API). */
import { listStudies } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(listStudies, { cached: true });
export const action = readOnlyAction;
