import { useEffect, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { FlagLimits, ItemAnalysis } from '../api/analysis';
import { AXIS_TICK, BRAND, INK, LINE, MUTED } from '../lib/chart-colours';
import { decimal, flagExplanation, FLAG_WORDS, itemName, percent, ROLE_WORDS } from '../lib/format';
import { LazyDetails } from './lazy-details';

const letter = (option: string) => option.toUpperCase();

/** What one option tells about the item, in words, beside its figures. */
function optionNote(o: ItemAnalysis['options'][number], limits: FlagLimits, n: number): string {
  if (n < limits.minN) return '';
  if (o.key) return o.correlation !== null && o.correlation < limits.minPointBiserial ? 'key: weakly related to the rest score' : 'key';
  const notes = [];
  if (o.share < limits.minDistractorShare) notes.push('weak distractor: hardly chosen');
  if (o.correlation !== null && o.correlation > limits.maxDistractorCorrelation) notes.push('chosen more by stronger candidates');
  return notes.join('; ');
}

/** One item version in detail: its stem, options with the key, and how candidates chose among them. Takes focus when opened. */
export function ItemDetails({
  item,
  limits,
  domainTitle,
  onClose,
}: {
  item: ItemAnalysis;
  limits: FlagLimits;
  domainTitle?: string;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [item.versionId]);

  const options = [...item.options].sort((a, b) => a.option.localeCompare(b.option));
  const data = options.map((o) => ({
    label: `${letter(o.option)}${o.key ? ' (key)' : ''}`,
    share: o.share,
    correlation: o.correlation,
    key: o.key,
  }));
  const key = options.find((o) => o.key);
  const corrLow = Math.min(-0.2, ...item.options.map((o) => o.correlation ?? 0));

  return (
    <section className="analysis-details" aria-labelledby="analysis-details-heading">
      <h2 id="analysis-details-heading" ref={heading} tabIndex={-1}>
        Item {itemName(item)}
      </h2>
      <p>
        <button type="button" className="button-secondary" onClick={onClose}>
          Close the item details
        </button>
      </p>
      <dl className="meta">
        <dt>Domain</dt>
        <dd>
          {item.domain} {domainTitle}, criterion {item.criterion}
        </dd>
        <dt>Nominal difficulty</dt>
        <dd>{item.difficulty}</dd>
        <dt>Status in the bank</dt>
        <dd>
          {item.status}
          {item.current ? ' (current version)' : ' (an older version; the item has changed since)'}
        </dd>
        <dt>Counted as</dt>
        <dd>{ROLE_WORDS[item.role]}</dd>
        <dt>Responses</dt>
        <dd>
          {item.n} ({percent(item.omitted)} left unanswered); drawn onto {item.exposure} forms in all windows
        </dd>
        <dt>Facility</dt>
        <dd>{percent(item.facility)} correct</dd>
        <dt>Point-biserial</dt>
        <dd>{decimal(item.pointBiserial)}</dd>
        <dt>Upper–lower index</dt>
        <dd>{decimal(item.upperLower)}</dd>
        <dt>Flags</dt>
        <dd>
          {item.flags.length === 0 ? (
            'none: the item is within every limit'
          ) : (
            <ul className="analysis-flag-list">
              {item.flags.map((f) => (
                <li key={f}>
                  <strong>{FLAG_WORDS[f]}</strong>: {flagExplanation(f, limits)}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <h3>Stem</h3>
      <p className="analysis-stem">{item.stem}</p>
      <h3>Options</h3>
      <ol className="analysis-options" type="A">
        {options.map((o) => (
          <li key={o.option} className={o.key ? 'analysis-key' : undefined}>
            {o.text}
            {o.key && <strong className="analysis-key-mark"> Key (correct answer)</strong>}
          </li>
        ))}
      </ol>

      <figure className="analysis-figure">
        <figcaption>
          <strong>How candidates chose.</strong> The share of the {item.n} candidates who chose each option, and each option's correlation
          with the rest score (positive means stronger candidates chose it more). Key: option {key ? letter(key.option) : '—'}, chosen by{' '}
          {percent(key?.share)}, correlation {decimal(key?.correlation)}.
        </figcaption>
        <div className="analysis-chart-pair">
          <div className="analysis-chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                data={data}
                accessibilityLayer={false}
                role="img"
                aria-label="Bar chart of the share of candidates choosing each option; the data table below gives every value."
                margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
              >
                <CartesianGrid stroke={LINE} strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={AXIS_TICK} />
                <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} tick={AXIS_TICK} width={48} />
                <Bar dataKey="share" name="Share choosing" isAnimationActive={false} fill={BRAND} />
              </BarChart>
            </ResponsiveContainer>
            <p className="hint analysis-chart-title" aria-hidden="true">
              Share choosing each option
            </p>
          </div>
          <div className="analysis-chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                data={data}
                accessibilityLayer={false}
                role="img"
                aria-label="Bar chart of each option's correlation with the rest score; the data table below gives every value."
                margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
              >
                <CartesianGrid stroke={LINE} strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={AXIS_TICK} />
                <YAxis
                  domain={[Math.floor(corrLow * 10) / 10, 1]}
                  tickFormatter={(v: number) => decimal(v, 1)}
                  tick={AXIS_TICK}
                  width={48}
                />
                <ReferenceLine y={0} stroke={INK} />
                <Bar dataKey="correlation" name="Option–rest correlation" isAnimationActive={false} fill={MUTED} />
              </BarChart>
            </ResponsiveContainer>
            <p className="hint analysis-chart-title" aria-hidden="true">
              Option–total correlation
            </p>
          </div>
        </div>
        <LazyDetails summary="Data table: options">
          <table className="analysis-compact">
            <caption>Options of {itemName(item)}</caption>
            <thead>
              <tr>
                <th scope="col">Option</th>
                <th scope="col">Key</th>
                <th scope="col">Chosen by</th>
                <th scope="col">Correlation with the rest score</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {options.map((o) => (
                <tr key={o.option}>
                  <th scope="row">{letter(o.option)}</th>
                  <td>{o.key ? 'yes' : 'no'}</td>
                  <td>{percent(o.share)}</td>
                  <td>{decimal(o.correlation)}</td>
                  <td>{optionNote(o, limits, item.n) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </LazyDetails>
      </figure>
    </section>
  );
}
