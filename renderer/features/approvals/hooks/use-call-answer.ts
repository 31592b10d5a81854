import { useRef, useState } from 'react';
import { MAX_TIMED_MINUTES, type ApprovalScope, type CallPrompt, type PromptAnswer } from '../../../../shared/approvals.js';
import { useGuard } from '../../../bridge/guard-context.js';
import type { ShortcutAction } from '../lib/answer-keys.js';
import { shortHash } from '../lib/visible-text.js';
import { useInputProtection, type InputProtection } from './use-input-protection.js';
import type { Notify } from './use-notices.js';
import { messageOf } from './use-prompts.js';

/** What the user set beside the buttons; back to these (the safer ones) whenever the prompt's content changes. */
export interface CallChoices {
  readonly scope: ApprovalScope;
  readonly approveServer: boolean;
  readonly minutes: string;
}
const DEFAULT_CHOICES: CallChoices = { scope: 'exact-arguments', approveServer: false, minutes: '' };

export type CallAction = ShortcutAction | 'allow-custom';
export type AnswerPhase = 'idle' | 'sending' | 'answered';

export interface CallAnswer {
  readonly protection: InputProtection;
  readonly phase: AnswerPhase;
  /** Why the last answer was not taken (shown in the card as an alert). */
  readonly problem: string | undefined;
  readonly choices: CallChoices;
  readonly setChoices: (next: Partial<CallChoices>) => void;
  /** Whether the prompt offers this answer at all (its button is shown only then). */
  readonly offered: (action: CallAction) => boolean;
  /** Answers, unless input is blocked (protection, sending) or the answer is not offered. */
  readonly act: (action: CallAction) => void;
  readonly maxMinutes: number;
}

export function useCallAnswer(prompt: CallPrompt, notify: Notify): CallAnswer {
  const guard = useGuard();
  const busy = useRef(false);
  const [phase, setPhase] = useState<AnswerPhase>('idle');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [stored, setStored] = useState({ revision: prompt.revision, choices: DEFAULT_CHOICES });
  const protection = useInputProtection(`${prompt.id}:${prompt.revision}`, busy);

  const choices = stored.revision === prompt.revision ? stored.choices : DEFAULT_CHOICES;
  const { offers, server } = prompt;
  const maxMinutes = offers.maxGrantMinutes ?? MAX_TIMED_MINUTES;

  const offered = (action: CallAction): boolean => {
    switch (action) {
      case 'deny':
      case 'allow-once':
        return true;
      case 'allow-session':
      case 'allow-custom':
        return offers.grants;
      case 'allow-15':
        return offers.grants && maxMinutes >= 15;
      case 'allow-60':
        return offers.grants && maxMinutes >= 60;
      case 'allow-always':
        return offers.allowAlways;
    }
  };

  const answerFor = (action: CallAction): PromptAnswer | string => {
    const scope = choices.scope;
    switch (action) {
      case 'deny':
        return { kind: 'deny' };
      case 'allow-once':
        return { kind: 'allow-once' };
      case 'allow-session':
        return { kind: 'allow-session', scope };
      case 'allow-15':
        return { kind: 'allow-timed', minutes: 15, scope };
      case 'allow-60':
        return { kind: 'allow-timed', minutes: 60, scope };
      case 'allow-always':
        return { kind: 'allow-always', scope };
      case 'allow-custom': {
        const minutes = Number(choices.minutes.trim());
        if (choices.minutes.trim() === '' || !Number.isInteger(minutes) || minutes < 1 || minutes > maxMinutes)
          return `Enter a whole number of minutes from 1 to ${maxMinutes} for a custom duration.`;
        return { kind: 'allow-timed', minutes, scope };
      }
    }
  };

  const approveServer = async () => {
    const approvable = server.approvable;
    if (approvable === undefined || server.id === undefined) return;
    const identity = shortHash(approvable.identityHash);
    const result = await guard.servers.approve(server.id, approvable.identityHash).catch((e: unknown) => ({ ok: false as const, reason: messageOf(e) }));
    if (result.ok) notify('info', `Approved server ${server.name} (identity ${identity}).`);
    else notify('error', `Server ${server.name} was not approved: ${result.reason}`);
  };

  const send = async (answer: PromptAnswer, alsoApproveServer: boolean) => {
    busy.current = true;
    setPhase('sending');
    setProblem(undefined);
    try {
      const result = await guard.approvals.answer(prompt.id, prompt.revision, answer);
      if (!result.ok) {
        busy.current = false;
        setPhase('idle');
        setProblem(`MCP Guard did not take your answer: ${result.reason}`);
        return;
      }
      setPhase('answered');
      if (alsoApproveServer) await approveServer();
    } catch (e) {
      busy.current = false;
      setPhase('idle');
      setProblem(`Your answer was not sent: ${messageOf(e)}`);
    }
  };

  const act = (action: CallAction) => {
    if (protection.isBlocked() || !offered(action)) return;
    const answer = answerFor(action);
    if (typeof answer === 'string') return setProblem(answer);
    void send(answer, answer.kind !== 'deny' && choices.approveServer && server.approvable !== undefined);
  };

  const setChoices = (next: Partial<CallChoices>) => setStored({ revision: prompt.revision, choices: { ...choices, ...next } });

  return { protection, phase, problem, choices, setChoices, offered, act, maxMinutes };
}
