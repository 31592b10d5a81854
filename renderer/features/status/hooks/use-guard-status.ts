import { useEffect, useRef, useState } from 'react';
import type { GuardStatus } from '../../../../shared/approvals.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';

/** The service's status: fetched on each (re)connect, then kept current by `status:changed`. */
export function useGuardStatus(): GuardStatus | undefined {
  const guard = useGuard();
  const connection = useConnectionState();
  const [status, setStatus] = useState<GuardStatus | undefined>(undefined);
  // An event that arrives while `status:get` is under way is newer than its reply.
  const events = useRef(0);

  useEffect(
    () =>
      guard.on('status:changed', (next) => {
        events.current += 1;
        setStatus(next);
      }),
    [guard],
  );

  const open = connection.kind === 'open';
  useEffect(() => {
    if (!open) return;
    let live = true;
    const seen = events.current;
    guard.status.get().then(
      (next) => {
        if (live && events.current === seen) setStatus(next);
      },
      () => {
        // The connection state says why; the line shows the last status it had meanwhile.
      },
    );
    return () => {
      live = false;
    };
  }, [guard, open, connection.generation]);

  return status;
}
