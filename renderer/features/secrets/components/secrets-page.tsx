import { Page } from '../../../components/page.js';

/** The Secrets page: built in issue 16 (this frame is replaced by the page's own component). */
export function SecretsPage() {
  return (
    <Page title="Secrets" intro="This page is being built." testId="secrets-page">
      <p className="state">Coming in this release.</p>
    </Page>
  );
}
