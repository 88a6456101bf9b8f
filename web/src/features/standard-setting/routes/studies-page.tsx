import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function StudiesPage() {
  return (
    <Page title="AIDA standard setting">
      <p>Coming soon.</p>
    </Page>
  );
}
