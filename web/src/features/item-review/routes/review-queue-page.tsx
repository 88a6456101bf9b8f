import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function ReviewQueuePage() {
  return (
    <Page title="Item review">
      <p>Coming soon.</p>
    </Page>
  );
}
