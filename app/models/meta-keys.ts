/**
 * Keys of app_meta that more than one layer reads: here, at the models level, so a model need
 * not import a search engine for a key (docs/architecture.md: models import no search engines).
 */

/** The embedded search engine's index generation; the open API's answer cache keys on it. */
export const SQLITE_FTS_GENERATION_KEY = "search.sqlite-fts.generation";
