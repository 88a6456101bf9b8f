import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { ScoreSheet, type ScoreSheetValue } from '../../../components/score-sheet';
import { downloadAttachment, type ReviewForm, usePeerReviews, useReviewSubmission, useSubmitReview } from '../api/review';

const SCALE = ['not evidenced', 'partially', 'met', 'exemplary'].map((label, score) => ({ score, label }));

export function AssignmentPage() {
  const { assignmentId = '' } = useParams();
  const submission = useReviewSubmission(assignmentId);
  const peers = usePeerReviews(assignmentId);
  const send = useSubmitReview(assignmentId);
  const [scores, setScores] = useState<ScoreSheetValue<string>>({});
  const [domains, setDomains] = useState<Record<string, boolean>>({});
  const [recommendation, setRecommendation] = useState<ReviewForm['recommendation'] | ''>('');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const error = send.error?.message ?? downloadError;
  const s = submission.data;
  const domainCodes = [...new Set(s?.evidence.map((e) => e.criterion.slice(0, 3)) ?? [])];

  if (submission.error) {
    return (
      <Page title="Review">
        <Alert>{submission.error.message}</Alert>
      </Page>
    );
  }
  if (!s) return <p role="status">Loading…</p>;

  const submit = () => {
    setDownloadError(null);
    const body: ReviewForm = {
      criterionScores: s.evidence.map((e) => ({
        criterion: e.criterion,
        score: scores[e.criterion]?.score ?? -1,
        comment: scores[e.criterion]?.note,
      })),
      domainJudgements: domainCodes.map((d) => ({ domain: d, met: domains[d] ?? false })),
      recommendation: recommendation as ReviewForm['recommendation'],
    };
    send.mutate(body);
  };

  return (
    <Page title={`Review: ${s.credential} portfolio, version ${s.version}`}>
      <p>
        <Link to="/reviewer">Back to reviews</Link>
      </p>
      <h2>Deployment context</h2>
      <dl className="meta">
        {Object.entries(s.context).map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {s.evidence.length === 0 && <p>Accept the offer to read the evidence and score it.</p>}
      {peers.data ? (
        <>
          <h2>Reviews</h2>
          {peers.data.map((p) => (
            <section key={p.label} aria-label={p.label}>
              <h3>
                {p.label}
                {p.mine ? ' (yours)' : ''}: {p.recommendation}
              </h3>
              <p>
                Domains met:{' '}
                {p.domainJudgements
                  .filter((d) => d.met)
                  .map((d) => d.domain)
                  .join(', ') || 'none'}
              </p>
            </section>
          ))}
        </>
      ) : (
        s.evidence.length > 0 && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <h2>Evidence and scores</h2>
            <p className="hint">
              Score each criterion 0–3; a comment is required below 2. You see the other review after submitting yours.
            </p>
            <ScoreSheet
              control="select"
              scale={SCALE}
              noteLabel={(criterion) => `Comment on ${criterion}`}
              value={scores}
              onChange={setScores}
              rows={s.evidence.map((e) => ({
                key: e.criterion,
                content: (
                  <>
                    <p>{e.narrative}</p>
                    {e.attachments.map((a) => (
                      <p key={a.id}>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => downloadAttachment(a.id, a.fileName).catch((err: Error) => setDownloadError(err.message))}
                        >
                          Download {a.fileName}
                        </button>
                      </p>
                    ))}
                  </>
                ),
              }))}
            />
            <fieldset>
              <legend>Domains judged met</legend>
              {domainCodes.map((d) => (
                <div className="checkbox" key={d}>
                  <input
                    type="checkbox"
                    id={`met-${d}`}
                    checked={domains[d] ?? false}
                    onChange={(ev) => setDomains({ ...domains, [d]: ev.target.checked })}
                  />
                  <label htmlFor={`met-${d}`}>{d} met</label>
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>Recommendation</legend>
              {(['pass', 'revise', 'fail'] as const).map((r) => (
                <div className="checkbox" key={r}>
                  <input
                    type="radio"
                    name="recommendation"
                    id={`rec-${r}`}
                    checked={recommendation === r}
                    onChange={() => setRecommendation(r)}
                  />
                  <label htmlFor={`rec-${r}`}>{r}</label>
                </div>
              ))}
            </fieldset>
            {error && <Alert>{error}</Alert>}
            <button type="submit">Submit review</button>
          </form>
        )
      )}
    </Page>
  );
}
