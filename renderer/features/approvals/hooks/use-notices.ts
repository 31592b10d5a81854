import { useCallback, useEffect, useRef, useState } from 'react';
import { useGuard } from '../../../bridge/guard-context.js';

/** A short message above the prompt: a call that timed out, or what became of a server approval. */
export type Notice = { readonly id: number; readonly tone: 'info' | 'error'; readonly text: string };
export type Notify = (tone: Notice['tone'], text: string) => void;

/** How long a notice stays: long enough to read after looking back at the window. */
const NOTICE_MS = { info: 20_000, error: 60_000 } as const;

export function useNotices(): { notices: Notice[]; notify: Notify; dismiss: (id: number) => void } {
  const guard = useGuard();
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);
  const notify = useCallback<Notify>(
    (tone, text) => {
      const id = nextId.current++;
      setNotices((list) => [...list, { id, tone, text }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, NOTICE_MS[tone]);
      timers.current.add(timer);
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  useEffect(
    () => guard.on('approvals:timed-out', ({ tool, server }) => notify('info', `Timed out: ${tool} on ${server} was denied (this once; nothing remembered)`)),
    [guard, notify],
  );

  return { notices, notify, dismiss };
}
