import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { GuardApi } from '../../shared/ipc.js';
import type { ConnectionState } from './connection.js';
import type { GuardLink } from './guard.js';

/** Hands the one GuardLink down the tree, so components and tests get it from props, not a global. */
const GuardContext = createContext<GuardLink | undefined>(undefined);

export function GuardProvider({ link, children }: { link: GuardLink; children: ReactNode }) {
  return <GuardContext.Provider value={link}>{children}</GuardContext.Provider>;
}

function useLink(): GuardLink {
  const link = useContext(GuardContext);
  if (link === undefined) throw new Error('useGuard: no <GuardProvider> above this component');
  return link;
}

export function useGuard(): GuardApi {
  return useLink().guard;
}

export function useConnectionState(): ConnectionState {
  const { connection } = useLink();
  return useSyncExternalStore(connection.subscribe, connection.get);
}
