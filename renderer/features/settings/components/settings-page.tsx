import { Page } from '../../../components/page.js';

/** The Settings page: built in issue 16 (this frame is replaced by the page's own component). */
export function SettingsPage() {
  return (
    <Page title="Settings" intro="This page is being built." testId="settings-page">
      <p className="state">Coming in this release.</p>
    </Page>
  );
}
