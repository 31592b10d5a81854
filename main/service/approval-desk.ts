/**
 * The approval desk: what the UI sees of the pending approvals, and the only way its answers reach
 * them. It turns the broker's held calls and the pin file's changed tools into prompt views (with
 * secret-looking values masked, so the renderer never holds a secret), and refuses an answer that
 * does not name exactly what the user saw: a prompt the UI never said it showed, a revision other
 * than the one shown, an answer faster than a person can give one, or one that arrives after the
 * call was settled elsewhere.
 */
import { INPUT_PROTECTION_MS } from '../../shared/approvals.js';
import type { AnswerResult, CallPrompt, Prompt, PromptAnswer, ToolChangeAnswer } from '../../shared/approvals.js';
import { SecretScrubber, SECRET_MARKER } from '../audit/redaction.js';
import { AnswerError, type ApprovalBroker, type Clock, type PendingApproval } from './approval-broker.js';
import { revisionOf } from './prompt-revision.js';
import type { ServerFacts } from './server-facts.js';
import type { ToolChanges } from './tool-changes.js';

/**
 * The service's own floor under the renderer's input protection: an answer that arrives sooner
 * than this after the UI said the prompt was on screen was not given by a person who read it.
 * Below INPUT_PROTECTION_MS by the time the `shown` message may take to arrive before the answer.
 */
export const SERVICE_ANSWER_FLOOR_MS = INPUT_PROTECTION_MS - 150;

type Static = Omit<CallPrompt, 'count' | 'deadline' | 'paused' | 'remainingMs'>;

export type ApprovalDeskDeps = {
  broker: ApprovalBroker;
  toolChanges: ToolChanges;
  servers: ServerFacts;
  clock: Clock;
  /** Who answers, in the audit event: the OS user at the UI. */
  approver: string;
};

export class ApprovalDesk {
  private readonly views = new Map<string, Static>();
  private readonly shownAt = new Map<string, number>();
  private readonly listeners = new Set<(prompts: Prompt[]) => void>();
  private readonly scrubber = new SecretScrubber();

  constructor(private readonly d: ApprovalDeskDeps) {
    d.broker.onDidChange(() => this.changed());
    d.toolChanges.onDidChange(() => this.changed());
  }

