/** Any other path under /fhir: a FHIR 404 (OperationOutcome), not the portal's HTML page. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { errorResponse, handleFhir, nonGetResponse } from "#app/fhir/http";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleFhir(request, () => {
    const path = (params["*"] ?? "").slice(0, 200);
    return errorResponse(
      404,
      "not-supported",
      `/fhir/${path} finnes ikke: dette FHIR-endepunktet har bare /fhir/metadata, /fhir/ResearchStudy og /fhir/ResearchStudy/[id]`,
    );
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return nonGetResponse(request);
}
