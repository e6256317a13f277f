/** Validated page parameters → the search engine's query (pure). */
import type { SearchQuery, StatusFilter } from "#app/search/types";
import type { StatusParam } from "./field-parsers";

/**
 * Statuses per choice. "stenger" (closing within 30 days) asks for open studies; the loader then
 * keeps those whose inclusion ends within 30 days (the engine has no such filter).
 */
export const STATUS_FILTER: Record<StatusParam, StatusFilter[] | undefined> = {
  apen: ["open"],
  "apen-planlagt": ["open", "planned"],
  stenger: ["open"],
  alle: undefined,
};

export function withoutEmpty(query: SearchQuery): SearchQuery {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out as unknown as SearchQuery;
}
