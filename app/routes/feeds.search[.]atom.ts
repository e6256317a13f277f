/** GET /feeds/search.atom?<the query string of /api/v1/studies> — a saved search as an Atom feed. */
import { searchAtomFeed } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(searchAtomFeed);
export const action = readOnlyAction;
