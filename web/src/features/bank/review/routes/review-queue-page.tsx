import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { useFramework } from '../api/framework';
import { type QueueEntry, useReviewQueue } from '../api/review-queue';
import { EVIDENCE_LABELS, REQUIRED_APPROVALS, STATUS_LABELS } from '../components/labels';

/** `any` switches a filter off; a missing parameter means the default view. */
const DEFAULTS = { status: 'draft', evidence: 'needs_review', open: 'yes', domain: 'any' } as const;
type Filter = keyof typeof DEFAULTS;

export function ReviewQueuePage() {
  const [params, setParams] = useSearchParams();
  const queue = useReviewQueue();
  const framework = useFramework();
  const ids = { status: useId(), evidence: useId(), domain: useId(), open: useId() };
  const filter = (key: Filter) => params.get(key) ?? DEFAULTS[key];
  const set = (key: Filter, value: string) => {
    const next = new URLSearchParams(params);
    // Every filter is written out once one changes, so the URL always states the whole view.
    for (const k of Object.keys(DEFAULTS) as Filter[]) next.set(k, filter(k));
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const shown = (queue.data ?? []).filter(
    (q: QueueEntry) =>
      (filter('status') === 'any' || q.status === filter('status')) &&
      (filter('evidence') === 'any' || q.evidence === filter('evidence')) &&
      (filter('domain') === 'any' || q.domain === filter('domain')) &&
      (filter('open') !== 'yes' || (!q.reviewedByYou && !q.youAreAuthor)),
  );

  return (
    <Page title="Item review">
      <p>
        A new item starts as a draft. Two subject experts who did not write it review it independently: each confirms the key, checks that
        nothing but competence finds it (no cues), tags its criterion and difficulty, and approves it or requests changes. With{' '}
        {REQUIRED_APPROVALS} approvals an administrator moves it to pretest, where candidates answer it unscored, and activates it once it
        has enough pretest responses. Items marked “adopted” are in service on the certification body’s adoption decision, without this
        two-expert review in the platform: they still need it before their results can be relied on.
      </p>

      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter items">
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={filter('status')} onChange={(e) => set('status', e.target.value)}>
            <option value="any">Any status</option>
            {Object.entries(STATUS_LABELS)
              .filter(([s]) => s !== 'retired')
              .map(([s, label]) => (
                <option key={s} value={s}>
                  {label}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.evidence}>Review evidence</label>
          <select id={ids.evidence} value={filter('evidence')} onChange={(e) => set('evidence', e.target.value)}>
            <option value="any">Any evidence</option>
            {Object.entries(EVIDENCE_LABELS).map(([e, label]) => (
              <option key={e} value={e}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.domain}>Domain</label>
          <select id={ids.domain} value={filter('domain')} onChange={(e) => set('domain', e.target.value)}>
            <option value="any">All domains</option>
            {framework.data?.domains.map((d) => (
              <option key={d.code} value={d.code}>
                {d.code} {d.title}
              </option>
            ))}
          </select>
        </div>
        <div className="checkbox itemreview-filter-check">
          <input
            id={ids.open}
            type="checkbox"
            checked={filter('open') === 'yes'}
            onChange={(e) => set('open', e.target.checked ? 'yes' : 'no')}
          />
          <label htmlFor={ids.open}>Only items I neither wrote nor reviewed</label>
        </div>
      </form>

      {queue.error && <Alert>{queue.error.message}</Alert>}
      {queue.isPending && <p role="status">Loading the queue…</p>}
      {queue.data && (
        <>
          <p role="status">
            {shown.length} item{shown.length === 1 ? '' : 's'} of {queue.data.length} in the workflow
          </p>
          {shown.length > 0 && (
            <table className="itemreview-queue">
              <caption>Items in the review workflow, by the filters above</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Criterion</th>
                  <th scope="col">Status</th>
                  <th scope="col">Version</th>
                  <th scope="col">Approvals</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Your part</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((q) => (
                  <tr key={q.id}>
                    <th scope="row">
                      <Link to={`/reviewer/items/${q.id}`}>{q.id}</Link>
                    </th>
                    <td>{q.domain}</td>
                    <td>{q.criterion}</td>
                    <td>{STATUS_LABELS[q.status] ?? q.status}</td>
                    <td>{q.version}</td>
                    <td>
                      {q.approvals} of {REQUIRED_APPROVALS}
                      {q.changesRequested > 0 && (
                        <>
                          <br />
                          {q.changesRequested} asked for changes
                        </>
                      )}
                    </td>
                    <td>{EVIDENCE_LABELS[q.evidence]}</td>
                    <td>{q.youAreAuthor ? 'You wrote it' : q.reviewedByYou ? 'You reviewed it' : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown.length === 0 && <p>No item matches these filters. Widen them to see more of the bank.</p>}
        </>
      )}
    </Page>
  );
}
