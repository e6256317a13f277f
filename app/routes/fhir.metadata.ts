/** GET /fhir/metadata — the CapabilityStatement (what this FHIR server supports, exactly). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { capabilityStatement } from "#app/fhir/capability-statement";
import { fhirBase, SOFTWARE_VERSION } from "#app/fhir/endpoint.server";
import { fhirResponse, handleFhir, negotiate, nonGetResponse, wantsPretty } from "#app/fhir/http";

export async function loader({ request }: LoaderFunctionArgs) {
  return handleFhir(request, () => {
    const url = new URL(request.url);
    const refused = negotiate(request, url);
    if (refused) return refused;
    return fhirResponse(capabilityStatement({ fhirBase: fhirBase(), softwareVersion: SOFTWARE_VERSION }), {
      pretty: wantsPretty(url),
    });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return nonGetResponse(request);
}
