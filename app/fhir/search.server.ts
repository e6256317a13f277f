/**
 * GET /fhir/ResearchStudy: a validated FhirSearch → a searchset Bundle.
 *
 * - _id, identifier, site: SQL in app/models/fhir.server.ts;
 * - keyword and condition: the search engine (getSearchEngine(): synonyms, ICD-10 names, typos;
 *   an ICD-10 code is a prefix filter, "C50" also finds C509); a SNOMED CT id or an ICPC-2 code
 *   in condition, and focus (a treatment name), as the diagnosis embed reads them;
 * - status and _lastUpdated: derived at request time from the sites' inclusion windows
 *   (app/domain/inclusion-status.ts) — status is never stored, and meta.lastUpdated moves when a
 *   window opens or closes (see research-study.ts).
 * Results are in study id order (stable: new studies get higher ids), paged with _count/_offset.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "#app/db.server";
import { studyStatus } from "#app/domain/inclusion-status";
import {
  activeSiteWindows,
  existingOrganisationIds,
  listPublishedStudyRows,
  studyIdsByIdentifier,
  studyIdsWithActiveSiteAt,
  type FhirStudyRow,
} from "#app/models/fhir.server";
import { studyIdsForDiagnosisKey } from "#app/embed/diagnosis-embed.server";
import { publishedStudyIdsByTreatment } from "#app/models/diagnosis-studies.server";
import { listOrganisations } from "#app/models/reference.server";
import { getStudies } from "#app/models/study.server";
import type { SearchEngine, SearchQuery } from "#app/search/types";
import { operationOutcome, type Issue } from "./http";
import { effectiveLastUpdated, toResearchStudy, type FhirJson } from "./research-study";
import { matchesDate, type ConditionMatch, type FhirSearch } from "./search-params";
import { r4StatusOfStudy } from "./status";

export interface SearchContext {
  db: Db;
  engine: SearchEngine;
  now: Date;
  /** The FHIR base, e.g. https://kliniskestudier.no/fhir (BASE_URL + /fhir). */
  fhirBase: string;
  /** BASE_URL. */
  portalUrl: string;
}

export type SearchOutcome = { ok: true; bundle: FhirJson } | { ok: false; status: number; issues: Issue[] };

const ENGINE_PAGE = 100;
const ENGINE_MAX_PAGES = 2_000;

/** Every study id the engine finds for a query (all pages). */
async function engineStudyIds(
  engine: SearchEngine,
  query: Omit<SearchQuery, "page" | "perPage">,
): Promise<Set<number>> {
  const ids = new Set<number>();
  for (let page = 1; page <= ENGINE_MAX_PAGES; page++) {
    const result = await engine.search({ ...query, page, perPage: ENGINE_PAGE });
    for (const hit of result.hits) ids.add(hit.studyId);
    if (result.hits.length < ENGINE_PAGE || ids.size >= result.total) break;
  }
  return ids;
}

const intersect = (rows: FhirStudyRow[], keep: Set<number>) => rows.filter((r) => keep.has(r.id));

function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

export function pagingLinks(
  fhirBase: string,
  used: [string, string][],
  total: number,
  count: number,
  offset: number,
): FhirJson[] {
  const url = (o: number) =>
    `${fhirBase}/ResearchStudy?${encodeQuery([...used, ["_count", String(count)], ...(o > 0 ? ([["_offset", String(o)]] as [string, string][]) : [])])}`;
  const links: FhirJson[] = [{ relation: "self", url: url(offset) }];
  if (count === 0) return links;
  links.push({ relation: "first", url: url(0) });
  if (offset > 0) links.push({ relation: "previous", url: url(Math.max(0, Math.min(offset, total) - count)) });
  if (offset + count < total) links.push({ relation: "next", url: url(offset + count) });
  links.push({ relation: "last", url: url(total > 0 ? Math.floor((total - 1) / count) * count : 0) });
  return links;
}

