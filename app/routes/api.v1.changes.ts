/** GET /api/v1/changes?since= — the change log for mirrors, with a stable cursor (open API). */
import { listChanges } from "#app/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(listChanges);
export const action = readOnlyAction;
