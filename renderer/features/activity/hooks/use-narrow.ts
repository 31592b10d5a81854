import { useSyncExternalStore } from 'react';

/** The width below which the table stacks each row's cells (activity-table.css uses the same). */
const NARROW = '(max-width: 720px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether the window is narrow (the table's stacked layout), kept current as it is resized. */
export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches);
}
