import type { ConnectionState } from '../../../bridge/connection.js';

/** The panel before there is a list to show: connecting, unreachable, loading, or nothing waiting. */
export function ConnectionProblem({ reason, retrying }: { reason: string; retrying: boolean }) {
  return (
    <div role="alert" className="state state-error" data-testid="connection-error">
      <p>
        {`Can't reach the MCP Guard service: ${reason}. Is `}
        <code>mcp-guard serve --ui</code>
        {` still running? ${retrying ? 'Retrying…' : 'Open the address it printed.'}`}
      </p>
    </div>
  );
}

export function LoadProblem({ reason }: { reason: string }) {
  return (
    <div role="alert" className="state state-error" data-testid="load-error">
      <p>{`The list of waiting calls did not load: ${reason}. Reload the page to try again.`}</p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" data-testid="loading">
      {what}
    </p>
  );
}

export function EmptyState() {
  return (
    <div className="state state-empty" data-testid="empty-state">
      <p>No calls are waiting for you. When an agent&apos;s call needs your approval, it appears here.</p>
    </div>
  );
}

/** The connection's problem, if it has one worth showing (a first connect in progress is not a problem). */
export function connectionProblem(state: ConnectionState): { reason: string; retrying: boolean } | undefined {
  if (state.kind === 'closed') return { reason: state.reason, retrying: state.retrying };
  if (state.kind === 'connecting' && state.lastError !== undefined) return { reason: state.lastError, retrying: true };
  return undefined;
}
