/**
 * Issue 16's truth table: for every Norwegian record in the real files (and all 22 FHIR records),
 * the portal's mappers must name exactly the sites the source names (registered or kept as
 * written), the record's own lead (never the sender), and the status with its basis at the
 * record's own last-update day and at a today-like instant, and keep the fields a reader needs.
 * The table was built by reading the source records, not the portal's code
 * (tests/fixtures/real-data/README.md). The ECLAIRE FHIR files (MIT) are vendored and always
 * checked; the other sources are read from ../shared/data and skipped, with the reason, where it
 * is absent: several source files state no licence, so they are not shipped.
 */
import { describe, expect, it } from "vitest";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { buildMapContext } from "#app/ingest/formats.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import {
  byExternalId,
  checkRecord,
  loadTruth,
  mapSource,
  missingFiles,
  realDataAvailable,
  SOURCES,
  type SourceKey,
} from "../../scripts/lib/real-data-truth";
import { sharedTitle } from "../helpers/shared-data";

const TODAY = "2026-12-07";
const ALL_SOURCES = Object.keys(SOURCES) as SourceKey[];
/** The title of a test that needs these sources, with the skip reason where their files are absent. */
const needs = (name: string, sources: SourceKey[]) => sharedTitle(name, sources.flatMap(missingFiles));
const whole = (name: string) => needs(name, ALL_SOURCES);
const sourceOk = (source: SourceKey) => missingFiles(source).length === 0;

describe("the truth table", () => {
  const db = openDatabase(":memory:");
  migrate(db);
  upsertReferenceData(db, loadReferenceData());
  // Sent by a health trust that is none of the records' own organisations' only one: St. Olavs.
  const ctx = buildMapContext(db, "st-olavs", new Date(`${TODAY}T11:00:00Z`));
  const truth = loadTruth();
  const supported = (Object.keys(SOURCES) as SourceKey[]).filter((s) => s !== "ctgov-csv-ms");

  it.skipIf(!realDataAvailable())(whole("covers every source and every Norwegian record"), () => {
    const counts = Object.fromEntries(supported.map((s) => [s, truth.records.filter((r) => r.source === s).length]));
    expect(counts).toEqual({ "ctgov-json": 14, "ctgov-csv-official": 1, "ctis-csv": 8, fhir: 22, listing: 47 });
  });

  for (const source of supported) {
    const missing = missingFiles(source);
    describe.skipIf(missing.length > 0)(needs(source, [source]), () => {
      // Mapped lazily: a skipped suite's body still runs to collect its tests.
      let byId: ReturnType<typeof byExternalId> | null = null;
      const mapped = () => (byId ??= byExternalId(mapSource(source, ctx)));
      const records = truth.records.filter((r) => r.source === source);
      it.each(records.map((r) => [r.externalId, r] as const))(
        "record %s: sites, lead, status and basis, fields",
        (_id, record) => {
          const failed = checkRecord(record, mapped().get(record.externalId), TODAY).filter((c) => !c.ok);
          expect(failed.map((c) => c.what)).toEqual([]);
        },
      );
    });
  }

  it.skipIf(!realDataAvailable())(
    whole("agrees with each source's own status on its last-update day for at least 98% of sites (here: all)"),
    () => {
      const checks = supported.flatMap((source) => {
        const byId = byExternalId(mapSource(source, ctx));
        return truth.records
          .filter((r) => r.source === source)
          .flatMap((r) => checkRecord(r, byId.get(r.externalId), TODAY));
      });
      const onUpdateDay = checks.filter((c) => c.kind === "status-on-update-day");
      expect(onUpdateDay.length).toBeGreaterThan(100);
      expect(onUpdateDay.filter((c) => !c.ok).map((c) => c.what)).toEqual([]);
      // No site and no lead invented anywhere: every site and lead check passes.
      expect(checks.filter((c) => (c.kind === "site" || c.kind === "lead") && !c.ok).map((c) => c.what)).toEqual([]);
    },
  );

  it.skipIf(!sourceOk("ctgov-csv-ms"))(
    needs("refuses the third party's flattened CSV with one clear message instead of guessing its 22 Norwegian rows", [
      "ctgov-csv-ms",
    ]),
    () => {
      const result = mapSource("ctgov-csv-ms", ctx);
      expect(result.records).toEqual([]);
      expect(result.rejected).toHaveLength(1);
      expect(result.rejected[0]!.message.length).toBeGreaterThan(20);
    },
  );
});
