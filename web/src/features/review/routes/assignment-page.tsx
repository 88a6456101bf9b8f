import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { CONTEXT_LABELS } from '../../../lib/portfolio-context';
import { usePeerReviews, useReviewDraft, useReviewSubmission } from '../api/review';
import { ReviewWorkspace } from '../components/review-workspace';

export function AssignmentPage() {
  const { assignmentId = '' } = useParams();
  const submission = useReviewSubmission(assignmentId);
  const peers = usePeerReviews(assignmentId);
  const draft = useReviewDraft(assignmentId);
  const s = submission.data;

  if (submission.error) {
    return (
      <Page title="Review">
        <Alert>{submission.error.message}</Alert>
      </Page>
    );
  }
  if (!s) return <p role="status">Loading…</p>;

  return (
    <Page title={`Review: ${s.credential} portfolio, version ${s.version}`}>
      <p>
        <Link to="/reviewer">Back to reviews</Link>
      </p>
      <h2>Deployment context</h2>
      <dl className="meta">
        {Object.entries(s.context).map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{CONTEXT_LABELS[k] ?? k}</dt>
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
        s.evidence.length > 0 &&
        (draft.isPending ? (
          <p role="status">Loading your draft…</p>
        ) : (
          <ReviewWorkspace assignmentId={assignmentId} evidence={s.evidence} draft={draft.data ?? null} />
        ))
      )}
    </Page>
  );
}
