import { useId, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../../shared/settings.js';
import type { ChangeSettings } from '../hooks/use-settings.js';
import { sourceText } from '../lib/labels.js';
import { SettingSection } from './setting-section.js';

type Result = { ok: boolean; text: string } | undefined;

/** How long a prompt waits before it denies the call: a policy default, locked when managed policy sets it. */
export function PromptTimeoutSection({ timeout, change }: { timeout: SettingsView['promptTimeout']; change: ChangeSettings }) {
  const id = useId();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<Result>(undefined);
  const [busy, setBusy] = useState(false);
  const text = draft ?? String(timeout.seconds);
  const n = Number(text);
  const problem =
    text.trim() === '' || !Number.isInteger(n) || n < timeout.min || n > timeout.max ? `Whole seconds from ${timeout.min} to ${timeout.max}.` : undefined;

  const save = (seconds: number | null, done: string) => {
    setBusy(true);
    void change({ promptTimeoutSeconds: seconds }).then((r) => {
      setBusy(false);
      setResult(r.ok ? { ok: true, text: done } : { ok: false, text: r.reason });
      if (r.ok) setDraft(undefined);
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || timeout.locked) return;
    if (problem !== undefined) return setResult({ ok: false, text: problem });
    save(n, `Saved: prompts now wait ${n} seconds.`);
  };

  return (
    <SettingSection id="prompt-timeout" title="Prompt timeout" locked={timeout.locked ? 'Locked by managed policy' : undefined} result={result}>
      <p className="subtle">A call nobody answers within this time is denied (that call only: the next one asks again).</p>
      <form className="field" onSubmit={submit} noValidate>
        <label htmlFor={id}>Seconds a prompt waits</label>
        <div className="setting-row">
          <input
            id={id}
            className="input setting-number"
            inputMode="numeric"
            value={text}
            readOnly={timeout.locked}
            aria-readonly={timeout.locked}
            aria-invalid={problem !== undefined}
            aria-describedby={`${id}-source`}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="prompt-timeout-input"
          />
          <span className="setting-unit" aria-hidden="true">
            seconds
          </span>
          {timeout.locked ? null : (
            <>
              <button type="submit" className="button button-primary" aria-disabled={busy}>
                Save
              </button>
              {timeout.source === 'user' ? (
                <button type="button" className="button" onClick={() => save(null, 'Saved: back to the built-in default.')} aria-disabled={busy}>
                  Use the default
                </button>
              ) : null}
            </>
          )}
        </div>
      </form>
      <p id={`${id}-source`} className="subtle" data-testid="prompt-timeout-source">
        {`${sourceText(timeout.source, timeout.file)}: ${timeout.seconds} seconds.`}
        {timeout.locked ? ' Your IT department sets it; it cannot be changed here.' : ` From ${timeout.min} to ${timeout.max} seconds.`}
      </p>
    </SettingSection>
  );
}
