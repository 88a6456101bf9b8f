import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExamAnalysis } from '../api/analysis';
import { AXIS_TICK, BRAND, INK, LINE, MUTED } from '../lib/chart-colours';
import { decimal, percent } from '../lib/format';
import { LazyDetails } from './lazy-details';

/** Attempts per raw score with the cut score marked; below and above the cut differ in fill as well as in position. */
export function ScoreHistogram({ scores }: Pick<ExamAnalysis, 'scores'>) {
  const { n, maxScore, cutScore, passMarkPercent, histogram, mean, sd, passRate } = scores;
  const data = histogram.map((attempts, score) => ({
    score,
    below: score < cutScore ? attempts : 0,
    atOrAbove: score >= cutScore ? attempts : 0,
    attempts,
  }));
  return (
    <figure className="analysis-figure">
      <figcaption>
        <strong>Score distribution.</strong> Scores of {n} finished {n === 1 ? 'attempt' : 'attempts'} out of {maxScore} scored questions.
        The cut score is {cutScore} ({passMarkPercent}%), marked by the dashed line: solid bars from {cutScore} up are passes, outlined bars
        below it are fails. Pass rate {percent(passRate, 1)}, mean {decimal(mean, 1)}, SD {decimal(sd)}.
      </figcaption>
      <div className="analysis-chart">
        <ResponsiveContainer width="100%" height={280}>
          <BarChart
            data={data}
            accessibilityLayer={false}
            role="img"
            aria-label={`Bar chart of attempts per score from 0 to ${maxScore}, with the cut score ${cutScore} marked. The data table below lists every bar.`}
            margin={{ top: 24, right: 16, bottom: 24, left: 8 }}
          >
            <CartesianGrid stroke={LINE} strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="score"
              tick={AXIS_TICK}
              label={{ value: 'Score (scored questions correct)', position: 'insideBottom', offset: -16, fill: INK }}
            />
            <YAxis
              allowDecimals={false}
              tick={AXIS_TICK}
              width={48}
              label={{ value: 'Attempts', angle: -90, position: 'insideLeft', fill: INK }}
            />
            <Tooltip
              cursor={{ fill: '#eaf2fb' }}
              formatter={(value, name) => [value, name === 'below' ? 'Attempts (fail)' : 'Attempts (pass)']}
              labelFormatter={(score) => `Score ${score}`}
            />
            <Bar dataKey="below" stackId="score" fill={LINE} stroke={MUTED} isAnimationActive={false} />
            <Bar dataKey="atOrAbove" stackId="score" fill={BRAND} isAnimationActive={false} />
            <ReferenceLine
              x={cutScore}
              stroke={INK}
              strokeWidth={2}
              strokeDasharray="6 4"
              label={{ value: `Cut score ${cutScore}`, position: 'top', fill: INK, fontSize: 13 }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <LazyDetails summary="Data table: attempts per score">
        <table className="analysis-compact">
          <caption>Attempts per score (cut score {cutScore})</caption>
          <thead>
            <tr>
              <th scope="col">Score</th>
              <th scope="col">Attempts</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.score}>
                <th scope="row">{d.score}</th>
                <td>{d.attempts}</td>
                <td>{d.score >= cutScore ? 'pass' : 'fail'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </LazyDetails>
    </figure>
  );
}
