/** GET /api/v1/statistics/new-studies — new studies per month, by the source's own first publication where known (open API). */
import { newStudiesAnswer } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(newStudiesAnswer);
export const action = readOnlyAction;
