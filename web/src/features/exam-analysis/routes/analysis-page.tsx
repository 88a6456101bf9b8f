import { Page } from '../../../components/page';

/** Placeholder: built in issue 11 (see the helper brief). */
export function AnalysisPage() {
  return (
    <Page title="AIDA item analysis and reliability">
      <p>Coming soon.</p>
    </Page>
  );
}
