import type { SecretsList } from '../../../../shared/secrets-page.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { useRemote, type Remote } from '../../../components/use-remote.js';

/** Every wrapped server's secrets (names and states, never values), loaded on each (re)connect and on `reload()`. */
export function useSecrets(): Remote<SecretsList> {
  const guard = useGuard();
  const connection = useConnectionState();
  return useRemote(() => guard.secrets.list(), [guard, connection.kind === 'open' ? connection.generation : -1]);
}
