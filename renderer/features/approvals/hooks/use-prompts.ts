import { useEffect, useRef, useState } from 'react';
import type { Prompt } from '../../../../shared/approvals.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';

/**
 * The pending prompts, oldest first: `approvals:list` on each (re)connect, then the whole list from
 * each `approvals:changed`. undefined while not known (loading, or the link is down: a list from
 * before a drop may be stale, and answers to it could not be sent anyway).
 */
export function usePrompts(): { prompts: Prompt[] | undefined; error: string | undefined } {
  const guard = useGuard();
  const connection = useConnectionState();
  const [prompts, setPrompts] = useState<Prompt[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  // A list pushed while `approvals:list` is under way is newer than its reply.
  const events = useRef(0);

  useEffect(
    () =>
      guard.on('approvals:changed', (list) => {
        events.current += 1;
        setPrompts(list);
        setError(undefined);
      }),
    [guard],
  );

  const open = connection.kind === 'open';
  useEffect(() => {
    if (!open) {
      setPrompts(undefined);
      return;
    }
    let live = true;
    const seen = events.current;
    guard.approvals.list().then(
      (list) => {
        if (!live || events.current !== seen) return;
        setPrompts(list);
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(messageOf(e));
      },
    );
    return () => {
      live = false;
    };
  }, [guard, open, connection.generation]);

  return { prompts, error };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
