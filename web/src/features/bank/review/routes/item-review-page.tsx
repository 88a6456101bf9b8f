import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { useSession } from '../../../../lib/auth/session';
import { useFramework } from '../api/framework';
import { type ItemForReview, useItemForReview } from '../api/item-review';
import { CommentsThread } from '../components/comments-thread';
import { CueSignalsTable } from '../components/cue-signals-table';
import { ItemContent } from '../components/item-content';
import { ReviewForm } from '../components/review-form';
import { ReviewRecord } from '../components/review-record';
import { StageActions } from '../components/stage-actions';
import { StageHistory } from '../components/stage-history';

export function ItemReviewPage() {
  const { itemId = '' } = useParams();
  const item = useItemForReview(itemId);
  const { user } = useSession();
  return (
    <Page title={`Review item ${itemId}`}>
      <p>
        <Link to="/reviewer/items">Back to the item review queue</Link>
      </p>
      {item.isPending && <p role="status">Loading the item…</p>}
      {item.error && <Alert>{item.error.message}</Alert>}
      {item.data && (
        <>
          <ItemContent item={item.data} />
          <CueSignalsTable options={item.data.options} />
          <YourReview item={item.data} />
          <OtherReviews item={item.data} />
          <CommentsThread item={item.data} />
          <StageHistory item={item.data} />
          {user?.roles.includes('admin') && <StageActions item={item.data} />}
        </>
      )}
    </Page>
  );
}

function YourReview({ item }: { item: ItemForReview }) {
  const framework = useFramework();
  const [justReviewed, setJustReviewed] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The form is gone once the review is in: the focus goes to what replaced it.
    if (justReviewed) heading.current?.focus();
  }, [justReviewed]);

  let body;
  if (item.youAreAuthor) {
    body = (
      <Alert kind="info">
        You wrote this item, so you do not review it: two other experts do. You can answer their questions in the comments.
      </Alert>
    );
  } else if (item.yourReview) {
    body = (
      <>
        {justReviewed && <Alert kind="success">Your review is recorded.</Alert>}
        <ReviewRecord review={item.yourReview} title="Your review" currentVersion={item.version} />
      </>
    );
  } else if (item.status === 'retired') {
    body = <p>The item is retired: it is no longer reviewed.</p>;
  } else {
    body = (
      <ReviewForm
        item={item}
        domain={framework.data?.domains.find((d) => d.code === item.domain)}
        criteriaLoading={framework.isPending}
        onReviewed={() => setJustReviewed(true)}
      />
    );
  }
  return (
    <section aria-labelledby="itemreview-yours-heading">
      <h2 id="itemreview-yours-heading" ref={heading} tabIndex={-1}>
        Your review
      </h2>
      {framework.error && <Alert>{framework.error.message}</Alert>}
      {body}
    </section>
  );
}

function OtherReviews({ item }: { item: ItemForReview }) {
  const hidden = item.hiddenReviews;
  return (
    <section aria-labelledby="itemreview-others-heading">
      <h2 id="itemreview-others-heading">Other reviews</h2>
      {hidden > 0 && (
        <p className="itemreview-hidden">
          {hidden} review{hidden === 1 ? '' : 's'} hidden{' '}
          {item.youAreAuthor ? 'from the item’s author' : 'until you submit yours, so that your judgement stays your own'}.
        </p>
      )}
      {hidden === 0 && item.reviews.length === 0 && <p>No other review yet.</p>}
      {item.reviews.map((r) => (
        <ReviewRecord key={r.id} review={r} title={r.reviewer} currentVersion={item.version} />
      ))}
    </section>
  );
}
