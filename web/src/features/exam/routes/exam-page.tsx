import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { startAttempt } from '../api/attempt';
import { AboutYouForm } from '../components/about-you-form';
import { useExamInfo, useMyAttempts } from '../api/exam';
import { formatDuration } from '../lib/server-clock';
import { useDomainTitles } from '../lib/use-domain-titles';

export function ExamPage() {
  const info = useExamInfo();
  const attempts = useMyAttempts();
  const titles = useDomainTitles();
  const navigate = useNavigate();
  const start = useMutation({ mutationFn: startAttempt, onSuccess: (a) => navigate(`/candidate/aida/attempts/${a.id}`) });
  const e = info.data?.eligibility;

  return (
    <Page title="AIDA examination">
      {info.error && <Alert>{info.error.message}</Alert>}
      {info.data && (
        <>
          <h2>How it works</h2>
          <ul>
            <li>
              {info.data.formLength} multiple-choice questions across the eight PSF domains, one best answer each.
              {info.data.formLength > info.data.questionCount &&
                ` ${info.data.questionCount} of them count towards your result; the other ${info.data.formLength - info.data.questionCount} are trial questions being tried out for future exams. They look like the others, so answer every question as well as you can.`}
            </li>
            <li>
              Time limit: <strong>{formatDuration(info.data.yourTimeLimitSeconds)}</strong>
              {info.data.yourTimeLimitSeconds !== info.data.timeLimitSeconds &&
                ` (standard ${formatDuration(info.data.timeLimitSeconds)}, extended by your accommodation)`}
              . The clock is the server's and keeps running if you close the page; the attempt is scored when time runs out.
            </li>
            <li>Pass mark: {info.data.passMarkPercent}%. Every answer is saved as you go, even if your connection drops.</li>
            <li>You can flag questions and review them before you submit.</li>
          </ul>
          <h2>Questions per domain</h2>
          <table>
            <caption className="visually-hidden">Blueprint: questions per domain</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Questions</th>
              </tr>
            </thead>
            <tbody>
              {info.data.blueprint.map((b) => (
                <tr key={b.domain}>
                  <td>
                    {b.domain} {titles.get(b.domain)}
                  </td>
                  <td>{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <AboutYouForm />
          <h2>Your attempt</h2>
          {start.error && <Alert>{start.error.message}</Alert>}
          {e?.canStart && (
            <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
              {start.isPending ? 'Starting…' : 'Start the examination'}
            </button>
          )}
          {e?.attemptId && (
            <p>
              <Link className="button" to={`/candidate/aida/attempts/${e.attemptId}`}>
                Resume your attempt
              </Link>
            </p>
          )}
          {!e?.canStart && !e?.attemptId && (
            <Alert kind="info">
              {e?.reason}
              {e?.retryAfter && <> You can start a new attempt on {new Date(e.retryAfter).toLocaleString()}.</>}
            </Alert>
          )}
        </>
      )}
      {!!attempts.data?.length && (
        <>
          <h2>Earlier attempts</h2>
          <table>
            <caption className="visually-hidden">Your attempts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {attempts.data.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/candidate/aida/attempts/${a.id}${a.status === 'in_progress' ? '' : '/result'}`}>
                      {new Date(a.startedAt).toLocaleString()}
                    </Link>
                  </td>
                  <td>{a.status === 'in_progress' ? 'in progress' : a.status}</td>
                  <td>{a.scorePercent === null ? '—' : `${a.scorePercent}% (${a.passed ? 'pass' : 'fail'})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}
