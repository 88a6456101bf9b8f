import type { StudyResult as Result } from '../api/studies';
import { formatPercent } from '../lib/format';
import { RaterCutsChart } from './rater-cuts-chart';

/** The recommended cut with its uncertainty, each rater's cut, and the pass mark it would replace. */
export function StudyResult({ result }: { result: Result }) {
  const left = result.raters.filter((r) => !r.counted);
  return (
    <section aria-labelledby="angoff-result-heading">
      <h2 id="angoff-result-heading">Result</h2>
      <p className="angoff-cut">
        Recommended cut: <strong>{formatPercent(result.cutPercent)}</strong>, that is{' '}
        <strong>
          {result.cutRaw} of {result.formLength}
        </strong>{' '}
        questions correct on a form of {result.formLength} questions.
      </p>
      <dl className="meta">
        <dt>{result.semRaw === null ? 'Range (± 1 standard error of the cut)' : 'Range (± 1 SEM)'}</dt>
        <dd>
          {formatPercent(result.lowPercent)} to {formatPercent(result.highPercent)}
          {result.semRaw === null
            ? ' (no SEM of the exam is known yet, so the raters’ standard error is used)'
            : ` (SEM ${Number(result.semRaw.toFixed(2))} points on a ${result.formLength}-question form)`}
        </dd>
        <dt>Raters’ spread (SD of their cuts)</dt>
        <dd>{Number(result.raterSdPercent.toFixed(2))} percentage points</dd>
        <dt>Standard error of the cut</dt>
        <dd>{Number(result.standardErrorPercent.toFixed(2))} percentage points</dd>
        <dt>Pass mark in use when the study closed</dt>
        <dd>{formatPercent(result.passMarkInUsePercent)}</dd>
      </dl>
      {left.length > 0 && <p>Not counted in the cut, because they did not rate every item: {left.map((r) => r.name).join(', ')}.</p>}
      <table>
        <caption>Each rater’s cut: the mean of their round-2 ratings</caption>
        <thead>
          <tr>
            <th scope="col">Rater</th>
            <th scope="col">Cut</th>
            <th scope="col">Items rated</th>
            <th scope="col">Counted in the cut</th>
          </tr>
        </thead>
        <tbody>
          {result.raters.map((r) => (
            <tr key={r.raterId}>
              <th scope="row">{r.name}</th>
              <td>{formatPercent(r.cutPercent)}</td>
              <td>{r.rated}</td>
              <td>{r.counted ? 'Yes' : 'No, not every item rated'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RaterCutsChart result={result} passMarkPercent={result.passMarkInUsePercent} />
    </section>
  );
}
