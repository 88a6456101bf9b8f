import { Link } from 'react-router';
import type { ExamWindow } from '../api/analysis';
import { SOURCE_WORDS, windowLabel, windowStart } from '../lib/format';
import { LazyDetails } from './lazy-details';

/** The pass mark the figures are judged against, always with where it came from. */
export function PassMarkSummary({ window, windows }: { window: ExamWindow | null; windows: ExamWindow[] }) {
  const current = windows.find((w) => w.current);
  const shown = window ?? current;
  return (
    <section className="analysis-pass-mark" aria-labelledby="analysis-pass-mark-heading">
      <h2 id="analysis-pass-mark-heading">Pass mark in use</h2>
      {!window && <p>All windows are analysed together; pass or fail is judged at the current window's pass mark.</p>}
      {shown && (
        <p className="analysis-pass-mark-value">
          <strong>{shown.passMarkPercent}%</strong>, {SOURCE_WORDS[shown.source]}
          {shown.source !== 'blueprint' && shown.decidedBy && <> ({shown.decidedBy})</>}, in force from {windowStart(shown)}.
        </p>
      )}
      {shown?.reason && (
        <p>
          {shown.source === 'blueprint' ? 'Note' : 'Reason'}: <q>{shown.reason}</q>
        </p>
      )}
      {shown?.source === 'standard_setting' && shown.studyId && (
        <p>
          <Link to={`/admin/exam/standard-setting/${shown.studyId}`}>The standard-setting study behind this pass mark</Link>
        </p>
      )}
      {windows.length > 1 && (
        <LazyDetails summary={<>Every exam window ({windows.length})</>}>
          <table>
            <caption className="visually-hidden">Exam windows, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Window</th>
                <th scope="col">Pass mark source</th>
                <th scope="col">Decided by</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {windows.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    {windowLabel(w)}
                    {w.current ? ' (current)' : ''}
                  </th>
                  <td>{SOURCE_WORDS[w.source]}</td>
                  <td>{w.decidedBy ?? '—'}</td>
                  <td>{w.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </LazyDetails>
      )}
    </section>
  );
}
