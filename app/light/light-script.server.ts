/**
 * Where the light pages' script is served (issue 24): public/light/patient-page.js, written by
 * `remix build` (remix.config.js bundles app/light/patient-page.ts with esbuild), with the hash
 * of its content in the query so a new build is never answered from a browser's cache.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export const LIGHT_SCRIPT_FILE = path.join("public", "light", "patient-page.js");

let url: string | null | undefined;

/** "/light/patient-page.js?v=…", or null (with one error in the log) when the build lacks it. */
export function lightScriptUrl(): string | null {
  if (url !== undefined) return url;
  try {
    const body = readFileSync(LIGHT_SCRIPT_FILE);
    url = `/light/patient-page.js?v=${createHash("sha256").update(body).digest("hex").slice(0, 12)}`;
  } catch (error) {
    console.error(
      `${LIGHT_SCRIPT_FILE} is missing (${(error as Error).message}): run \`npm run build\`; the patient pages work without their live search and updates until then`,
    );
    url = null;
  }
  return url;
}
