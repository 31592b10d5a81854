import { useSyncExternalStore } from 'react';

/** The app's pages, in the order the navigation shows them. `#/<id>` selects one; `#/` is Prompts. */
export const PAGES = [
  { id: 'prompts', label: 'Prompts' },
  { id: 'servers', label: 'Servers' },
  { id: 'activity', label: 'Activity' },
  { id: 'policy', label: 'Policy' },
  { id: 'secrets', label: 'Secrets' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** The page the address names: `#/activity` → activity; anything else (a token fragment, nothing) → prompts. */
export function pageOf(hash: string): PageId {
  const id = /^#\/([a-z]+)/.exec(hash)?.[1];
  return PAGES.find((p) => p.id === id)?.id ?? 'prompts';
}

export function hrefOf(page: PageId): string {
  return `#/${page}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The page in the address bar, kept current as links and the back button change it. */
export function useRoute(): PageId {
  return useSyncExternalStore(subscribe, () => pageOf(location.hash));
}
