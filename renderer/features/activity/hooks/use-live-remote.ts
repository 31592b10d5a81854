import { useEffect, useRef } from 'react';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { useRemote, type Remote } from '../../../components/use-remote.js';

/**
 * A value loaded from the service (useRemote) and loaded again when the log grows, at most once
 * per `everyMs` (the chart and the filters' names need not move with every event), and after a
 * reconnect.
 */
export function useLiveRemote<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs: number): Remote<T> {
  const guard = useGuard();
  const connection = useConnectionState();
  const remote = useRemote(load, [...deps, connection.kind === 'open' ? connection.generation : -1]);
  const reload = useRef(remote.reload);
  reload.current = remote.reload;
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = guard.on('activity:appended', () => {
      if (timer !== undefined) return;
      const wait = Math.max(0, last + everyMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        reload.current();
      }, wait);
    });
    return () => {
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [guard, everyMs]);
  return remote;
}
