import { useEffect, useId, useState } from 'react';
import type { DriftMode, SettingsView } from '../../../../shared/settings.js';
import type { ChangeSettings } from '../hooks/use-settings.js';
import { SettingSection } from './setting-section.js';

const CHOICES: ReadonlyArray<{ mode: DriftMode; label: string; detail: string }> = [
  { mode: 'flag', label: 'Flag it', detail: 'Record it in the activity log and warn; you wrap the server yourself.' },
  { mode: 'rewrap', label: 'Wrap it again', detail: 'Also wrap the entry again right away; its server is held until you approve it.' },
];

/** What happens when a client's file gains a server that is not wrapped, or loses the wrapping of one. */
export function DriftSection({ drift, change, settingsBroken }: { drift: SettingsView['drift']; change: ChangeSettings; settingsBroken: boolean }) {
  const name = useId();
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  // The choice just made, shown until the service's settings say it too (or it is refused).
  const [pending, setPending] = useState<DriftMode | undefined>(undefined);
  useEffect(() => {
    if (pending === drift.mode) setPending(undefined);
  }, [pending, drift.mode]);
  const locked = drift.lockedBy !== undefined;
  const shown: DriftMode = locked ? 'rewrap' : (pending ?? drift.mode);
  const pick = (mode: DriftMode) => {
    if (pending !== undefined || locked || mode === drift.mode) return;
    setPending(mode);
    void change({ drift: mode }).then((r) => {
      if (!r.ok) setPending(undefined);
      setResult(r.ok ? { ok: true, text: `Saved: drift is ${mode === 'flag' ? 'flagged' : 'wrapped again'}.` } : { ok: false, text: r.reason });
    });
  };
  return (
    <SettingSection id="drift" title="When a client's config drifts" locked={locked ? 'Locked: policy requires wrapping' : undefined} result={result}>
      <p className="subtle">
        Drift: a server added to a client&apos;s config without MCP Guard (by an installer or an agent), or a wrapped one someone unwrapped.
      </p>
      <fieldset className="setting-choices" disabled={locked} aria-describedby={`${name}-note`}>
        <legend className="sr-only">When a client&apos;s config drifts</legend>
        {CHOICES.map((c) => (
          <label key={c.mode} className="setting-choice">
            <input type="radio" name={name} value={c.mode} checked={shown === c.mode} onChange={() => pick(c.mode)} data-testid={`drift-${c.mode}`} />
            <span>
              <span className="setting-choice-label">{c.label}</span>
              <span className="subtle">{c.detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div id={`${name}-note`} className="subtle">
        {drift.lockedBy ? (
          <p>
            {`${drift.lockedBy.source === 'managed' ? 'Managed policy' : 'Your policy'} requires every server to be wrapped (defaults.requireWrapping in `}
            <code>{drift.lockedBy.file}</code>
            {'), so drift is always wrapped again.'}
          </p>
        ) : (
          <p>
            {settingsBroken
              ? 'The settings file does not read, so drift is flagged until it is fixed.'
              : drift.source === 'default'
                ? 'Not set yet: drift is flagged.'
                : 'Saved in the settings file; the service uses it at the next drift.'}
          </p>
        )}
        {drift.startedWith ? (
          <p data-testid="drift-started-with">
            {'This service was started with '}
            <code>{`--drift ${drift.startedWith}`}</code>
            {', which applies until it restarts.'}
          </p>
        ) : null}
      </div>
    </SettingSection>
  );
}
