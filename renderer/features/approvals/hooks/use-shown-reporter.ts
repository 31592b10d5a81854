import { useEffect, useRef } from 'react';
import type { Prompt } from '../../../../shared/approvals.js';
import type { GuardApi } from '../../../../shared/ipc.js';

/**
 * Tells the service once per (id, revision) that the active prompt is on screen: it refuses answers
 * to prompts it was never told were shown. Waits while the page is hidden (a background tab shows
 * nothing), and tries again after a reconnect if the message did not get through.
 */
export function useShownReporter(guard: GuardApi, prompt: Prompt | undefined, generation: number): void {
  const reported = useRef(new Set<string>());
  const id = prompt?.id;
  const revision = prompt?.revision;

  useEffect(() => {
    if (id === undefined || revision === undefined) return;
    const key = `${id}:${revision}`;
    const report = () => {
      if (document.visibilityState !== 'visible' || reported.current.has(key)) return;
      reported.current.add(key);
      guard.approvals.shown(id, revision).catch(() => reported.current.delete(key));
    };
    report();
    document.addEventListener('visibilitychange', report);
    return () => document.removeEventListener('visibilitychange', report);
  }, [guard, id, revision, generation]);
}
