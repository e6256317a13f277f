/** GET /feeds/studies.atom — Atom feed of every public change (app/feeds/feeds.server.ts). */
import { allChangesFeed } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(allChangesFeed);
export const action = readOnlyAction;
