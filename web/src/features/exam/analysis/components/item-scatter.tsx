import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { FlagLimits, ItemAnalysis } from '../api/analysis';
import { AXIS_TICK, BRAND, DANGER, INK, MUTED, PAPER } from '../lib/chart-colours';
import { decimal, FLAG_WORDS, itemName, percent, qualityFlags } from '../lib/format';
import { LazyDetails } from './lazy-details';

type Group = 'ok' | 'flagged' | 'thin';

/** Each group differs in shape and colour, so neither alone carries the meaning. */
const GROUPS: Record<Group, { name: string; shape: 'circle' | 'triangle' | 'square'; fill: string; stroke: string }> = {
  ok: { name: 'Within the limits', shape: 'circle', fill: BRAND, stroke: BRAND },
  flagged: { name: 'Flagged', shape: 'triangle', fill: DANGER, stroke: DANGER },
  thin: { name: 'Too few responses to judge', shape: 'square', fill: PAPER, stroke: MUTED },
};

export const groupOf = (item: ItemAnalysis): Group =>
  item.flags.includes('insufficient_data') ? 'thin' : qualityFlags(item.flags).length ? 'flagged' : 'ok';

interface Point {
  facility: number;
  pointBiserial: number;
  item: ItemAnalysis;
}

/** Difficulty against discrimination for every item version with both figures, the flag limits drawn in. */
export function ItemScatter({
  items,
  limits,
  onSelect,
}: {
  items: ItemAnalysis[];
  limits: FlagLimits;
  onSelect: (versionId: string) => void;
}) {
  const plotted = items.filter((i) => i.facility !== null && i.pointBiserial !== null);
  const points = (g: Group): Point[] =>
    plotted.filter((i) => groupOf(i) === g).map((i) => ({ facility: i.facility!, pointBiserial: i.pointBiserial!, item: i }));
  const counts = { ok: points('ok').length, flagged: points('flagged').length, thin: points('thin').length };
  const lowest = Math.min(0, ...plotted.map((i) => i.pointBiserial!));
  const yMin = Math.floor(lowest * 10) / 10;

  return (
    <figure className="analysis-figure">
      <figcaption>
        <strong>Difficulty and discrimination.</strong> {plotted.length} item versions: facility (share of candidates correct) across,
        corrected point-biserial (how well the item separates stronger from weaker candidates) up. Dashed lines mark the flag limits:
        facility {percent(limits.minFacility)} and {percent(limits.maxFacility)}, point-biserial {decimal(limits.minPointBiserial)}.{' '}
        {counts.ok} within the limits (blue circles), {counts.flagged} flagged (red triangles), {counts.thin} with fewer than {limits.minN}{' '}
        responses (outlined squares).
        {plotted.length < items.length && ` ${items.length - plotted.length} more have too few responses to plot.`}
      </figcaption>
      <ul className="analysis-legend" aria-hidden="true">
        {(Object.keys(GROUPS) as Group[]).map((g) => (
          <li key={g}>
            <LegendShape group={g} /> {GROUPS[g].name}
          </li>
        ))}
      </ul>
      <div className="analysis-chart">
        <ResponsiveContainer width="100%" height={360}>
          <ScatterChart
            accessibilityLayer={false}
            role="img"
            aria-label={`Scatter plot of ${plotted.length} items, facility against point-biserial, with the flag limits marked. The data table below lists every point.`}
            margin={{ top: 24, right: 24, bottom: 28, left: 8 }}
          >
            <CartesianGrid stroke="#e3e8ee" />
            <XAxis
              type="number"
              dataKey="facility"
              domain={[0, 1]}
              ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
              tickFormatter={(v: number) => percent(v)}
              tick={AXIS_TICK}
              label={{ value: 'Facility (share correct)', position: 'insideBottom', offset: -18, fill: INK }}
            />
            <YAxis
              type="number"
              dataKey="pointBiserial"
              domain={[yMin, 1]}
              tickFormatter={(v: number) => decimal(v, 1)}
              tick={AXIS_TICK}
              width={52}
              label={{ value: 'Point-biserial', angle: -90, position: 'insideLeft', fill: INK }}
            />
            <ZAxis range={[70, 70]} />
            <ReferenceLine
              x={limits.minFacility}
              stroke={INK}
              strokeDasharray="6 4"
              label={{ value: `${percent(limits.minFacility)}`, position: 'top', fill: INK }}
            />
            <ReferenceLine
              x={limits.maxFacility}
              stroke={INK}
              strokeDasharray="6 4"
              label={{ value: `${percent(limits.maxFacility)}`, position: 'top', fill: INK }}
            />
            <ReferenceLine
              y={limits.minPointBiserial}
              stroke={INK}
              strokeDasharray="6 4"
              label={{ value: `r ${decimal(limits.minPointBiserial)}`, position: 'insideBottomLeft', fill: INK }}
            />
            <Tooltip cursor={{ strokeDasharray: '3 3' }} content={<PointTooltip />} />
            {(Object.keys(GROUPS) as Group[]).map((g) => (
              <Scatter
                key={g}
                name={GROUPS[g].name}
                data={points(g)}
                shape={GROUPS[g].shape}
                fill={GROUPS[g].fill}
                stroke={GROUPS[g].stroke}
                strokeWidth={1.5}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(p: unknown) => {
                  const item = (p as { payload?: Point }).payload?.item;
                  if (item) onSelect(item.versionId);
                }}
              />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <LazyDetails summary="Data table: facility and point-biserial per item">
        <table className="analysis-compact">
          <caption>Items in the scatter plot</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Facility</th>
              <th scope="col">Point-biserial</th>
              <th scope="col">Group</th>
            </tr>
          </thead>
          <tbody>
            {plotted.map((i) => (
              <tr key={i.versionId}>
                <th scope="row">{itemName(i)}</th>
                <td>{percent(i.facility)}</td>
                <td>{decimal(i.pointBiserial)}</td>
                <td>
                  {GROUPS[groupOf(i)].name}
                  {groupOf(i) === 'flagged' &&
                    `: ${qualityFlags(i.flags)
                      .map((f) => FLAG_WORDS[f])
                      .join(', ')}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </LazyDetails>
    </figure>
  );
}

function LegendShape({ group }: { group: Group }) {
  const { fill, stroke, shape } = GROUPS[group];
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" focusable="false">
      {shape === 'circle' && <circle cx="7" cy="7" r="6" fill={fill} stroke={stroke} />}
      {shape === 'triangle' && <polygon points="7,1 13,13 1,13" fill={fill} stroke={stroke} />}
      {shape === 'square' && <rect x="1.5" y="1.5" width="11" height="11" fill={fill} stroke={stroke} strokeWidth="1.5" />}
    </svg>
  );
}

function PointTooltip({ active, payload }: { active?: boolean; payload?: Array<{ payload?: Point }> }) {
  const point = active ? payload?.[0]?.payload : undefined;
  if (!point) return null;
  const { item } = point;
  return (
    <div className="analysis-tooltip">
      <strong>{itemName(item)}</strong> ({item.domain})
      <br />
      Facility {percent(item.facility)}, point-biserial {decimal(item.pointBiserial)}, n {item.n}
      {item.flags.length > 0 && (
        <>
          <br />
          {item.flags.map((f) => FLAG_WORDS[f]).join(', ')}
        </>
      )}
    </div>
  );
}
