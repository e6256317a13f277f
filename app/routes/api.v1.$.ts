/** Any other /api/v1 address: a JSON 404 in the API's error shape (not the HTML error page). */
import { unknownEndpoint } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(unknownEndpoint);
export const action = readOnlyAction;
