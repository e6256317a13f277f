/**
 * /studier/:id — the audience-neutral address of a study (used in feeds and shared links before
 * the audience views existed). Sends readers to the patient page, which links to the clinician
 * page; the language and any other parameters come along.
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { parseStudyId } from "#app/views/study-page.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseStudyId(params.id);
  if (id == null) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  return redirect(`/pasient/studier/${id}${url.search}`, { status: 302 });
}