  /** Subscribes to the list (sent whole on each change); returns the unsubscribe function. */
  onDidChange(listener: (prompts: Prompt[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to calls denied because nobody answered in time. */
  onDidTimeOut(listener: (timedOut: { id: string; tool: string; server: string }) => void): () => void {
    return this.d.broker.onDidTimeOut((p) => listener({ id: p.id, tool: p.request.call.tool, server: p.request.server }));
  }

  /** Held calls first (oldest first), then tool changes waiting for review. */
  list(): Prompt[] {
    const calls = this.d.broker.pending().map((p) => this.callPrompt(p));
    const live = new Set(calls.map((c) => c.id));
    for (const id of this.views.keys()) if (!live.has(id)) this.views.delete(id);
    const prompts: Prompt[] = [...calls, ...this.d.toolChanges.list()];
    const shown = new Set(prompts.map((p) => key(p.id, p.revision)));
    for (const k of this.shownAt.keys()) if (!shown.has(k)) this.shownAt.delete(k);
    return prompts;
  }

  /** The UI has this prompt, at this revision, on screen now. Unknown ids and revisions are ignored. */
  shown(id: string, revision: string): void {
    const prompt = this.list().find((p) => p.id === id && p.revision === revision);
    const k = key(id, revision);
    if (prompt && !this.shownAt.has(k)) this.shownAt.set(k, this.d.clock.now());
  }

  interacting(id: string, interacting: boolean): void {
    this.d.broker.setInteracting(id, interacting);
  }

  answer(id: string, revision: string, answer: PromptAnswer): AnswerResult {
    const prompt = this.list().find((p) => p.id === id);
    if (!prompt || prompt.kind !== 'call') return refused('this call is no longer waiting (answered elsewhere, timed out or withdrawn)');
    const checked = this.checkShown(prompt, revision);
    if (checked) return checked;
    try {
      this.d.broker.answer(id, answer, this.d.approver);
      return { ok: true };
    } catch (error) {
      if (error instanceof AnswerError) return refused(error.message);
      throw error;
    }
  }

  review(id: string, revision: string, answer: ToolChangeAnswer): AnswerResult {
    const prompt = this.list().find((p) => p.id === id);
    if (!prompt || prompt.kind !== 'tool-change')
      return refused('this change is no longer waiting for review (approved elsewhere, or the server listed another definition)');
    const checked = this.checkShown(prompt, revision);
    if (checked) return checked;
    if (answer.kind === 'keep-blocked') {
      this.d.toolChanges.dismiss(prompt);
      return { ok: true };
    }
    if (answer.hash !== prompt.hash)
      return refused(`the change you approved (${answer.hash.slice(0, 12)}) is not the one waiting (${prompt.hash.slice(0, 12)})`);
    return this.d.toolChanges.approve(prompt);
  }

  approveServer(serverId: string, identityHash: string): AnswerResult {
    return this.d.servers.approve(serverId, identityHash, new Date(this.d.clock.now()));
  }

  private checkShown(prompt: Prompt, revision: string): AnswerResult | undefined {
    if (prompt.revision !== revision) return refused('the prompt changed since you saw it; look at it again and answer');
    const at = this.shownAt.get(key(prompt.id, revision));
    if (at === undefined) return refused('this prompt was never shown to you; MCP Guard takes answers only for prompts on screen');
    if (this.d.clock.now() - at < SERVICE_ANSWER_FLOOR_MS)
      return refused(`answered within ${SERVICE_ANSWER_FLOOR_MS} ms of appearing; look at it, then answer`);
    return undefined;
  }

  private callPrompt(p: PendingApproval): CallPrompt {
    let view = this.views.get(p.id);
    if (!view) {
      view = this.staticView(p);
      this.views.set(p.id, view);
    }
    return { ...view, count: p.waiting, deadline: p.deadline, paused: p.interacting, remainingMs: p.remainingMs };
  }

  private staticView(p: PendingApproval): Static {
    const { request } = p;
    const { call } = request;
    const args = this.scrubber.scrub(call.arguments);
    const { pid, cwd, name, version } = request.client;
    const content = {
      kind: 'call' as const,
      agent: {
        ...(name !== undefined ? { name } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(cwd !== undefined ? { cwd: this.scrubber.scrubString(cwd) } : {}),
        ...(pid !== undefined ? { pid } : {}),
      },
      server: this.d.servers.describe(request.server, call.serverId, request.launch),
      tool: {
        name: call.tool,
        ...(call.description !== undefined ? { description: this.scrubber.scrubString(call.description) } : {}),
        ...(call.annotations !== undefined ? { annotations: call.annotations } : {}),
      },
      arguments: args,
      masked: countMarkers(args),
      hints: call.decision.hints.map((h) => ({ kind: h.kind, detail: this.scrubber.scrubString(h.detail) })),
      asked: { layer: call.decision.layer, rule: call.decision.rule, reason: this.scrubber.scrubString(call.decision.reason) },
      offers: {
        grants: call.grantable !== false,
        allowAlways: p.offers.allowAlways && call.grantable !== false,
        ...(p.offers.maxGrantMinutes !== undefined ? { maxGrantMinutes: Math.max(1, p.offers.maxGrantMinutes) } : {}),
      },
    };
    return { id: p.id, createdAt: p.createdAt, revision: revisionOf(content), ...content };
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const prompts = this.list();
    for (const listener of this.listeners) listener(prompts);
  }
}

function key(id: string, revision: string): string {
  return `${id}\0${revision}`;
}

function refused(reason: string): AnswerResult {
  return { ok: false, reason };
}

function countMarkers(value: unknown): number {
  if (typeof value === 'string') return value.split(SECRET_MARKER).length - 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countMarkers(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + countMarkers(v), 0);
  return 0;
}
