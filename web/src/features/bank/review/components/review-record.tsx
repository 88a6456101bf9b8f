import type { ItemReviewRecord } from '../api/item-review';
import { VERDICT_LABELS } from './labels';

/** One expert's review of one version of the item. */
export function ReviewRecord({ review, title, currentVersion }: { review: ItemReviewRecord; title: string; currentVersion: number }) {
  return (
    <article className={`itemreview-review itemreview-verdict-${review.verdict}`}>
      <h3>
        {title}: {VERDICT_LABELS[review.verdict] ?? review.verdict}
        {review.version !== currentVersion ? ` (version ${review.version}, since edited)` : ''}
      </h3>
      <dl className="meta">
        <dt>Key</dt>
        <dd>{review.keyConfirmed ? 'Confirmed as the one best answer' : 'Not confirmed'}</dd>
        <dt>Cueing</dt>
        <dd>{review.cueingOk ? 'No cues found' : 'Cues found'}</dd>
        <dt>Criterion</dt>
        <dd>{review.criterion}</dd>
        <dt>Difficulty</dt>
        <dd>{review.difficulty}</dd>
        <dt>Date</dt>
        <dd>
          <time dateTime={review.createdAt}>{new Date(review.createdAt).toLocaleString()}</time>
        </dd>
      </dl>
      {review.comment && <p className="itemreview-comment-body">{review.comment}</p>}
    </article>
  );
}
