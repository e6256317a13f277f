/**
 * A bounded list of rejections: a broken file can have millions of the same error, and each one
 * stored used to be a row in ingest_rejections (289 MB for one wrong file). The count of rejected
 * records stays exact (the ingest service counts them itself); only the list is cut, with one
 * summary line per cut kind saying how many more there were.
 */
import type { Rejection } from "./types";

/** The same error (same field, same message) is listed at most this many times per run. */
export const MAX_IDENTICAL_REJECTIONS = 50;
/** All kinds together: the list never holds more than this many rejections (plus summaries). */
export const MAX_LISTED_REJECTIONS = 1000;

/**
 * Which rejections count as "identical": same field and same message once the parts that name
 * one record are masked — record indices in the field ("studiesteder[3]"), quoted values and
 * numbers in the message ("ugyldig JSON: Unexpected token '<', "<clinical_study>"…", "line 14").
 */
export function rejectionKind(r: Pick<Rejection, "field" | "message">): string {
  const mask = (s: string) => s.replace(/"[^"]*"|«[^»]*»|'[^']*'/g, "…").replace(/\d+/g, "#");
  return `${mask(r.field)}\u0000${mask(r.message)}`;
}

export class BoundedRejections {
  private readonly kept: Rejection[] = [];
  private readonly perKind = new Map<string, { listed: number; cut: number; example: Rejection }>();
  private cutOverall = 0;

  constructor(
    private readonly maxIdentical = MAX_IDENTICAL_REJECTIONS,
    private readonly maxListed = MAX_LISTED_REJECTIONS,
  ) {}

  push(r: Rejection): void {
    const kind = rejectionKind(r);
    const seen = this.perKind.get(kind);
    if (seen && seen.listed >= this.maxIdentical) {
      seen.cut++;
      return;
    }
    if (this.kept.length >= this.maxListed) {
      this.cutOverall++;
      return;
    }
    if (seen) seen.listed++;
    else this.perKind.set(kind, { listed: 1, cut: 0, example: r });
    this.kept.push(r);
  }

  /** The listed rejections, then one summary line per kind that was cut, then one for the rest. */
  toArray(): Rejection[] {
    const summaries: Rejection[] = [];
    for (const { cut, example } of this.perKind.values()) {
      if (cut === 0) continue;
      summaries.push({
        ref: "hele filen",
        externalId: null,
        field: example.field,
        message: `og ${cut} flere avvisninger av samme slag (som ${example.ref}: «${example.message.slice(0, 200)}») er ikke listet; rett feilen og send filen på nytt`,
      });
    }
    if (this.cutOverall > 0) {
      summaries.push({
        ref: "hele filen",
        externalId: null,
        field: "(avvisninger)",
        message: `og ${this.cutOverall} andre avvisninger er ikke listet (høyst ${this.maxListed} listes per innlesing)`,
      });
    }
    return [...this.kept, ...summaries];
  }
}

export function boundRejections(
  rejections: Iterable<Rejection>,
  maxIdentical = MAX_IDENTICAL_REJECTIONS,
  maxListed = MAX_LISTED_REJECTIONS,
): Rejection[] {
  const bounded = new BoundedRejections(maxIdentical, maxListed);
  for (const r of rejections) bounded.push(r);
  return bounded.toArray();
}
