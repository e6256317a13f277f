/** Rows by study, in the order each study first appears (a study's sites change as a set). */
export function groupByStudy<T extends { studyId: number }>(rows: readonly T[]): Map<number, T[]> {
  const byStudy = new Map<number, T[]>();
  for (const row of rows) {
    const list = byStudy.get(row.studyId);
    if (list) list.push(row);
    else byStudy.set(row.studyId, [row]);
  }
  return byStudy;
}
