import type { CallPrompt } from '../../../../shared/approvals.js';
import { useNow } from '../hooks/use-now.js';

/** "Denies in 42 s", from the service's deadline, or its remaining time while paused. */
export function Countdown({ prompt }: { prompt: CallPrompt }) {
  const now = useNow(250, !prompt.paused);
  const remaining = prompt.paused ? prompt.remainingMs : Math.max(0, prompt.deadline - now);
  return (
    <p className="countdown" data-testid="countdown">
      <span
        role="timer"
        className={remaining <= 10_000 ? 'countdown-time countdown-soon' : 'countdown-time'}
      >{`Denies in ${Math.ceil(remaining / 1000)} s`}</span>
      {prompt.paused ? (
        <span className="countdown-paused">Paused while you look</span>
      ) : (
        // Holds the notice's place (its text only in CSS), so pausing does not move the buttons below.
        <span className="countdown-paused countdown-placeholder" aria-hidden="true" />
      )}
    </p>
  );
}
