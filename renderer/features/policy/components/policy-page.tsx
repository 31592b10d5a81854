import { Page } from '../../../components/page.js';

/** The Policy page: built in issue 16 (this frame is replaced by the page's own component). */
export function PolicyPage() {
  return (
    <Page title="Policy" intro="This page is being built." testId="policy-page">
      <p className="state">Coming in this release.</p>
    </Page>
  );
}
