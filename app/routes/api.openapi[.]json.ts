/** GET /api/openapi.json — the OpenAPI 3.1 document, generated from the API's zod schemas. */
import { openApiAnswer } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(openApiAnswer, { rateLimited: false });
export const action = readOnlyAction;
