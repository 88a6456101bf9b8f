import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function ItemReviewPage() {
  return (
    <Page title="Review an item">
      <p>Coming soon.</p>
    </Page>
  );
}
