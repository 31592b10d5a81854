import { useId, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { CallPrompt } from '../../../../shared/approvals.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { useCallAnswer } from '../hooks/use-call-answer.js';
import { useInteracting } from '../hooks/use-interacting.js';
import type { Notify } from '../hooks/use-notices.js';
import { shortcutOf } from '../lib/answer-keys.js';
import { plural } from '../lib/labels.js';
import { visible } from '../lib/visible-text.js';
import { AgentFacts, ServerFacts } from './call-facts.js';
import { CallAnswerControls } from './call-answer-controls.js';
import { Countdown } from './countdown.js';
import { JsonView } from './json-view.js';
import { RiskHints } from './risk-hints.js';
import { ToolFacts } from './tool-facts.js';
import './prompt-card.css';

/**
 * The active call prompt: what would run, for whom, and the answers. Mounted once per prompt id
 * (the panel keys it), so a prompt that replaces another starts from scratch; a new revision of the
 * same prompt moves focus back to Deny and restarts the input protection.
 */
export function CallPromptCard({ prompt, notify }: { prompt: CallPrompt; notify: Notify }) {
  const guard = useGuard();
  const headingId = useId();
  const card = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const deny = useRef<HTMLButtonElement>(null);
  const answer = useCallAnswer(prompt, notify);
  const interacting = useInteracting(guard, prompt.id, card);

  // Deny, never an Allow, has focus on each new prompt or revision: Enter can only deny.
  useLayoutEffect(() => {
    const button = deny.current;
    if (button === null) return;
    interacting.autoFocusing(button);
    button.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'nearest' });
    // Runs per prompt and revision only; `interacting` is a new object each render.
  }, [prompt.id, prompt.revision]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      deny.current?.focus();
      return;
    }
    if (e.repeat) return;
    const action = shortcutOf(e);
    if (action === undefined) return;
    // A plain "d" typed into the duration field is typing, not an answer.
    if (action === 'deny' && e.target instanceof HTMLInputElement && e.target.type !== 'checkbox' && e.target.type !== 'radio') return;
    e.preventDefault();
    answer.act(action);
  };

  const { tool, server } = prompt;
  return (
    <section
      ref={card}
      className="card"
      aria-labelledby={headingId}
      data-testid="active-prompt"
      data-prompt-id={prompt.id}
      data-revision={prompt.revision}
      onKeyDown={onKeyDown}
      {...interacting.handlers}
    >
      <div className="card-head">
        <h2 id={headingId} ref={heading}>
          {`Allow ${visible(tool.name)} on ${visible(server.name)}?`}
        </h2>
        <div className="card-meta">
          {prompt.count > 1 && (
            <p className="count" data-testid="identical-count">
              {`×${prompt.count} identical calls waiting`}
            </p>
          )}
          <Countdown prompt={prompt} />
        </div>
      </div>
      <div className="facts-grid">
        <AgentFacts agent={prompt.agent} />
        <ServerFacts server={server} />
      </div>
      <ToolFacts tool={tool} />
      <div className="facts">
        <h3>Call arguments</h3>
        {prompt.masked > 0 && (
          <p className="note" data-testid="masked-note">
            {prompt.masked === 1 ? '1 secret-looking value is hidden' : `${plural(prompt.masked, 'secret-looking value', 'secret-looking values')} are hidden`}
          </p>
        )}
        {prompt.arguments === undefined ? <p>The call has no arguments.</p> : <JsonView value={prompt.arguments} />}
      </div>
      <RiskHints hints={prompt.hints} />
      <p className="asked" data-testid="asked-by">
        {`Asked by: ${prompt.asked.layer} rule ${visible(prompt.asked.rule)} — ${prompt.asked.reason}`}
      </p>
      <CallAnswerControls prompt={prompt} answer={answer} denyRef={deny} />
      {answer.problem !== undefined && (
        <p role="alert" className="problem">
          {answer.problem}
        </p>
      )}
    </section>
  );
}
