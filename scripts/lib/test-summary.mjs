/**
 * The summary npm test prints (scripts/run-tests.mjs): one line per suite with its passed, failed
 * and skipped tests, the reason for each test file's skipped tests (tests that need
 * ../shared/data say which file and why in their titles), and a last line that is exactly
 * "N passed, N failed" (CI reads it). Pure: tests/unit/test-summary.test.ts.
 */
import path from "node:path";

/**
 * @typedef {{ name: string, passed: number, failed: number, skipped?: number }} Suite
 * @typedef {{ status?: string, title?: string, ancestorTitles?: string[] }} Assertion
 * @typedef {{ name: string, status?: string, assertionResults?: Assertion[] }} FileResult
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests?: number, numTodoTests?: number, testResults?: FileResult[] }} VitestReport
 */

const SKIPPED = new Set(["skipped", "pending", "todo"]);

/**
 * The vitest suite from its JSON report. A file that failed to load counts as a failure even when
 * it reported no tests; a failed run with no failed test counts as one.
 * @param {VitestReport} report
 * @param {boolean} runOk
 * @returns {Suite}
 */
export function vitestSuite(report, runOk) {
  const loadFailures = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).length === 0,
  ).length;
  const failed = report.numFailedTests + loadFailures;
  return {
    name: "vitest",
    passed: report.numPassedTests,
    failed: failed + (runOk || failed > 0 ? 0 : 1),
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/**
 * Why tests were skipped: one line per test file and reason ("file: skipped: needs …").
 * @param {VitestReport} report
 * @param {string} [cwd]
 * @returns {string[]}
 */
export function skipNotes(report, cwd = process.cwd()) {
  const notes = [];
  for (const file of report.testResults ?? []) {
    const reasons = new Set();
    for (const a of file.assertionResults ?? []) {
      if (!SKIPPED.has(a.status ?? "")) continue;
      const match = [...(a.ancestorTitles ?? []), a.title ?? ""].join(" ").match(/skipped: [^—]*?\)/);
      reasons.add(match ? match[0] : "skipped (no reason in its title)");
    }
    for (const reason of reasons) notes.push(`${path.relative(cwd, file.name)}: ${reason}`);
  }
  return notes;
}

/**
 * The summary's lines; the last is exactly "N passed, N failed".
 * @param {Suite[]} suites
 * @param {string[]} notes
 * @returns {string[]}
 */
export function summaryLines(suites, notes) {
  const lines = [];
  if (notes.length) lines.push("skipped tests, per file:", ...notes.map((n) => `  ${n}`));
  for (const s of suites)
    lines.push(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped != null ? `, ${s.skipped} skipped` : ""}`);
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const failed = suites.reduce((n, s) => n + s.failed, 0);
  lines.push(`${passed} passed, ${failed} failed`);
  return lines;
}
