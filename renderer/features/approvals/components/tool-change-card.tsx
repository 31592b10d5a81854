import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ToolChangeAnswer, ToolChangePrompt } from '../../../../shared/approvals.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { useInputProtection } from '../hooks/use-input-protection.js';
import { messageOf } from '../hooks/use-prompts.js';
import { shortHash, visible } from '../lib/visible-text.js';
import { AnswerButton } from './answer-button.js';
import { ControlState } from './control-state.js';
import { LineDiffView } from './line-diff-view.js';
import './prompt-card.css';
import './answer-controls.css';

/** A tool (or the server's instructions) that changed since the user approved it: held until reviewed. */
export function ToolChangeCard({ prompt }: { prompt: ToolChangePrompt }) {
  const guard = useGuard();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const busy = useRef(false);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'answered'>('idle');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [fullHash, setFullHash] = useState(false);
  const protection = useInputProtection(`${prompt.id}:${prompt.revision}`, busy);
  const inert = protection.protectedNow || phase !== 'idle';

  // "Keep blocked" has focus on each new prompt or revision: Enter can only keep it blocked.
  useLayoutEffect(() => {
    keep.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [prompt.id, prompt.revision]);

  const review = async (answer: ToolChangeAnswer) => {
    if (protection.isBlocked()) return;
    busy.current = true;
    setPhase('sending');
    setProblem(undefined);
    try {
      const result = await guard.approvals.review(prompt.id, prompt.revision, answer);
      if (result.ok) return setPhase('answered');
      setProblem(`MCP Guard did not take your answer: ${result.reason}`);
    } catch (e) {
      setProblem(`Your answer was not sent: ${messageOf(e)}`);
    }
    busy.current = false;
    setPhase('idle');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    keep.current?.focus();
  };

  const before = prompt.old === null ? '' : JSON.stringify(prompt.old, null, 2);
  const after = JSON.stringify(prompt.new, null, 2);
  return (
    <section
      className="card"
      aria-labelledby={headingId}
      data-testid="active-prompt"
      data-prompt-id={prompt.id}
      data-revision={prompt.revision}
      onKeyDown={onKeyDown}
    >
      <div className="card-head">
        <h2 id={headingId} ref={heading}>
          {toolChangeTitle(prompt)}
        </h2>
      </div>
      <p>
        {prompt.tool === undefined
          ? 'Every tool of this server is held until you review the new instructions.'
          : 'Calls to this tool are held until you review its new definition.'}
      </p>
      <LineDiffView before={before} after={after} />
      <p className="hash">
        {'New definition: SHA-256 '}
        <code title={prompt.hash} data-testid="change-hash">
          {fullHash ? prompt.hash : `${shortHash(prompt.hash)}…`}
        </code>{' '}
        <button type="button" className="fold-button" aria-expanded={fullHash} onClick={() => setFullHash(!fullHash)}>
          {fullHash ? 'Show short hash' : 'Show full hash'}
        </button>
      </p>
      <div className="answer" {...protection.gate} aria-busy={phase === 'sending' ? 'true' : undefined}>
        <ControlState waiting={protection.protectedNow} phase={phase} />
        <div className="answer-buttons">
          <AnswerButton label="Keep blocked" tone="deny" inert={inert} onPress={() => void review({ kind: 'keep-blocked' })} buttonRef={keep} />
          <AnswerButton label="Approve change" tone="allow" inert={inert} onPress={() => void review({ kind: 'approve', hash: prompt.hash })} />
        </div>
      </div>
      {problem !== undefined && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </section>
  );
}

export function toolChangeTitle(prompt: ToolChangePrompt): string {
  const server = visible(prompt.server);
  if (prompt.tool === undefined) return `Server instructions of ${server} changed`;
  const tool = visible(prompt.tool);
  return prompt.old === null ? `${tool} on ${server} is new` : `${tool} on ${server} changed since you approved it`;
}
