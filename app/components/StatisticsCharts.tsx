/**
 * Charts drawn as SVG on the server (no chart script): each is role="img" named and described by
 * its own <title> and <desc> (aria-labelledby), and every chart is followed on the page by a
 * table with the same numbers, so nothing is only in the picture. Colours are the status colours
 * of the status badges; segments also differ in lightness and the legend names them.
 */
import type { StudyStatus } from "#app/domain/inclusion-status";
import { niceScale } from "#app/views/chart-scale";
import { useTranslator } from "#app/i18n/use-translator";
import type { ColumnChart, StackedChart } from "#app/views/statistics";

const COLOUR: Record<StudyStatus, string> = {
  open: "#0b6b2f",
  planned: "#3b78c2",
  paused: "#c27c0e",
  invitation: "#2d7d74",
  unknown: "#8c6d1f",
  closed: "#6b7178",
  no_sites: "#8a4f9e",
};

interface Named {
  id: string;
  title: string;
  summary: string;
}

function Titles({ id, title, summary }: Named) {
  return (
    <>
      <title id={`${id}-tittel`}>{title}</title>
      <desc id={`${id}-beskrivelse`}>{summary}</desc>
    </>
  );
}

const WIDTH = 760;

/** Legend entries left to right, wrapping to a new line before the right edge. */
function legendLayout(labels: string[], startX: number): { x: number; y: number }[] {
  let x = startX;
  let y = 0;
  return labels.map((label) => {
    const width = 20 + label.length * 7 + 18; // swatch + text at 13px + gap
    if (x + width > WIDTH && x > startX) {
      x = startX;
      y += 20;
    }
    const at = { x, y };
    x += width;
    return at;
  });
}
const LABEL_W = 250;
const RIGHT = 40;

export function StackedBarChart({ id, title, summary, chart }: Named & { chart: StackedChart }) {
  const { t } = useTranslator();
  const STATUS_LABEL = (s: StudyStatus) => t(`status.label.${s}`);
  const row = 26;
  const legend = legendLayout(
    chart.statuses.map((st) => STATUS_LABEL(st)),
    8,
  );
  const top = 44 + legend.at(-1)!.y;
  const height = top + chart.bars.length * row + 28;
  const max = Math.max(0, ...chart.bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const scale = niceScale(max);
  const plotW = WIDTH - LABEL_W - RIGHT;
  const x = (v: number) => LABEL_W + (v / scale.top) * plotW;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-tittel ${id}-beskrivelse`}
      focusable="false"
    >
      <Titles id={id} title={title} summary={summary} />
      <g className="chart-legend">
        {chart.statuses.map((s, i) => {
          const at = legend[i]!;
          return (
            <g key={s} transform={`translate(${at.x} ${8 + at.y})`}>
              <rect width="14" height="14" fill={COLOUR[s]} />
              <text x="20" y="12">
                {STATUS_LABEL(s)}
              </text>
            </g>
          );
        })}
      </g>
      {scale.ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top - 6} y2={height - 24} className="chart-grid" />
          <text x={x(t)} y={height - 8} textAnchor="middle" className="chart-axis">
            {t}
          </text>
        </g>
      ))}
      {chart.bars.map((bar, i) => {
        const y = top + i * row;
        let start = 0;
        const total = bar.values.reduce((a, v) => a + v, 0);
        return (
          <g key={bar.label}>
            <text x={LABEL_W - 8} y={y + 15} textAnchor="end" className="chart-label">
              {bar.label.length > 34 ? `${bar.label.slice(0, 33)}…` : bar.label}
            </text>
            {bar.values.map((v, j) => {
              const from = start;
              start += v;
              return v > 0 ? (
                <rect
                  key={j}
                  x={x(from)}
                  y={y + 3}
                  width={x(from + v) - x(from)}
                  height={row - 8}
                  fill={COLOUR[chart.statuses[j]!]}
                />
              ) : null;
            })}
            <text x={x(total) + 6} y={y + 15} className="chart-value">
              {total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const WHEN_COLOUR = { past: "#0b4f8a", current: "#0b6b2f", future: "#9bb8d6" } as const;

export function MonthColumnChart({ id, title, summary, chart }: Named & { chart: ColumnChart }) {
  const { t } = useTranslator();
  const WHEN_LABEL = {
    past: t("stats.chart.past"),
    current: t("stats.chart.current"),
    future: t("stats.chart.future"),
  };
  const height = 280;
  const left = 44;
  const top = 40;
  const bottom = height - 44;
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const scale = niceScale(max);
  const slot = (WIDTH - left - 12) / chart.bars.length;
  const y = (v: number) => bottom - (v / scale.top) * (bottom - top);
  const whens = (["past", "current", "future"] as const).filter((w) => chart.bars.some((b) => b.when === w));
  const legend = legendLayout(
    whens.map((w) => WHEN_LABEL[w]),
    left,
  );
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-tittel ${id}-beskrivelse`}
      focusable="false"
    >
      <Titles id={id} title={title} summary={summary} />
      <g className="chart-legend">
        {whens.map((w, i) => {
          const at = legend[i]!;
          return (
            <g key={w} transform={`translate(${at.x} ${8 + at.y})`}>
              <rect width="14" height="14" fill={WHEN_COLOUR[w]} />
              <text x="20" y="12">
                {WHEN_LABEL[w]}
              </text>
            </g>
          );
        })}
      </g>
      {scale.ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={WIDTH - 12} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">
            {t}
          </text>
        </g>
      ))}
      {chart.bars.map((bar, i) => {
        const x = left + i * slot;
        return (
          <g key={bar.month}>
            {bar.value > 0 ? (
              <rect
                x={x + 2}
                y={y(bar.value)}
                width={Math.max(1, slot - 4)}
                height={bottom - y(bar.value)}
                fill={WHEN_COLOUR[bar.when]}
              />
            ) : null}
            {i % 3 === 0 || bar.when === "current" ? (
              <text
                x={x + slot / 2}
                y={bottom + 16}
                textAnchor="middle"
                className={bar.when === "current" ? "chart-axis chart-now" : "chart-axis"}
              >
                {bar.short}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={left} x2={WIDTH - 12} y1={bottom} y2={bottom} className="chart-baseline" />
    </svg>
  );
}
