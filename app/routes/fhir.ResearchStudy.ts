/**
 * GET /fhir/ResearchStudy?… — search (searchset Bundle with total and paging links). Parameters:
 * _id, identifier, status, condition, keyword, site, _lastUpdated, _count, _offset, _summary=count
 * (see /fhir/metadata and README "FHIR"). Bad values → 400 OperationOutcome naming the parameter.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { fhirBase, portalUrl } from "#app/fhir/endpoint.server";
import {
  fhirResponse,
  handleFhir,
  negotiate,
  nonGetResponse,
  outcomeResponse,
  strictHandling,
  wantsPretty,
} from "#app/fhir/http";
import { parseSearchParams } from "#app/fhir/search-params";
import { searchResearchStudies } from "#app/fhir/search.server";
import { getSearchEngine } from "#app/search.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return handleFhir(request, async () => {
    const url = new URL(request.url);
    const refused = negotiate(request, url);
    if (refused) return refused;
    const pretty = wantsPretty(url);
    const parsed = parseSearchParams(url.searchParams.entries(), { strict: strictHandling(request) });
    if (!parsed.ok) return outcomeResponse(400, parsed.issues, { pretty });
    const result = await searchResearchStudies(parsed.search, {
      db: getDb(),
      engine: getSearchEngine(),
      now: new Date(),
      fhirBase: fhirBase(),
      portalUrl: portalUrl(),
    });
    if (!result.ok) return outcomeResponse(result.status, result.issues, { pretty });
    return fhirResponse(result.bundle, { pretty });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return nonGetResponse(request);
}
