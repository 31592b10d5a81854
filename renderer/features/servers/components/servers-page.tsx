import { Page } from '../../../components/page.js';

/** The Servers page: built in issue 16 (this frame is replaced by the page's own component). */
export function ServersPage() {
  return (
    <Page title="Servers" intro="This page is being built." testId="servers-page">
      <p className="state">Coming in this release.</p>
    </Page>
  );
}
