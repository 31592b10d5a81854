import * as Dialog from '@radix-ui/react-dialog';
import { useRef, useState } from 'react';
import type { ToolChangeAnswer, ToolChangePrompt } from '../../../../shared/approvals.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { SideBySideDiff } from '../../../components/side-by-side-diff.js';
import { AnswerButton } from '../../approvals/components/answer-button.js';
import { ControlState } from '../../approvals/components/control-state.js';
import { toolChangeTitle } from '../../approvals/components/tool-change-card.js';
import { useInputProtection } from '../../approvals/hooks/use-input-protection.js';
import { messageOf } from '../../approvals/hooks/use-prompts.js';
import { useShownReporter } from '../../approvals/hooks/use-shown-reporter.js';
import { shortHash, visible } from '../../approvals/lib/visible-text.js';
import '../../approvals/components/answer-controls.css';
import './server-dialogs.css';

/**
 * A changed tool (a "rug pull" or an honest update) as the pin file holds it: the definition you
 * approved beside the one the server lists now. The answer takes the same path as the prompt's
 * (`approvals:shown`, then `approvals:review` naming the exact hash shown), with the same input
 * protection; "Keep blocked" has the focus.
 */
export function ToolChangeDialog({ prompt, onClose }: { prompt: ToolChangePrompt; onClose: (answered?: ToolChangeAnswer['kind']) => void }) {
  const guard = useGuard();
  const connection = useConnectionState();
  const keep = useRef<HTMLButtonElement>(null);
  const busy = useRef(false);
  // Answered: the page moves the focus to what happened (the button that opened this is gone).
  const answered = useRef(false);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'answered'>('idle');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const protection = useInputProtection(`${prompt.id}:${prompt.revision}`, busy);
  useShownReporter(guard, prompt, connection.generation);
  const inert = protection.protectedNow || phase !== 'idle';

  const review = async (answer: ToolChangeAnswer) => {
    if (protection.isBlocked()) return;
    busy.current = true;
    setPhase('sending');
    setProblem(undefined);
    try {
      const result = await guard.approvals.review(prompt.id, prompt.revision, answer);
      if (result.ok) {
        setPhase('answered');
        answered.current = true;
        return onClose(answer.kind);
      }
      setProblem(`MCP Guard did not take your answer: ${result.reason}`);
    } catch (e) {
      setProblem(`Your answer was not sent: ${messageOf(e)}`);
    }
    busy.current = false;
    setPhase('idle');
  };

  const before = prompt.old === null ? '' : JSON.stringify(prompt.old, null, 2);
  const after = JSON.stringify(prompt.new, null, 2);
  return (
    <Dialog.Root open onOpenChange={(open) => !open && phase !== 'sending' && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog servers-dialog servers-dialog-wide"
          data-testid="tool-change-dialog"
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            keep.current?.focus();
          }}
          onCloseAutoFocus={(e) => answered.current && e.preventDefault()}
        >
          <Dialog.Title className="dialog-title">{toolChangeTitle(prompt)}</Dialog.Title>
          <Dialog.Description className="subtle">
            {prompt.tool === undefined
              ? 'Every tool of this server is held until you review its new instructions. Approve only what you would have approved in the first place.'
              : 'Calls to this tool are held until you review its new definition: its description, input schema and annotations are what the agent reads. Approve only what you would have approved in the first place.'}
          </Dialog.Description>
          <SideBySideDiff
            before={before}
            after={after}
            beforeLabel="Approved definition"
            afterLabel="Listed now"
            caption={`The approved definition of ${prompt.tool ?? 'the instructions'} beside the one listed now`}
            show={visible}
          />
          <p className="hash">
            {'Listed now: SHA-256 '}
            <code title={prompt.hash} data-testid="change-hash">{`${shortHash(prompt.hash)}…`}</code>
          </p>
          <div className="answer" {...protection.gate} aria-busy={phase === 'sending' ? 'true' : undefined}>
            <ControlState waiting={protection.protectedNow} phase={phase} />
            <div className="answer-buttons">
              <AnswerButton label="Keep blocked" tone="deny" inert={inert} onPress={() => void review({ kind: 'keep-blocked' })} buttonRef={keep} />
              <AnswerButton label="Approve new definition" tone="allow" inert={inert} onPress={() => void review({ kind: 'approve', hash: prompt.hash })} />
            </div>
          </div>
          {problem !== undefined ? (
            <p role="alert" className="field-error">
              {problem}
            </p>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
