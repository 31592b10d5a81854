/**
 * Pending approvals: each held call waits here for the user's answer (from the app UI, or the
 * in-process API in tests and headless use), a grant that already covers it, or its deadline.
 * Nothing reachable from a proxy or the CLI can answer: `answer()` is an in-process call only.
 */
import { randomUUID } from 'node:crypto';
import type { AuditApproval } from '../../shared/audit.js';
import type { Decision, RiskHint } from '../../shared/decision.js';
import type { Grant } from '../../shared/grant.js';
import type { ClientIdentity, HeldCall, HeldCallAnswer } from '../../shared/proxy-protocol.js';
import { argumentsHash } from '../policy/grant-match.js';

export type ApprovalRequest = {
  sessionId: string;
  client: ClientIdentity & { pid?: number; cwd?: string };
  server: string;
  /** How the proxy launched it, as its hello said (a URL without credentials). */
  launch?: { command?: string[]; url?: string };
  call: HeldCall;
};

export type ApprovalScope = 'any-arguments' | 'exact-arguments';
export type UserAnswer =
  | { kind: 'deny' }
  | { kind: 'allow-once' }
  | { kind: 'allow-session'; scope: ApprovalScope }
  | { kind: 'allow-timed'; minutes: number; scope: ApprovalScope }
  | { kind: 'allow-always'; scope: ApprovalScope };

export type PendingApproval = {
  id: string;
  request: ApprovalRequest;
  hints: RiskHint[];
  createdAt: number;
  /** When the call is denied if nobody answers; moves while the user is interacting. */
  deadline: number;
  interacting: boolean;
  /** What is left of the deadline: frozen while the user interacts. */
  remainingMs: number;
  /** Identical calls waiting on this one prompt (one answer settles them all). */
  waiting: number;
  /** What the prompt may offer. */
  offers: { allowAlways: boolean; maxGrantMinutes: number | undefined };
};

export type BrokerLimits = {
  timeoutMs: number;
  allowAlways: boolean;
  maxGrantMs: number | undefined;
};

export interface GrantKeeper {
  /** The decision a live grant gives this call, or undefined. */
  covering(request: ApprovalRequest, now: number): Decision | undefined;
  add(grant: Grant): void;
}

