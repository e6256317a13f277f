/** GET /fhir/ResearchStudy/:id — one study as FHIR R4 (404 unknown, 410 withdrawn, ETag/304). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { readResearchStudy } from "#app/fhir/endpoint.server";
import { handleFhir, negotiate, nonGetResponse, wantsPretty } from "#app/fhir/http";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleFhir(request, () => {
    const url = new URL(request.url);
    const refused = negotiate(request, url);
    if (refused) return refused;
    return readResearchStudy(getDb(), request, params.id ?? "", new Date(), wantsPretty(url));
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return nonGetResponse(request);
}
