import { Link, Navigate, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useAttempt } from '../api/attempt';
import { useFrameworkDomains } from '../lib/use-domain-titles';

export function ResultPage() {
  const { attemptId = '' } = useParams();
  const attempt = useAttempt(attemptId);
  const domains = useFrameworkDomains();
  if (attempt.error) {
    return (
      <Page title="Result">
        <Alert>{attempt.error.message}</Alert>
      </Page>
    );
  }
  if (!attempt.data) return <p role="status">Loading your result…</p>;
  if (attempt.data.status === 'in_progress') return <Navigate to={`/candidate/aida/attempts/${attemptId}`} replace />;
  const result = attempt.data.result;
  if (!result) return <p role="status">Scoring…</p>;

  // What to study next: the weakest domains of this attempt (lowest share correct).
  const weakest = [...result.domains]
    .filter((d) => d.correct < d.total)
    .sort((a, b) => a.correct / a.total - b.correct / b.total)
    .slice(0, 3);

  return (
    <Page title={result.passed ? 'You passed the AIDA examination' : 'You did not pass this time'}>
      {attempt.data.status === 'expired' && (
        <Alert kind="info">Time ran out: the attempt was scored with the answers saved by the deadline.</Alert>
      )}
      <p className={`result-banner ${result.passed ? 'result-pass' : 'result-fail'}`}>
        <strong>{result.passed ? 'Pass' : 'Fail'}</strong> — {result.correct} of {result.total} correct ({result.scorePercent}%). The pass
        mark is {result.passMarkPercent}%.
      </p>
      {result.passed &&
        (result.certificateNumber ? (
          <p>
            Your certificate {result.certificateNumber} is ready in <Link to="/candidate/certificates">My certificates</Link>.
          </p>
        ) : (
          <p>
            Your certificate is being issued; it will appear in <Link to="/candidate/certificates">My certificates</Link> in a moment.
          </p>
        ))}
      {!result.passed && result.retakeAfter && (
        <p>
          You can retake the examination from <strong>{new Date(result.retakeAfter).toLocaleString()}</strong>.
        </p>
      )}
      <h2>Results by domain</h2>
      <table>
        <caption className="visually-hidden">Correct answers per PSF domain</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Correct</th>
          </tr>
        </thead>
        <tbody>
          {result.domains.map((d) => (
            <tr key={d.code}>
              <td>
                {d.code} {d.title}
              </td>
              <td>
                {d.correct} of {d.total}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {weakest.length > 0 && (
        <>
          <h2>What to study next</h2>
          <ul>
            {weakest.map((d) => (
              <li key={d.code}>
                <strong>
                  {d.code} {d.title}
                </strong>{' '}
                ({d.correct} of {d.total}): {domains.find((f) => f.code === d.code)?.summary}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to="/candidate/aida">Back to the AIDA examination</Link>
      </p>
    </Page>
  );
}
