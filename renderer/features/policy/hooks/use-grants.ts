import { useEffect, useRef, useState } from 'react';
import type { GrantView } from '../../../../shared/policy-page.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';

export type GrantsState = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; grants: GrantView[] };

/**
 * The grants in force: `grants:list` on each (re)connect, then the whole list from each
 * `grants:changed` (a list pushed while the request is under way is newer than its reply).
 */
export function useGrants(): GrantsState & { retry: () => void } {
  const guard = useGuard();
  const connection = useConnectionState();
  const [state, setState] = useState<GrantsState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const events = useRef(0);

  useEffect(
    () =>
      guard.on('grants:changed', (grants) => {
        events.current += 1;
        setState({ state: 'ready', grants });
      }),
    [guard],
  );

  const open = connection.kind === 'open';
  useEffect(() => {
    if (!open) return;
    let live = true;
    const seen = events.current;
    guard.grants.list().then(
      (grants) => live && events.current === seen && setState({ state: 'ready', grants }),
      (e: unknown) => live && setState({ state: 'error', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [guard, open, connection.generation, attempt]);

  return { ...state, retry: () => setAttempt((a) => a + 1) };
}
