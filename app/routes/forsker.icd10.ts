/**
 * /forsker/icd10?q=… — ICD-10 suggestions for the registration form's diagnosis combobox:
 * JSON `{ codes: [{ code, nameNb }] }`, at most 10, from the portal's Norwegian ICD-10 list.
 * Signed-in only (it belongs to the researcher pages); no cookie is set here.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { PRIVATE_HEADERS, requireUser } from "#app/auth/auth.server";
import { suggestIcd10 } from "#app/models/icd10.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUser(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const codes = q.trim().length === 0 ? [] : suggestIcd10(getDb(), q, 10);
  return json({ q, codes }, { headers: PRIVATE_HEADERS });
}
