import { GuardSettings } from '../store/guard-settings.js';
import { SettingsStore } from '../store/settings-store.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type SettingsChannels = 'settings:get' | 'settings:set';

/**
 * Handlers of the `settings:*` channels: main/store/guard-settings.ts reads the settings with their
 * sources and locks, and refuses a change that a lock or a broken file forbids.
 */
export function settingsHandlers(ctx: PageContext): { readonly [C in SettingsChannels]: IpcHandler<C> } {
  // Made on first use: the context is not read until a channel is invoked.
  let settings: GuardSettings | undefined;
  const get = () =>
    (settings ??= new GuardSettings({
      policy: ctx.policy,
      settings: new SettingsStore(ctx.paths.settings),
      home: ctx.paths.home,
      homeFromVariable: Boolean(ctx.env['MCP_GUARD_HOME']),
      loginItem: ctx.loginItem,
      driftFlag: ctx.driftFlag,
    }));
  return {
    'settings:get': () => get().viewSync(),
    'settings:set': (patch) => {
      const result = get().changeSync(patch);
      ctx.log.log(result.ok ? 'info' : 'warn', `settings page: change ${result.ok ? 'saved' : `refused: ${result.reason}`}`, {
        settings: Object.keys(patch).join(','),
      });
      return result;
    },
  };
}
