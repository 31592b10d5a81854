import { useCallback, useEffect } from 'react';
import type { SettingsChangeResult, SettingsPatch, SettingsView } from '../../../../shared/settings.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { useRemote, type Remote } from '../../../components/use-remote.js';

export type ChangeSettings = (patch: SettingsPatch) => Promise<SettingsChangeResult>;

/**
 * The settings with their sources and locks: loaded on each (re)connect, again whenever the status
 * changes (a policy file changed: a lock may have come or gone), and after each change.
 */
export function useSettings(): { settings: Remote<SettingsView>; change: ChangeSettings } {
  const guard = useGuard();
  const connection = useConnectionState();
  const settings = useRemote(() => guard.settings.get(), [guard, connection.kind === 'open' ? connection.generation : -1]);
  const { reload } = settings;
  useEffect(() => guard.on('status:changed', () => reload()), [guard, reload]);
  const change = useCallback<ChangeSettings>(
    async (patch) => {
      try {
        return await guard.settings.set(patch);
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      } finally {
        reload();
      }
    },
    [guard, reload],
  );
  return { settings, change };
}
