/** npm test's summary (scripts/lib/test-summary.mjs): skipped tests counted and explained, the last line exactly "N passed, N failed". */
import { describe, expect, it } from "vitest";
import { skipNotes, summaryLines, vitestSuite } from "../../scripts/lib/test-summary.mjs";

const CWD = "/repo";
const REASON =
  "skipped: needs ../shared/data/norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json (no licence stated, not vendored)";
/** The fields of Vitest's JSON report that the summary reads (as written by `--reporter=json`). */
const report = {
  numPassedTests: 40,
  numFailedTests: 0,
  numPendingTests: 5,
  numTodoTests: 1,
  testResults: [
    {
      name: "/repo/tests/unit/real-data-listing.test.ts",
      status: "passed",
      assertionResults: [
        {
          status: "skipped",
          ancestorTitles: [`real data: Helse Nord hospital listing — ${REASON}`],
          title: "maps all 47 records",
        },
        {
          status: "skipped",
          ancestorTitles: [`real data: Helse Nord hospital listing — ${REASON}`],
          title: "keeps the status",
        },
      ],
    },
    {
      name: "/repo/tests/unit/native-schema.test.ts",
      status: "passed",
      assertionResults: [
        { status: "passed", ancestorTitles: ["schema"], title: "is up to date" },
        { status: "skipped", ancestorTitles: ["schema"], title: `accepts the real hospital listing — ${REASON}` },
      ],
    },
    {
      name: "/repo/tests/unit/other.test.ts",
      status: "passed",
      assertionResults: [{ status: "todo", ancestorTitles: [], title: "later" }],
    },
  ],
};

describe("npm test's summary", () => {
  it("counts skipped and todo tests as skipped", () => {
    expect(vitestSuite(report, true)).toEqual({ name: "vitest", passed: 40, failed: 0, skipped: 6 });
  });

  it("names each file's skip reason once, and says so when a skipped test gives none", () => {
    expect(skipNotes(report, CWD)).toEqual([
      `tests/unit/real-data-listing.test.ts: ${REASON}`,
      `tests/unit/native-schema.test.ts: ${REASON}`,
      "tests/unit/other.test.ts: skipped (no reason in its title)",
    ]);
  });

  it("ends with exactly 'N passed, N failed' after the per-suite lines with their skipped counts", () => {
    const lines = summaryLines(
      [{ name: "typecheck", passed: 1, failed: 0 }, vitestSuite(report, true)],
      ["a.test.ts: skipped: needs x (why)"],
    );
    expect(lines).toEqual([
      "skipped tests, per file:",
      "  a.test.ts: skipped: needs x (why)",
      "typecheck: 1 passed, 0 failed",
      "vitest: 40 passed, 0 failed, 6 skipped",
      "41 passed, 0 failed",
    ]);
  });

  it("counts a file that failed to load, and a failed run with no failed test, as failures", () => {
    const broken = {
      ...report,
      testResults: [
        ...report.testResults,
        { name: "/repo/tests/unit/broken.test.ts", status: "failed", assertionResults: [] },
      ],
    };
    expect(vitestSuite(broken, false).failed).toBe(1);
    expect(vitestSuite(report, false).failed).toBe(1);
    expect(summaryLines([vitestSuite(broken, false)], []).at(-1)).toBe("40 passed, 1 failed");
  });
});
