/** GET /feeds/categories/:id.atom — Atom feed of the changes in one HRCS category. */
import { categoryFeed } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(categoryFeed);
export const action = readOnlyAction;
