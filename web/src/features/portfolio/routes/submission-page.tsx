import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useFeedback, useFileAppeal } from '../api/portfolio';
import { VersionChanges } from '../components/version-changes';

const OUTCOME: Record<string, string> = {
  pass: 'Passed: your certificate is issued under My certificates.',
  revise: 'Revise: improve the portfolio and submit a new version before the deadline below.',
  fail: 'Not passed.',
};

export function SubmissionPage() {
  const { submissionId = '' } = useParams();
  const feedback = useFeedback(submissionId);
  const f = feedback.data;
  return (
    <Page title="Portfolio status and feedback">
      {feedback.error && <Alert>{feedback.error.message}</Alert>}
      {f && (
        <>
          <dl className="meta">
            <dt>Credential</dt>
            <dd>
              {f.credential}, version {f.version}
            </dd>
            <dt>Submitted</dt>
            <dd>{new Date(f.submittedAt).toLocaleDateString()}</dd>
            <dt>Status</dt>
            <dd>{f.decision ? `decided: ${f.decision.outcome}` : f.status === 'adjudication' ? 'with an adjudicator' : 'under review'}</dd>
          </dl>
          {f.decision && (
            <>
              <p className="result-banner">{OUTCOME[f.decision.outcome]}</p>
              {f.decision.resubmitUntil && <p>Resubmit by {new Date(f.decision.resubmitUntil).toLocaleDateString()}.</p>}
              <h2>Feedback by domain</h2>
              <ul>
                {f.domains.map((d: { code: string; title: string; met: boolean[]; comments: string[] }) => (
                  <li key={d.code}>
                    <strong>
                      {d.code} {d.title}
                    </strong>
                    : judged met by {d.met.filter(Boolean).length} of {d.met.length} reviewers. {d.comments.join(' ')}
                  </li>
                ))}
              </ul>
              <h2>Feedback by criterion</h2>
              <table>
                <caption className="visually-hidden">Consolidated score (0–3) and comments per criterion</caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Score</th>
                    <th scope="col">Comments</th>
                  </tr>
                </thead>
                <tbody>
                  {f.criteria.map((c: { criterion: string; score: number | null; comments: string[] }) => (
                    <tr key={c.criterion}>
                      <td>{c.criterion}</td>
                      <td>{c.score ?? '—'}</td>
                      <td>{c.comments.join(' · ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {f.decision && <Appeal submissionId={f.submissionId} appeal={f.appeal} />}
          <VersionChanges submissionId={f.submissionId} />
          <p>
            <Link to={`/candidate/portfolio/${f.credential.toLowerCase()}`}>Back to the portfolio</Link>
          </p>
        </>
      )}
    </Page>
  );
}

function Appeal({
  submissionId,
  appeal,
}: {
  submissionId: string;
  appeal: { status: string; filedAt: string; outcomeNote?: string | null } | null;
}) {
  const appealing = useFileAppeal(submissionId);
  const [grounds, setGrounds] = useState('');
  const error = appealing.error?.message ?? null;
  if (appeal) {
    return (
      <section aria-labelledby="appeal-h">
        <h2 id="appeal-h">Appeal</h2>
        <p>
          Filed {new Date(appeal.filedAt).toLocaleDateString()}: {appeal.status}
          {appeal.outcomeNote ? ` — ${appeal.outcomeNote}` : ''}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="appeal-h">
      <h2 id="appeal-h">Appeal this decision</h2>
      <p className="hint">Within 30 days of the decision. An administrator who was not involved handles it.</p>
      {error && <Alert>{error}</Alert>}
      <div className="field">
        <label htmlFor="appeal-grounds">Grounds for the appeal</label>
        <textarea id="appeal-grounds" rows={4} value={grounds} onChange={(e) => setGrounds(e.target.value)} />
      </div>
      <button
        type="button"
        className="button-secondary"
        disabled={grounds.trim().length < 3 || appealing.isPending}
        onClick={() => appealing.mutate(grounds)}
      >
        File the appeal
      </button>
    </section>
  );
}
