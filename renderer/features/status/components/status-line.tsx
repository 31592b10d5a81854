import type { GuardStatus } from '../../../../shared/approvals.js';
import type { ConnectionState } from '../../../bridge/connection.js';

/** "Service running · 2 proxies · 1 waiting · policy yours 3f9a1c2b / managed v41 (stale) · 1 policy problem", or why there is no such line. */
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
  const layer = (version: number | undefined, revision: string | undefined) =>
    version !== undefined ? `v${version}` : revision !== undefined ? revision.slice(0, 8) : 'none';
  const managedState = policy.managed?.lockedDown ? ' (locked down)' : policy.managed?.stale ? ' (stale)' : '';
  const policyText = `policy yours ${layer(policy.userVersion, policy.userRevision)} / managed ${layer(policy.managedVersion, policy.managedRevision)}${managedState}`;
  const broken = policy.problems.length > 0 ? ` · ${policy.problems.length === 1 ? '1 policy problem' : `${policy.problems.length} policy problems`}` : '';
  return `Service running · ${proxies} ${proxies === 1 ? 'proxy' : 'proxies'} · ${pendingApprovals} waiting · ${policyText}${broken}`;
}
