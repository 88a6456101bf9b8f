import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function StudyPage() {
  return (
    <Page title="Standard-setting study">
      <p>Coming soon.</p>
    </Page>
  );
}