export type Clock = {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

type Entry = Omit<PendingApproval, 'waiting' | 'remainingMs'> & {
  key: string;
  waiters: Array<(v: HeldCallAnswer) => void>;
  timer: unknown;
  pausedRemaining: number | undefined;
};

export class AnswerError extends Error {}

export class ApprovalBroker {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly timeoutListeners = new Set<(timedOut: PendingApproval) => void>();

  constructor(
    private readonly grants: GrantKeeper,
    private readonly limits: () => BrokerLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Subscribes to changes of the pending list; returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to calls denied because nobody answered in time; returns the unsubscribe function. */
  onDidTimeOut(listener: (timedOut: PendingApproval) => void): () => void {
    this.timeoutListeners.add(listener);
    return () => this.timeoutListeners.delete(listener);
  }

  pending(): PendingApproval[] {
    return [...this.entries.values()].map((entry) => this.view(entry));
  }

  private view({ key: _k, waiters, timer: _t, pausedRemaining, ...p }: Entry): PendingApproval {
    return { ...p, waiting: waiters.length, remainingMs: Math.round(pausedRemaining ?? Math.max(0, p.deadline - this.clock.now())) };
  }

  /** Resolves when a grant covers the call, the user answers, or the deadline passes (deny). */
  request(request: ApprovalRequest): Promise<HeldCallAnswer> {
    const now = this.clock.now();
    const granted = this.grants.covering(request, now);
    if (granted) return Promise.resolve({ decision: granted });
    const key = [request.server, request.call.tool, argumentsHash(request.call.arguments), request.client.name ?? ''].join('\0');
    const same = [...this.entries.values()].find((e) => e.key === key);
    if (same) {
      const merged = new Promise<HeldCallAnswer>((resolve) => same.waiters.push(resolve));
      this.changed();
      return merged;
    }
    const limits = this.limits();
    const entry: Entry = {
      id: randomUUID(),
      key,
      request,
      hints: request.call.decision.hints,
      createdAt: now,
      deadline: now + limits.timeoutMs,
      interacting: false,
      offers: {
        allowAlways: limits.allowAlways && limits.maxGrantMs === undefined,
        maxGrantMinutes: limits.maxGrantMs === undefined ? undefined : Math.floor(limits.maxGrantMs / 60_000),
      },
      waiters: [],
      timer: undefined,
      pausedRemaining: undefined,
    };
    const verdict = new Promise<HeldCallAnswer>((resolve) => entry.waiters.push(resolve));
    this.entries.set(entry.id, entry);
    this.arm(entry, limits.timeoutMs);
    this.changed();
    return verdict;
  }

  /** The user's answer. Throws AnswerError when the answer is not one the prompt may offer. */
  answer(id: string, answer: UserAnswer, approver: string): void {
    const entry = this.entries.get(id);
    if (!entry) throw new AnswerError(`no pending approval ${id} (answered, timed out or withdrawn)`);
    const now = this.clock.now();
    const asked = entry.request.call.decision;
    const approval: AuditApproval = { approver, answer: answer.kind };
    if (answer.kind !== 'deny' && answer.kind !== 'allow-once') {
      this.checkOffered(entry, answer);
      approval.scope = answer.scope;
      const grant = this.grantFor(entry, answer, now);
      if (grant.expiresAt !== null) approval.until = new Date(grant.expiresAt).toISOString();
      this.grants.add(grant);
    }
    const decision: Decision =
      answer.kind === 'deny'
        ? { ...asked, effect: 'deny', reason: `denied by ${approver}: ${asked.reason}` }
        : { ...asked, effect: 'allow', reason: `approved by ${approver} (${answer.kind}): ${asked.reason}` };
    this.settle(entry, { decision, approval });
  }

  /** The UI says the user is looking at (or typing in) this prompt: the deadline waits. */
  setInteracting(id: string, interacting: boolean): void {
    const entry = this.entries.get(id);
    if (!entry || entry.interacting === interacting) return;
    entry.interacting = interacting;
    if (interacting) {
      this.clock.clearTimeout(entry.timer);
      entry.pausedRemaining = Math.max(0, entry.deadline - this.clock.now());
    } else {
      const remaining = entry.pausedRemaining ?? 0;
      entry.deadline = this.clock.now() + remaining;
      entry.pausedRemaining = undefined;
      this.arm(entry, remaining);
    }
    this.changed();
  }

  /** Denies every pending call of a server (it was disabled), or all of them (shutdown). */
  withdraw(reason: string, server?: string): void {
    for (const entry of [...this.entries.values()]) {
      if (server !== undefined && entry.request.server !== server) continue;
      const asked = entry.request.call.decision;
      this.settle(entry, { decision: { ...asked, effect: 'deny', reason } });
    }
  }

  private checkOffered(entry: Entry, answer: Exclude<UserAnswer, { kind: 'deny' | 'allow-once' }>): void {
    if (entry.request.call.grantable === false) throw new AnswerError('policy lets no grant answer this call; answer Deny or Allow once');
    if (answer.kind === 'allow-always' && !entry.offers.allowAlways) throw new AnswerError('policy does not offer "always allow" for this call');
    if (answer.kind === 'allow-timed') {
      if (!Number.isInteger(answer.minutes) || answer.minutes <= 0) throw new AnswerError(`minutes must be a whole number above 0, got ${answer.minutes}`);
      const max = entry.offers.maxGrantMinutes;
      if (max !== undefined && answer.minutes > max) throw new AnswerError(`policy allows grants of at most ${max} minutes, not ${answer.minutes}`);
    }
  }

  private grantFor(entry: Entry, answer: Exclude<UserAnswer, { kind: 'deny' | 'allow-once' }>, now: number): Grant {
    const { request } = entry;
    const scope =
      answer.scope === 'exact-arguments'
        ? { kind: 'tool-exact-args' as const, argsHash: argumentsHash(request.call.arguments) }
        : { kind: 'tool-any-args' as const };
    const layer = request.call.decision.layer;
    const base = {
      id: randomUUID(),
      scope,
      server: request.server,
      tool: request.call.tool,
      createdAt: now,
      source: layer === 'managed' || layer === 'user' ? layer : ('default' as const),
    };
    switch (answer.kind) {
      case 'allow-session':
        return { ...base, client: { kind: 'session', sessionId: request.sessionId }, lifetime: { kind: 'session' }, expiresAt: null };
      case 'allow-timed':
        return { ...base, client: { kind: 'any' }, lifetime: { kind: 'minutes', minutes: answer.minutes }, expiresAt: now + answer.minutes * 60_000 };
      case 'allow-always':
        return { ...base, client: { kind: 'any' }, lifetime: { kind: 'always' }, expiresAt: null };
    }
  }

  private arm(entry: Entry, ms: number): void {
    entry.timer = this.clock.setTimeout(() => {
      const asked = entry.request.call.decision;
      const seconds = Math.round((this.clock.now() - entry.createdAt) / 1000);
      this.settle(entry, {
        decision: { ...asked, effect: 'deny', reason: `nobody answered the approval prompt within ${seconds} s; denied this once: ${asked.reason}` },
        approval: { approver: 'timeout', answer: 'deny' },
      });
      const timedOut = this.view(entry);
      for (const listener of this.timeoutListeners) listener(timedOut);
    }, ms);
  }

  private settle(entry: Entry, verdict: HeldCallAnswer): void {
    this.clock.clearTimeout(entry.timer);
    this.entries.delete(entry.id);
    for (const resolve of entry.waiters) resolve(verdict);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
