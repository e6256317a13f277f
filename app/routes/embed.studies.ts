/**
 * GET /embed/studies?icd10=…|icpc2=…|snomed=…|treatment=…[&postcode=…][&lang=nb|nn|en]
 * — light HTML list of the studies open now for a diagnosis or treatment, for an iframe on a
 * diagnosis or treatment page. See app/embed/diagnosis-embed.server.ts.
 */
import { diagnosisEmbedLoader } from "#app/embed/diagnosis-embed.server";

export const loader = diagnosisEmbedLoader;
