import type { GuardStatus } from '../../../../shared/approvals.js';
import type { ConnectionState } from '../../../bridge/connection.js';

/** "Service running · 2 proxies · 1 waiting · policy user v3 / managed v41", or why there is no such line. */
export function StatusLine({ connection, status }: { connection: ConnectionState; status: GuardStatus | undefined }) {
  return (
    <p className="status-line" data-testid="status-line">
      {statusText(connection, status)}
    </p>
  );
}

export function statusText(connection: ConnectionState, status: GuardStatus | undefined): string {
  if (connection.kind !== 'open')
    return connection.kind === 'connecting' && connection.lastError === undefined ? 'Connecting to the service…' : 'Service unreachable';
  if (status === undefined) return 'Service running';
  const { proxies, pendingApprovals, policy } = status;
  const user = policy.userVersion === undefined ? 'none' : `v${policy.userVersion}`;
  const managed = policy.managedVersion === undefined ? 'none' : `v${policy.managedVersion}`;
  return `Service running · ${proxies} ${proxies === 1 ? 'proxy' : 'proxies'} · ${pendingApprovals} waiting · policy user ${user} / managed ${managed}`;
}
