import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function RatingPage() {
  return (
    <Page title="Rate the items">
      <p>Coming soon.</p>
    </Page>
  );
}
