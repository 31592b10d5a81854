import { useEffect } from 'react';
import type { PolicyView } from '../../../../shared/policy-page.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { useRemote, type Remote } from '../../../components/use-remote.js';

/** The effective policy: loaded on each (re)connect, and again whenever a policy file changes (`policy:changed`). */
export function usePolicyView(): Remote<PolicyView> {
  const guard = useGuard();
  const connection = useConnectionState();
  const open = connection.kind === 'open';
  const view = useRemote(() => (open ? guard.policy.view() : new Promise<PolicyView>(() => undefined)), [guard, open, connection.generation]);
  const { reload } = view;
  useEffect(() => guard.on('policy:changed', () => reload()), [guard, reload]);
  return view;
}
