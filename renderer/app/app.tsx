import { useConnectionState } from '../bridge/guard-context.js';
import { ApprovalsPanel } from '../features/approvals/components/approvals-panel.js';
import { Notices } from '../features/approvals/components/notices.js';
import { useNotices } from '../features/approvals/hooks/use-notices.js';
import { PolicyBanners } from '../features/status/components/policy-banners.js';
import { StatusLine } from '../features/status/components/status-line.js';
import { useGuardStatus } from '../features/status/hooks/use-guard-status.js';

/** The shell: the status line and policy banners, then the calls waiting for an answer. */
export function App() {
  const connection = useConnectionState();
  const status = useGuardStatus();
  const { notices, notify, dismiss } = useNotices();
  const problems = connection.kind === 'open' ? (status?.policy.problems ?? []) : [];
  return (
    <>
      <header className="app-header">
        <h1 className="app-title">MCP Guard</h1>
        <StatusLine connection={connection} status={status} />
      </header>
      <main className="app-main">
        <PolicyBanners problems={problems} />
        <Notices notices={notices} onDismiss={dismiss} />
        <ApprovalsPanel notify={notify} />
      </main>
    </>
  );
}