export async function searchResearchStudies(search: FhirSearch, ctx: SearchContext): Promise<SearchOutcome> {
  const { db, engine, now } = ctx;

  // Organisation ids must exist: a typo is an error, not an empty result.
  const siteIds = [...new Set(search.sites.flat())];
  if (siteIds.length) {
    const known = existingOrganisationIds(db, siteIds);
    const unknown = siteIds.filter((id) => !known.has(id));
    if (unknown.length) {
      return {
        ok: false,
        status: 400,
        issues: unknown.map((id) => ({
          severity: "error",
          code: "value",
          diagnostics: `site: ukjent organisasjon «${id}»`,
          expression: ["site"],
        })),
      };
    }
  }

  let rows = listPublishedStudyRows(db);
  for (const group of search.ids)
    rows = intersect(rows, new Set(group.filter((id) => /^[1-9]\d{0,15}$/.test(id)).map(Number)));
  for (const group of search.identifiers) rows = intersect(rows, studyIdsByIdentifier(db, group));
  for (const group of search.sites) rows = intersect(rows, studyIdsWithActiveSiteAt(db, group));

  const engineSet = async (matches: ConditionMatch[]): Promise<Set<number>> => {
    const union = new Set<number>();
    for (const m of matches) {
      // SNOMED CT and ICPC-2: the same lookups as the diagnosis embed (app/embed/diagnosis-embed.server.ts).
      if (m.kind === "snomed" || m.kind === "icpc2") {
        for (const id of await studyIdsForDiagnosisKey(db, engine, { kind: m.kind, value: m.code }, now)) union.add(id);
        continue;
      }
      const query: Omit<SearchQuery, "page" | "perPage"> =
        m.kind === "icd10" ? { icd10: [m.code], now } : { q: m.text, now };
      for (const id of await engineStudyIds(engine, query)) union.add(id);
    }
    return union;
  };
  try {
    for (const group of search.keywords)
      if (rows.length) rows = intersect(rows, await engineSet(group.map((text) => ({ kind: "text", text }))));
    for (const group of search.conditions) if (rows.length) rows = intersect(rows, await engineSet(group));
    for (const group of search.focus)
      if (rows.length) rows = intersect(rows, new Set(group.flatMap((name) => publishedStudyIdsByTreatment(db, name))));
  } catch (error) {
    // The engines throw RangeError for input they refuse (e.g. an ICD-10 prefix they cannot use).
    if (error instanceof RangeError) {
      const param = search.conditions.length ? "condition" : "keyword";
      return {
        ok: false,
        status: 400,
        issues: [
          { severity: "error", code: "invalid", diagnostics: `${param}: ${error.message}`, expression: [param] },
        ],
      };
    }
    throw error;
  }

  if (rows.length && (search.statuses.length || search.lastUpdated.length)) {
    const windows = activeSiteWindows(
      db,
      rows.map((r) => r.id),
    );
    rows = rows.filter((r) => {
      const sites = windows.get(r.id) ?? [];
      if (search.statuses.length) {
        const status = r4StatusOfStudy(studyStatus(sites, now));
        if (!search.statuses.every((group) => group.includes(status))) return false;
      }
      if (search.lastUpdated.length) {
        const t = Date.parse(effectiveLastUpdated(r.updatedAt, sites, now));
        if (!search.lastUpdated.every((group) => group.some((bound) => matchesDate(t, bound)))) return false;
      }
      return true;
    });
  }

  const total = rows.length;
  const entries: FhirJson[] = [];
  if (!search.summaryCount && search.count > 0) {
    const page = rows.slice(search.offset, search.offset + search.count);
    const orgnr = new Map(listOrganisations(db).map((o) => [o.id, o.orgnr]));
    for (const study of getStudies(
      db,
      page.map((r) => r.id),
    )) {
      entries.push({
        fullUrl: `${ctx.fhirBase}/ResearchStudy/${study.id}`,
        resource: toResearchStudy(study, { now, portalUrl: ctx.portalUrl, orgnr }),
        search: { mode: "match" },
      });
    }
  }
  if (search.ignored.length) {
    entries.push({
      resource: operationOutcome([
        {
          severity: "warning",
          code: "not-supported",
          diagnostics: `ignorerte ukjente parametere: ${search.ignored.join(", ")} (send «Prefer: handling=strict» for å få feil i stedet)`,
        },
      ]),
      search: { mode: "outcome" },
    });
  }

  const count = search.summaryCount ? 0 : search.count;
  const used = search.summaryCount ? [...search.used, ["_summary", "count"] as [string, string]] : search.used;
  return {
    ok: true,
    bundle: {
      resourceType: "Bundle",
      id: randomUUID(),
      meta: { lastUpdated: now.toISOString() },
      type: "searchset",
      total,
      link: pagingLinks(ctx.fhirBase, used, total, count, search.offset),
      ...(entries.length ? { entry: entries } : {}),
    },
  };
}
