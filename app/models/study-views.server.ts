/**
 * What the front page and the researchers' overview count: each published study's status, derived
 * from its sites at the moment of the request (never stored).
 */
import { SITE_WINDOW_COLUMNS, windowOf, type SiteWindowRow } from "./site-window.server";
import type { Db } from "#app/db.server";
import { osloDate, studyStatus, type InclusionWindow, type StudyStatus } from "#app/domain/inclusion-status";
import { changeLogHead } from "./open-api.server";
import { sql } from "./statements.server";

/** What the front page and the researchers' overview count: each published study's status now. */
export interface StudyStatusFact {
  id: number;
  /** The lead organisation's region (name). */
  region: string;
  status: StudyStatus;
  /** Distinct names of its active sites (hospital, or organisation without one). */
  siteNames: string[];
}

const factsMemo = new WeakMap<Db, { key: string; facts: StudyStatusFact[] }>();

/**
 * Every published study's status at `now`, from two narrow SELECTs (no texts, codes or contacts):
 * the front page read every full record for this (~80 ms at 10,000 studies, and linear in the
 * catalogue). Kept until the change log moves or the Oslo day changes (statuses are whole-day
 * functions of `now`; every saved change is a version in the change log).
 */
export function studyStatusFacts(db: Db, now: Date): StudyStatusFact[] {
  const key = `${changeLogHead(db)}@${osloDate(now)}`;
  const memo = factsMemo.get(db);
  if (memo && memo.key === key) return memo.facts;
  const studies = sql(
    db,
    `SELECT s.id, r.name AS region FROM studies s
       JOIN organisations o ON o.id = s.lead_organisation_id JOIN regions r ON r.id = o.region_id
     WHERE s.publication_state = 'published' ORDER BY s.id`,
  ).all() as { id: number; region: string }[];
  const sites = sql(
    db,
    `SELECT ss.study_id AS studyId, ${SITE_WINDOW_COLUMNS},
            coalesce(h.name, o.name, ss.site_name, ss.site_city, 'Studiesteder i Norge') AS name
       FROM study_sites ss JOIN studies s ON s.id = ss.study_id
       LEFT JOIN organisations o ON o.id = ss.organisation_id LEFT JOIN hospitals h ON h.id = ss.hospital_id
     WHERE s.publication_state = 'published' AND ss.withdrawn = 0`,
  ).all() as ({ studyId: number; name: string } & SiteWindowRow)[];
  const byStudy = new Map<number, { windows: InclusionWindow[]; names: Set<string> }>();
  for (const s of sites) {
    let e = byStudy.get(s.studyId);
    if (!e) byStudy.set(s.studyId, (e = { windows: [], names: new Set() }));
    e.windows.push(windowOf(s));
    e.names.add(s.name);
  }
  const facts = studies.map((s): StudyStatusFact => {
    const e = byStudy.get(s.id);
    return { id: s.id, region: s.region, status: studyStatus(e?.windows ?? [], now), siteNames: e ? [...e.names] : [] };
  });
  factsMemo.set(db, { key, facts });
  return facts;
}
