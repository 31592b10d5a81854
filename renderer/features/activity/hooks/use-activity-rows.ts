import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ActivityFilter } from '../../../../shared/activity.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { RowPages } from '../lib/row-pages.js';

/**
 * The table's rows for `filter`, paged from the service (lib/row-pages.ts), kept live: every
 * `activity:appended` fetches the top again, so new events appear without a reload while the
 * reader is at the top (`following`), and are counted while they read further down or have an
 * event open (`hold`).
 */
export function useActivityRows(filter: ActivityFilter, hold: boolean) {
  const guard = useGuard();
  const connection = useConnectionState();
  const key = JSON.stringify(filter);
  const following = useRef(true);
  const open = connection.kind === 'open';
  // One RowPages per filter (named by its key) and connection: a reconnect starts over, the service may have restarted.
  const pages = useMemo(
    () => new RowPages((offset, limit, snapshot) => guard.activity.query({ filter, offset, limit, ...(snapshot !== undefined ? { snapshot } : {}) })),
    [guard, key, open, connection.generation],
  );
  useEffect(() => {
    if (open) pages.start();
  }, [pages, open]);
  // While an event is open, the rows stay where they are (new ones are counted), so closing it finds its row.
  const held = useRef(hold);
  held.current = hold;
  useEffect(() => guard.on('activity:appended', () => void pages.refresh(following.current && !held.current)), [guard, pages]);
  useEffect(() => {
    if (!hold && following.current && pages.current.phase === 'ready' && pages.current.unseen > 0) void pages.refresh(true);
  }, [hold, pages]);
  useSyncExternalStore(pages.subscribe, pages.getVersion);
  return { pages, state: pages.current, following };
}
