/** GET /feeds/icd10/:chapter.atom — Atom feed of the changes in one ICD-10 chapter (I–XXII). */
import { icd10ChapterFeed } from "#app/feeds/feeds.server";
import { readEndpoint, readOnlyAction } from "#app/http/api-read.server";

export const loader = readEndpoint(icd10ChapterFeed);
export const action = readOnlyAction;
