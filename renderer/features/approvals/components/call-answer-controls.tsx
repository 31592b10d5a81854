import { useId, type Ref } from 'react';
import type { CallPrompt } from '../../../../shared/approvals.js';
import type { CallAnswer } from '../hooks/use-call-answer.js';
import { SHORTCUTS } from '../lib/answer-keys.js';
import { shortHash } from '../lib/visible-text.js';
import { AnswerButton } from './answer-button.js';
import { ControlState } from './control-state.js';
import './answer-controls.css';

/** The answers a call prompt offers, with the scope and server choices that go with them. */
export function CallAnswerControls({ prompt, answer, denyRef }: { prompt: CallPrompt; answer: CallAnswer; denyRef: Ref<HTMLButtonElement> }) {
  const { protection, phase, choices, setChoices, offered, act, maxMinutes } = answer;
  const inert = protection.protectedNow || phase !== 'idle';
  const ids = useId();
  const approvable = prompt.server.id !== undefined ? prompt.server.approvable : undefined;
  const grants = offered('allow-session') || offered('allow-always');
  const limit = prompt.offers.maxGrantMinutes;

  return (
    <div className="answer" {...protection.gate} aria-busy={phase === 'sending' ? 'true' : undefined}>
      <ControlState waiting={protection.protectedNow} phase={phase} />
      {grants && (
        <fieldset className="scope" aria-disabled={inert ? 'true' : undefined}>
          <legend>Arguments</legend>
          <p className="subtle">For “this session”, a duration or always:</p>
          <label className="choice">
            <input
              type="radio"
              name={`${ids}-scope`}
              value="any-arguments"
              checked={choices.scope === 'any-arguments'}
              onChange={() => setChoices({ scope: 'any-arguments' })}
            />
            For any arguments
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${ids}-scope`}
              value="exact-arguments"
              checked={choices.scope === 'exact-arguments'}
              onChange={() => setChoices({ scope: 'exact-arguments' })}
            />
            Exactly these arguments
          </label>
        </fieldset>
      )}
      {approvable !== undefined && (
        <label className="choice server-choice">
          <input type="checkbox" checked={choices.approveServer} onChange={(e) => setChoices({ approveServer: e.target.checked })} />
          {`Also approve this server (identity ${shortHash(approvable.identityHash)})`}
        </label>
      )}
      <div className="answer-buttons">
        <AnswerButton label="Deny" shortcut={SHORTCUTS.deny} tone="deny" inert={inert} onPress={() => act('deny')} buttonRef={denyRef} />
        <AnswerButton label="Allow once" shortcut={SHORTCUTS['allow-once']} tone="allow" inert={inert} onPress={() => act('allow-once')} />
        {offered('allow-session') && (
          <AnswerButton label="Allow for this session" shortcut={SHORTCUTS['allow-session']} tone="allow" inert={inert} onPress={() => act('allow-session')} />
        )}
        {offered('allow-15') && (
          <AnswerButton label="Allow for 15 minutes" shortcut={SHORTCUTS['allow-15']} tone="allow" inert={inert} onPress={() => act('allow-15')} />
        )}
        {offered('allow-60') && (
          <AnswerButton label="Allow for 1 hour" shortcut={SHORTCUTS['allow-60']} tone="allow" inert={inert} onPress={() => act('allow-60')} />
        )}
        {offered('allow-always') && (
          <AnswerButton label="Always allow" shortcut={SHORTCUTS['allow-always']} tone="always" inert={inert} onPress={() => act('allow-always')} />
        )}
      </div>
      {offered('allow-custom') && (
        <div className="custom-duration">
          <label htmlFor={`${ids}-minutes`}>Custom duration in minutes</label>
          <input
            id={`${ids}-minutes`}
            type="number"
            inputMode="numeric"
            min={1}
            max={maxMinutes}
            step={1}
            value={choices.minutes}
            aria-disabled={inert ? 'true' : undefined}
            aria-describedby={limit === undefined ? undefined : `${ids}-minutes-limit`}
            onChange={(e) => setChoices({ minutes: e.target.value })}
          />
          {limit !== undefined && <span className="subtle" id={`${ids}-minutes-limit`}>{`up to ${limit} (policy limit)`}</span>}
          <AnswerButton label="Allow for custom duration" tone="allow" inert={inert} onPress={() => act('allow-custom')} />
        </div>
      )}
    </div>
  );
}
