import { useId } from 'react';
import { labelEvery, niceMax, ticks } from '../lib/chart-scale';

export interface BarSeries {
  name: string;
  values: number[];
  /** Solid or striped: the two series of a chart differ in pattern as well as colour (WCAG 1.4.1). */
  look: 'solid' | 'striped';
}

// Plot area in the SVG's own units; the SVG scales to the width it is given.
const WIDTH = 480;
const HEIGHT = 220;
const LEFT = 36;
const BOTTOM = 40;
const TOP = 10;
const RIGHT = 8;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
// Roughly how many category labels fit under the axis without overlapping.
const LABEL_ROOM = 8;

/**
 * A bar chart drawn as plain SVG: `role="img"` with a summary for screen readers, the values in a data
 * table behind a "Show data table" disclosure for everyone, a legend in words, and colours with at least
 * 3:1 contrast on white (the brand blue and the success green).
 */
export function BarChart({
  title,
  summary,
  categoryHeader,
  categories,
  categoryLabels,
  series,
  note,
}: {
  title: string;
  /** What the chart shows, in a sentence or two: the image's accessible name. */
  summary: string;
  /** The data table's first column heading (e.g. "Day"). */
  categoryHeader: string;
  categories: string[];
  /** Shorter labels under the bars (the table keeps the full ones); a line break starts a second line. */
  categoryLabels?: string[];
  series: BarSeries[];
  /** A line under the chart on how to read it. */
  note?: string;
}) {
  const id = useId();
  const patternId = `${id}-stripes`.replace(/:/g, '');
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
  const slot = PLOT_W / Math.max(1, categories.length);
  const barWidth = Math.max(1, (slot * 0.8) / series.length);
  const every = labelEvery(categories.length, LABEL_ROOM);
  const labels = categoryLabels ?? categories;

  return (
    <section className="dash-chart" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{title}</h4>
      {series.length > 1 && (
        <ul className="dash-legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name}>
              <svg width="16" height="16" viewBox="0 0 16 16" focusable="false">
                <rect
                  x="1"
                  y="1"
                  width="14"
                  height="14"
                  className={`dash-bar dash-bar-${s.look}`}
                  fill={s.look === 'striped' ? `url(#${patternId})` : undefined}
                />
              </svg>{' '}
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg
        className="dash-chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        <defs>
          <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="dash-stripe-ground" />
            <rect width="2.5" height="6" className="dash-stripe" />
          </pattern>
        </defs>
        {ticks(top).map((t) => (
          <g key={t}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} className="dash-gridline" />
            <text x={LEFT - 6} y={y(t) + 4} textAnchor="end" className="dash-axis-text">
              {t}
            </text>
          </g>
        ))}
        {categories.map((c, i) => (
          <g key={c}>
            {series.map((s, j) => {
              const v = s.values[i] ?? 0;
              if (v === 0) return null;
              const x = LEFT + i * slot + slot * 0.1 + j * barWidth;
              return (
                <rect
                  key={s.name}
                  x={x}
                  y={y(v)}
                  width={barWidth}
                  height={TOP + PLOT_H - y(v)}
                  className={`dash-bar dash-bar-${s.look}`}
                  fill={s.look === 'striped' ? `url(#${patternId})` : undefined}
                />
              );
            })}
            {i % every === 0 && (
              <text y={HEIGHT - BOTTOM + 16} textAnchor="middle" className="dash-axis-text">
                {labels[i].split('\n').map((line, k) => (
                  <tspan key={k} x={LEFT + i * slot + slot / 2} dy={k === 0 ? 0 : 15}>
                    {line}
                  </tspan>
                ))}
              </text>
            )}
          </g>
        ))}
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + PLOT_H} y2={TOP + PLOT_H} className="dash-axis" />
      </svg>
      {note && <p className="dash-chart-note">{note}</p>}
      <details className="dash-data">
        <summary>Show data table</summary>
        {/* Focusable, so a keyboard can scroll a long table (a year of days). */}
        <div className="dash-table-scroll" role="region" aria-label={`${title}, data table`} tabIndex={0}>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{categoryHeader}</th>
                {series.map((s) => (
                  <th key={s.name} scope="col">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map((c, i) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  {series.map((s) => (
                    <td key={s.name}>{s.values[i] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
