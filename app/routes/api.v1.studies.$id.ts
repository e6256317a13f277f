/** GET /api/v1/studies/:id — one published study with all fields and sites (open API). */
import { getStudyAnswer } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(getStudyAnswer, { cached: true });
export const action = readOnlyAction;
