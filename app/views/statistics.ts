/**
 * What /forsker/statistikk shows, built (pure) from the facts and an instant: every table with
 * its columns and rows — the page's HTML table and its CSV download are both written from the
 * same StatTable, so they cannot disagree — and the charts drawn from the same numbers.
 */
import { format } from "date-fns";
import { enGB, nb, nn, type Locale } from "date-fns/locale";
import { PHASE_LABEL } from "#app/domain/labels";
import type { StudyStatus } from "#app/domain/inclusion-status";
import { statusLabel } from "./status-text";
import { statusPolicy } from "#app/domain/inclusion-status";
import type { Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import type { MessageKey } from "#app/i18n/messages/nb";
import { nbPublic as nbMessages } from "#app/i18n/messages/nb-public";
import {
  freshnessByOrganisation,
  firstPublishedBases,
  freshnessByRegion,
  newStudiesPerMonth,
  sitesOpenPerMonth,
  statusByCategory,
  statusByOrganisation,
  statusByPhase,
  statusByRegion,
  type MonthCount,
  type MonthWhen,
  type StatisticsFacts,
  type FreshnessTable,
  type StatusTable,
} from "#app/domain/statistics";
import type { CsvCell } from "./excel-csv";

export const TABLE_IDS = [
  "region",
  "organisasjon",
  "kategori",
  "fase",
  "inklusjon-per-maned",
  "nye-studier-per-maned",
] as const;
/** Tables without a chart: how current the confirmations are (issue 18 item 3). */
export const FRESHNESS_TABLE_IDS = ["bekreftelse-region", "bekreftelse-organisasjon"] as const;
export const ALL_TABLE_IDS = [...TABLE_IDS, ...FRESHNESS_TABLE_IDS] as const;
export type TableId = (typeof ALL_TABLE_IDS)[number];
export const isTableId = (v: string): v is TableId => (ALL_TABLE_IDS as readonly string[]).includes(v);

export interface StatTable {
  id: TableId;
  title: string;
  /** Says what is counted (shown under the heading, and the chart's <desc> begins with it). */
  explanation: string;
  columns: string[];
  rows: CsvCell[][];
  /** The national row, under the others (<tfoot>), also in the CSV. */
  foot: CsvCell[] | null;
}

export interface StackedChart {
  kind: "stacked";
  statuses: StudyStatus[];
  bars: { label: string; values: number[] }[];
}

export interface ColumnChart {
  kind: "columns";
  valueLabel: string;
  bars: { month: string; label: string; short: string; value: number; when: MonthWhen }[];
}

export interface StatSection {
  table: StatTable;
  chart: StackedChart | ColumnChart;
  /** The chart's text alternative: what it shows, in sentences. */
  summary: string;
}

export interface StatisticsView {
  total: StatusTable["total"];
  demoStudies: number;
  sections: StatSection[];
  /** How current the open sites' confirmations are, by region and by health trust (in the page's language). */
  freshness: StatTable[];
}

const SITE_STATUSES: StudyStatus[] = ["open", "planned", "paused", "closed"];
const STUDY_STATUSES: StudyStatus[] = ["open", "planned", "paused", "closed", "no_sites"];

const MONTH_LOCALE: Record<Lang, Locale> = { nb, nn, en: enGB };

/** "januar 2026" and "jan. 26" for a "YYYY-MM" month ("January 2026" and "Jan 26" in English). */
export function monthLabel(month: string, lang: Lang = "nb"): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return format(new Date(y, m - 1, 1), "LLLL yyyy", { locale: MONTH_LOCALE[lang] });
}
function monthShort(month: string, lang: Lang): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${format(new Date(y, m - 1, 1), "LLL", { locale: MONTH_LOCALE[lang] }).replace(".", "")} ${String(y).slice(2)}`;
}

function statusSection(
  id: TableId,
  title: string,
  groupHeading: string,
  explanation: string,
  table: StatusTable,
  statuses: StudyStatus[],
  lang: Lang,
): StatSection {
  const { t } = translator(lang);
  const label = (s: StudyStatus) => statusLabel(s, lang);
  const row = (label: string, counts: Record<StudyStatus, number>, total: number): CsvCell[] => [
    label,
    ...statuses.map((s) => counts[s]),
    total,
  ];
  const summary =
    `${explanation} ` +
    table.rows
      .map((r) => `${r.label}: ${statuses.map((s) => `${r.counts[s]} ${label(s).toLowerCase()}`).join(", ")}.`)
      .join(" ");
  return {
    table: {
      id,
      title,
      explanation,
      columns: [groupHeading, ...statuses.map(label), t("stats.total")],
      rows: table.rows.map((r) => row(r.label, r.counts, r.total)),
      foot: row(t("stats.countryOnce"), table.total.counts, table.total.total),
    },
    chart: {
      kind: "stacked",
      statuses,
      bars: table.rows.map((r) => ({ label: r.label, values: statuses.map((s) => r.counts[s]) })),
    },
    summary,
  };
}

/** Columns a month table has beyond the month and its count (e.g. what each count rests on). */
interface ExtraColumns<C extends MonthCount> {
  columns: string[];
  cells: (count: C) => CsvCell[];
}

function monthSection<C extends MonthCount>(
  id: TableId,
  title: string,
  valueLabel: string,
  explanation: string,
  counts: C[],
  lang: Lang,
  extra?: ExtraColumns<C>,
): StatSection {
  const { t } = translator(lang);
  const month = (m: string) => monthLabel(m, lang);
  const peak = counts.reduce((best, c) => (c.count > best.count ? c : best), counts[0]!);
  const current = counts.find((c) => c.when === "current")!;
  const summary =
    `${explanation} ${t("stats.summary.range", { from: month(counts[0]!.month), to: month(counts.at(-1)!.month) })} ` +
    `${t("stats.summary.current", { month: month(current.month), count: current.count })} ` +
    t("stats.summary.peak", { count: peak.count, month: month(peak.month) });
  return {
    table: {
      id,
      title,
      explanation,
      columns: [t("stats.month"), valueLabel, ...(extra?.columns ?? [])],
      rows: counts.map((c) => [
        month(c.month) + (c.when === "current" ? ` (${t("stats.thisMonth")})` : ""),
        c.count,
        ...(extra?.cells(c) ?? []),
      ]),
      foot: null,
    },
    chart: {
      kind: "columns",
      valueLabel,
      bars: counts.map((c) => ({
        month: c.month,
        label: month(c.month),
        short: monthShort(c.month, lang),
        value: c.count,
        when: c.when,
      })),
    },
    summary,
  };
}

/** Share as a whole percentage ("–" when there is nothing to share), median days with one decimal at most. */
const percent = (share: number | null): CsvCell => (share == null ? "–" : Math.round(share * 100));
const days = (value: number | null): CsvCell => (value == null ? "–" : Math.round(value * 10) / 10);

function freshnessTable(id: TableId, title: string, group: string, table: FreshnessTable, lang: Lang): StatTable {
  const { t } = translator(lang);
  const row = (r: FreshnessTable["total"]): CsvCell[] => [
    r.label,
    r.open,
    r.confirmed,
    percent(r.share),
    days(r.medianAgeDays),
  ];
  return {
    id,
    title,
    explanation: t("stats.freshness.explanation", { months: statusPolicy().confirmationSoftMonths }),
    columns: [
      group,
      t("stats.freshness.open"),
      t("stats.freshness.confirmed"),
      t("stats.freshness.share"),
      t("stats.freshness.median"),
    ],
    rows: table.rows.map(row),
    foot: row(table.total),
  };
}

export function freshnessTables(facts: StatisticsFacts, now: Date, lang: Lang = "nb"): StatTable[] {
  const { t } = translator(lang);
  const country = t("stats.freshness.country");
  return [
    freshnessTable(
      "bekreftelse-region",
      t("stats.freshness.byRegion"),
      t("stats.freshness.group.region"),
      freshnessByRegion(facts, now, country),
      lang,
    ),
    freshnessTable(
      "bekreftelse-organisasjon",
      t("stats.freshness.byOrganisation"),
      t("stats.freshness.group.organisation"),
      freshnessByOrganisation(facts, now, country),
      lang,
    ),
  ];
}

export function statisticsView(facts: StatisticsFacts, now: Date, lang: Lang = "nb"): StatisticsView {
  const byRegion = statusByRegion(facts, now);
  const { t } = translator(lang);
  const status = (id: "region" | "organisation" | "category" | "phase") =>
    [t(`stats.${id}.title`), t(`stats.${id}.group`), t(`stats.${id}.explanation`)] as const;
  const sections: StatSection[] = [
    statusSection("region", ...status("region"), byRegion, SITE_STATUSES, lang),
    statusSection("organisasjon", ...status("organisation"), statusByOrganisation(facts, now), SITE_STATUSES, lang),
    statusSection("kategori", ...status("category"), statusByCategory(facts, now), STUDY_STATUSES, lang),
    statusSection(
      "fase",
      ...status("phase"),
      statusByPhase(facts, now, (p) =>
        `phase.${p}` in nbMessages ? t(`phase.${p}` as MessageKey) : (PHASE_LABEL[p] ?? p),
      ),
      STUDY_STATUSES,
      lang,
    ),
    monthSection(
      "inklusjon-per-maned",
      t("stats.sitesPerMonth.title"),
      t("stats.sitesPerMonth.value"),
      t("stats.sitesPerMonth.explanation"),
      sitesOpenPerMonth(facts, now),
      lang,
    ),
    monthSection(
      "nye-studier-per-maned",
      t("stats.newPerMonth.title"),
      t("stats.newPerMonth.value"),
      `${t("stats.newPerMonth.explanation")} ${t("stats.newPerMonth.bases", firstPublishedBases(facts))}`,
      newStudiesPerMonth(facts, now),
      lang,
      {
        columns: [t("stats.newPerMonth.bySource"), t("stats.newPerMonth.byPortal")],
        cells: (c) => [c.bySource, c.byPortal],
      },
    ),
  ];
  return {
    total: byRegion.total,
    demoStudies: facts.studies.filter((s) => s.isDemo).length,
    sections,
    freshness: freshnessTables(facts, now, lang),
  };
}

/** The table as CSV rows: header, rows, national row. */
export function tableCsvRows(table: StatTable): CsvCell[][] {
  return [table.columns, ...table.rows, ...(table.foot ? [table.foot] : [])];
}
