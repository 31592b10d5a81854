import * as Switch from '@radix-ui/react-switch';
import { useEffect, useId, useState } from 'react';
import type { SettingsView } from '../../../../shared/settings.js';
import type { ChangeSettings } from '../hooks/use-settings.js';
import { SettingSection } from './setting-section.js';

const APPLIED: Readonly<Record<SettingsView['startAtLogin']['applied'], string>> = {
  now: 'MCP Guard starts in the tray when you log in, without opening its window.',
  'next-app-start': 'Saved here; the desktop app applies it when it next starts (on macOS and Windows).',
  unsupported: 'This OS keeps login items in its own settings: add MCP Guard to your desktop’s autostart applications there.',
};

/** Start the desktop app at login: stored here, applied by the desktop app. */
export function StartAtLoginSection({ startAtLogin, change }: { startAtLogin: SettingsView['startAtLogin']; change: ChangeSettings }) {
  const id = useId();
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  // The position just chosen, shown until the service's settings say it too (or it is refused).
  const [pending, setPending] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (pending === startAtLogin.enabled) setPending(undefined);
  }, [pending, startAtLogin.enabled]);
  const toggle = (on: boolean) => {
    if (pending !== undefined) return;
    setPending(on);
    void change({ startAtLogin: on }).then((r) => {
      if (!r.ok) setPending(undefined);
      setResult(r.ok ? { ok: true, text: on ? 'Saved: start at login is on.' : 'Saved: start at login is off.' } : { ok: false, text: r.reason });
    });
  };
  return (
    <SettingSection id="start-at-login" title="Start at login" result={result}>
      <div className="setting-switch">
        <Switch.Root
          id={id}
          className="settings-switch"
          checked={pending ?? startAtLogin.enabled}
          onCheckedChange={toggle}
          aria-describedby={`${id}-note`}
          data-testid="start-at-login-switch"
        >
          <Switch.Thumb className="settings-switch-thumb" />
        </Switch.Root>
        <label htmlFor={id}>Start MCP Guard when I log in</label>
      </div>
      <p id={`${id}-note`} className="subtle">
        {APPLIED[startAtLogin.applied]}
      </p>
    </SettingSection>
  );
}
