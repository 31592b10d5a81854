import { useEffect } from 'react';
import type { ServersList } from '../../../../shared/servers-page.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { useRemote, type Remote } from '../../../components/use-remote.js';

/** How long a burst of change events is gathered before the list is fetched again. */
const SETTLE_MS = 250;

/**
 * The servers list: fetched when the link opens (again after a reconnect), and again whenever
 * something it shows may have changed: `servers:changed` (files), `approvals:changed` (tool
 * changes, approvals) and `status:changed` (policy, proxies). Loading while the link is not open.
 */
export function useServers(): Remote<ServersList> {
  const guard = useGuard();
  const connection = useConnectionState();
  const open = connection.kind === 'open';
  const remote = useRemote<ServersList>(() => (open ? guard.servers.list() : new Promise<ServersList>(() => undefined)), [guard, open, connection.generation]);
  const { reload } = remote;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(reload, SETTLE_MS);
    };
    const stops = [guard.on('servers:changed', soon), guard.on('approvals:changed', soon), guard.on('status:changed', soon)];
    return () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [guard, reload]);
  return remote;
}
