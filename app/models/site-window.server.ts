/**
 * The columns of a site that its status rests on (app/domain/inclusion-status.ts): the inclusion
 * dates, the editor's pause, the source's declared status with its words, date and source, and
 * the date the site was last confirmed (ADR 0019).
 * Every query that derives a status reads these, so no surface can forget the declaration.
 */
import type { DeclaredStatusValue, InclusionWindow } from "#app/domain/inclusion-status";

/** SELECT list for a `study_sites` row aliased `ss`. */
export const SITE_WINDOW_COLUMNS = `ss.inclusion_start AS inclusionStart, ss.inclusion_end AS inclusionEnd, ss.paused,
  ss.declared_status AS declaredStatus, ss.declared_text AS declaredText, ss.declared_on AS declaredOn, ss.declared_by AS declaredBy,
  ss.confirmed_on AS confirmedOn`;

export interface SiteWindowRow {
  inclusionStart: string | null;
  inclusionEnd: string | null;
  paused: number;
  declaredStatus: DeclaredStatusValue | null;
  declaredText: string | null;
  declaredOn: string | null;
  declaredBy: string | null;
  confirmedOn: string | null;
}

export function windowOf(row: SiteWindowRow): InclusionWindow {
  return {
    inclusionStart: row.inclusionStart,
    inclusionEnd: row.inclusionEnd,
    paused: row.paused === 1,
    declared:
      row.declaredStatus != null
        ? { status: row.declaredStatus, text: row.declaredText ?? "", on: row.declaredOn!, by: row.declaredBy ?? "" }
        : null,
    confirmedOn: row.confirmedOn,
  };
}
