import { Page } from '../../../components/page.js';

/** The Activity page: built in issue 16 (this frame is replaced by the page's own component). */
export function ActivityPage() {
  return (
    <Page title="Activity" intro="This page is being built." testId="activity-page">
      <p className="state">Coming in this release.</p>
    </Page>
  );
}
