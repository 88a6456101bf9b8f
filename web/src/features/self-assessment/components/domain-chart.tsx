import { type DomainScore, isStrong } from '../lib/scoring';

/**
 * The scores per domain as a table whose score cell carries a bar: the bar is drawn for the eye only
 * (aria-hidden), the numbers beside it are text, and "Strong" is written out, so nothing depends on colour
 * or on seeing the bar.
 */
export function DomainChart({ scores }: { scores: DomainScore[] }) {
  return (
    <table className="sa-chart">
      <caption>Score per domain (out of 3 points per criterion; unrated criteria count 0)</caption>
      <thead>
        <tr>
          <th scope="col">Domain</th>
          <th scope="col">Score</th>
          <th scope="col">Rated</th>
        </tr>
      </thead>
      <tbody>
        {scores.map((d) => (
          <tr key={d.code}>
            <th scope="row">
              <span className="sa-code">{d.code}</span> {d.title}
            </th>
            <td>
              <div className="sa-bar" aria-hidden="true">
                <div className="sa-bar-fill" style={{ width: `${d.percent}%` }} />
              </div>
              <span className="sa-score">
                {d.points} of {d.maxPoints} ({d.percent}%){isStrong(d) ? ' · Strong' : ''}
              </span>
            </td>
            <td>
              {d.rated} of {d.criteria}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
