/**
 * The requests the server has not answered yet, by id, and the `requestState` handles of
 * 2026-07-28 `input_required` results (a retry that echoes one continues an approved call).
 */
import type { Verdict } from './decider.js';
import { canonicalJson } from '../common/canonical-json.js';
import { idKey, type RequestId } from './json-rpc.js';

/** A tool call the guard decided: what the audit record of its end needs. */
export type CallState = { tool: string; arguments: unknown; decision: Verdict; decidedAt: number; requestState?: string };

export type Pending = {
  id: RequestId;
  method: string;
  startedAt: number;
  /** Sent by the proxy itself (a tools/list re-check): its answer is not the client's. */
  internal?: boolean;
  /** The cursor a tools/list asked for (a later page of a listing). */
  cursor?: string;
  /** Which page of its re-check an internal tools/list asks for, from 1. */
  recheckPage?: number;
  call?: CallState;
};

const CONTINUATION_LIMIT = 1024;

/** Requests whose answers the guard must read whole (filter, pin): never streamed through. */
const READ_WHOLE = new Set(['tools/list', 'initialize', 'server/discover']);

/** Whether the answer to `pending` may reach the client streamed, unread. */
export function mayStream(pending: Pending): boolean {
  return !pending.internal && !READ_WHOLE.has(pending.method);
}

export class InFlight {
  /**
   * The request in flight while it is the only one (a client's usual pace): kept out of `byId`,
   * because a long-lived Map that goes from one entry to none re-allocates its table on every
   * delete, in the old generation once the Map is there: ~150 bytes of garbage per call that only
   * a full collection frees, which made a long session's RSS creep.
   */
  private solo: { key: string; pending: Pending } | undefined;
  private readonly byId = new Map<string, Pending>();
  /** requestState → the approved call it continues: its tool and its arguments as canonical JSON. */
  private readonly continuations = new Map<string, { tool: string; args: string }>();
  /** Requests awaiting an answer that must be read whole (READ_WHOLE): while any is, long server lines are buffered, not streamed. */
  readWholePending = 0;

  has(id: RequestId): boolean {
    const key = idKey(id);
    return this.solo?.key === key || this.byId.has(key);
  }

  add(pending: Pending): void {
    const key = idKey(pending.id);
    if (this.solo === undefined && this.byId.size === 0) this.solo = { key, pending };
    else this.byId.set(key, pending);
    if (READ_WHOLE.has(pending.method)) this.readWholePending++;
  }

  get(id: RequestId): Pending | undefined {
    const key = idKey(id);
    return this.solo?.key === key ? this.solo.pending : this.byId.get(key);
  }

  take(id: RequestId): Pending | undefined {
    const key = idKey(id);
    let pending: Pending | undefined;
    if (this.solo?.key === key) {
      pending = this.solo.pending;
      this.solo = undefined;
    } else {
      pending = this.byId.get(key);
      if (!pending) return undefined;
      this.byId.delete(key);
    }
    if (READ_WHOLE.has(pending.method)) this.readWholePending--;
    return pending;
  }

  /** The requests in flight whose answers must be read whole. */
  readWhole(): Pending[] {
    const all = this.solo ? [this.solo.pending, ...this.byId.values()] : [...this.byId.values()];
    return all.filter((p) => READ_WHOLE.has(p.method));
  }

  /** Removes and returns every request still waiting (the server is gone), in the order they came. */
  takeAll(): Pending[] {
    const all = [...(this.solo ? [this.solo.pending] : []), ...this.byId.values()];
    for (const p of all) this.take(p.id);
    return all;
  }

  /**
   * Whether a call continues an approved one: the server issued this `requestState` for a call of
   * the same tool with the same arguments (an approval covers only the call that was approved).
   */
  continues(requestState: string | undefined, tool: string, args: unknown): boolean {
    if (requestState === undefined) return false;
    const approved = this.continuations.get(requestState);
    return approved !== undefined && approved.tool === tool && approved.args === canonicalJson(args);
  }

  /** The server asked for more input: a retry with this handle continues the same call. Handles are single-use. */
  expectContinuation(requestState: string, tool: string, args: unknown): void {
    if (this.continuations.size >= CONTINUATION_LIMIT) this.continuations.delete(this.continuations.keys().next().value!);
    this.continuations.set(requestState, { tool, args: canonicalJson(args) });
  }

  continuationUsed(requestState: string | undefined): void {
    if (requestState !== undefined) this.continuations.delete(requestState);
  }
}
