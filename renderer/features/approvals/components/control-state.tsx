import type { AnswerPhase } from '../hooks/use-call-answer.js';

/**
 * The line above the answer buttons: "Wait…" during the input protection, then the answer's
 * progress. It always takes its line, so nothing moves under the pointer when its text changes.
 */
export function ControlState({ waiting, phase }: { waiting: boolean; phase: AnswerPhase }) {
  const text = waiting ? 'Wait…' : phase === 'sending' ? 'Sending your answer…' : phase === 'answered' ? 'Answer sent.' : '\u00a0';
  return (
    <p className="control-state" data-testid="control-state" data-state={waiting ? 'wait' : phase}>
      {text}
    </p>
  );
}
