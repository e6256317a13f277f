/** GET /feeds/organisations/:id.atom — Atom feed of the changes to one organisation's studies. */
import { organisationFeed } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(organisationFeed);
export const action = readOnlyAction;
