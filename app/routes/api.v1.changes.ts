/** GET /api/v1/changes?since= — the change log for mirrors, with a stable cursor (open API). */
import { listChanges } from "~/api/endpoints.server";
import { readEndpoint, readOnlyAction } from "~/http/api-read.server";

export const loader = readEndpoint(listChanges);
export const action = readOnlyAction;
