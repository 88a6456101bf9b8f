import { Bar, BarChart, type BarShapeProps, CartesianGrid, Rectangle, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { StudyResult } from '../api/studies';
import { formatPercent } from '../lib/format';

const INK = '#1b1f24';
const BAR_COUNTED = '#0b5cad';
const BAR_LEFT_OUT = '#6b7c93';
const CUT = '#a4161a';

/**
 * Each rater's cut as a bar, the recommended cut as a solid line with its range shaded, and the pass
 * mark in use as a dashed line. The SVG is one image with a summary; the rater table gives every figure.
 */
export function RaterCutsChart({ result, passMarkPercent }: { result: StudyResult; passMarkPercent: number }) {
  const data = result.raters.map((r) => ({ name: r.counted ? r.name : `${r.name} (not counted)`, cut: r.cutPercent, counted: r.counted }));
  const cuts = result.raters.map((r) => r.cutPercent);
  const summary =
    `Raters’ cuts from ${formatPercent(Math.min(...cuts))} to ${formatPercent(Math.max(...cuts))}; ` +
    `recommended cut ${formatPercent(result.cutPercent)} (range ${formatPercent(result.lowPercent)} to ${formatPercent(result.highPercent)}); ` +
    `pass mark in use ${formatPercent(passMarkPercent)}.`;
  return (
    <figure className="angoff-figure">
      <figcaption>
        Each rater’s cut (the mean of their ratings), with the recommended cut as a solid line, its range shaded, and the pass mark in use
        as a dashed line. {summary} The table above lists every rater’s figures.
      </figcaption>
      <BarChart
        layout="vertical"
        data={data}
        responsive
        accessibilityLayer={false}
        role="img"
        aria-label={summary}
        style={{ width: '100%', maxWidth: '44rem', height: 100 + 36 * data.length }}
        margin={{ top: 48, right: 32, bottom: 8, left: 8 }}
      >
        <CartesianGrid horizontal={false} stroke="#c9d1db" />
        <XAxis type="number" domain={[0, 100]} ticks={[0, 20, 40, 60, 80, 100]} unit="%" stroke={INK} tick={{ fill: INK }} />
        <YAxis type="category" dataKey="name" width={170} stroke={INK} tick={{ fill: INK }} />
        <ReferenceArea x1={result.lowPercent} x2={result.highPercent} fill={CUT} fillOpacity={0.12} stroke="none" />
        {/* A rater left out of the cut gets a grey bar, and "(not counted)" after the name. */}
        <Bar
          dataKey="cut"
          isAnimationActive={false}
          shape={(bar: BarShapeProps) => <Rectangle {...bar} fill={bar.payload?.counted ? BAR_COUNTED : BAR_LEFT_OUT} />}
        />
        <ReferenceLine
          x={result.cutPercent}
          stroke={CUT}
          strokeWidth={3}
          label={{ value: `Cut ${formatPercent(result.cutPercent)}`, position: 'top', offset: 6, fill: CUT, fontWeight: 700 }}
        />
        <ReferenceLine
          x={passMarkPercent}
          stroke={INK}
          strokeWidth={2}
          strokeDasharray="6 4"
          // Stacked above the cut's label, so the two never overlap however close they are.
          label={{ value: `In use ${formatPercent(passMarkPercent)}`, position: 'top', offset: 26, fill: INK }}
        />
      </BarChart>
    </figure>
  );
}
