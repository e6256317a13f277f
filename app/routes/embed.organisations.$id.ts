/**
 * GET /embed/organisations/:id       — light HTML list of the organisation's open and planned studies (for an iframe)
 * GET /embed/organisations/:id.json  — the same as JSON
 * See app/embed/embed.server.ts.
 */
import { embedLoader } from "#app/embed/embed.server";

export const loader = embedLoader;
