import { Page } from '../../../components/page';

export function ReviewerHome() {
  return (
    <Page title="Reviews">
      <p>Portfolio assignments offered to you will be listed here.</p>
    </Page>
  );
}
