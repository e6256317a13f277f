/** GET /api/v1/open-studies — studies open now for a diagnosis or treatment code (open API); see app/embed/diagnosis-embed.server.ts. */
import { openStudiesLoader } from "#app/embed/diagnosis-embed.server";
import { readOnlyAction } from "#app/http/api-read.server";

export const loader = openStudiesLoader;
export const action = readOnlyAction;
