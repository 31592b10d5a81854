import '../components/components.css';
import { useConnectionState } from '../bridge/guard-context.js';
import { ActivityPage } from '../features/activity/components/activity-page.js';
import { ApprovalsPanel } from '../features/approvals/components/approvals-panel.js';
import { Notices } from '../features/approvals/components/notices.js';
import { useNotices } from '../features/approvals/hooks/use-notices.js';
import { PolicyPage } from '../features/policy/components/policy-page.js';
import { SecretsPage } from '../features/secrets/components/secrets-page.js';
import { ServersPage } from '../features/servers/components/servers-page.js';
import { SettingsPage } from '../features/settings/components/settings-page.js';
import { PolicyBanners } from '../features/status/components/policy-banners.js';
import { StatusLine } from '../features/status/components/status-line.js';
import { useGuardStatus } from '../features/status/hooks/use-guard-status.js';
import { Navigation } from './navigation.js';
import { hrefOf, useRoute, type PageId } from './routes.js';

/** The shell: the status line, the pages, policy banners, and (on every page) word of calls waiting for an answer. */
export function App() {
  const connection = useConnectionState();
  const status = useGuardStatus();
  const page = useRoute();
  const { notices, notify, dismiss } = useNotices();
  const open = connection.kind === 'open';
  const problems = open ? (status?.policy.problems ?? []) : [];
  const waiting = open ? (status?.pendingApprovals ?? 0) : 0;
  return (
    <>
      <header className="app-header">
        <h1 className="app-title">MCP Guard</h1>
        <StatusLine connection={connection} status={status} />
      </header>
      <Navigation current={page} waiting={waiting} />
      <main className="app-main">
        <PolicyBanners problems={problems} managed={open ? status?.policy.managed : undefined} />
        <Notices notices={notices} onDismiss={dismiss} />
        {page !== 'prompts' && waiting > 0 ? (
          <p className="waiting-banner" role="status" data-testid="waiting-banner">
            {`${waiting} ${waiting === 1 ? 'call is' : 'calls are'} waiting for your answer. `}
            <a href={hrefOf('prompts')}>Answer on the Prompts page</a>
          </p>
        ) : null}
        <CurrentPage page={page} notify={notify} />
      </main>
    </>
  );
}

function CurrentPage({ page, notify }: { page: PageId; notify: Parameters<typeof ApprovalsPanel>[0]['notify'] }) {
  switch (page) {
    case 'prompts':
      return <ApprovalsPanel notify={notify} />;
    case 'servers':
      return <ServersPage />;
    case 'activity':
      return <ActivityPage />;
    case 'policy':
      return <PolicyPage />;
    case 'secrets':
      return <SecretsPage />;
    case 'settings':
      return <SettingsPage />;
  }
}
