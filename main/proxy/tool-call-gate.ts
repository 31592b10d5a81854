/**
 * `tools/call` on its way to the server. The decider answers at once (the hot path) or with a
 * promise (an approval prompt), which holds only that call. The server never sees a held call,
 * so the client's cancellation of one is answered here and not forwarded. What is forwarded is
 * the object that was decided on, re-serialised, never the client's original bytes.
 */
import type { Decision } from '../../shared/decision.js';
import type { CallOutcome } from './call-record.js';
import type { ToolCall, Verdict } from './decider.js';
import { deniedResult } from './denial.js';
import type { GuardParts } from './guard-parts.js';
import type { CallState, Pending } from './in-flight.js';
import { ErrorCode, errorResponse, idKey, isObject, resultResponse, type JsonObject, type RequestId } from './json-rpc.js';

export type ToolCallGateOptions = GuardParts & {
  reply: (line: string) => void;
  record: (pending: Pending, call: CallState, outcome: CallOutcome) => void;
};

type Held = { id: RequestId; cancelled: boolean };

export class ToolCallGate {
  /** Calls waiting for a decision, by id key. */
  private readonly held = new Map<string, Held>();

  constructor(private readonly o: ToolCallGateOptions) {}

  /** A call with this id key is waiting for its decision (its id is in use). */
  holds(key: string): boolean {
    return this.held.has(key);
  }

  /** Decides a `tools/call` request; forwards it if allowed, answers it if not. */
  admit(id: RequestId, key: string, message: JsonObject): void {
    const startedAt = this.o.now();
    const params = isObject(message['params']) ? message['params'] : {};
    const tool = params['name'];
    if (typeof tool !== 'string' || tool === '') {
      this.o.reply(errorResponse(id, ErrorCode.InvalidParams, 'Invalid params: tools/call needs a string "name"'));
      return;
    }
    const requestState = typeof params['requestState'] === 'string' ? params['requestState'] : undefined;
    const call: ToolCall = {
      server: this.o.server,
      tool,
      arguments: params['arguments'],
      client: this.o.client(),
      requestId: id,
      continuation: this.o.inFlight.continues(requestState, tool, params['arguments']),
    };
    let decision: Verdict | Promise<Verdict>;
    try {
      decision = this.o.decider.decideCall(call);
    } catch (error) {
      decision = failClosed(error);
    }
    if (!(decision instanceof Promise)) return this.apply(call, message, decision, startedAt, requestState);
    const held: Held = { id, cancelled: false };
    this.held.set(key, held);
    decision
      .catch(failClosed)
      .then((d) => {
        // Already answered (cancelled by the client): only its audit record is left to write.
        if (held.cancelled) return this.recordUnforwarded(call, d, startedAt, { kind: 'cancelled' });
        if (this.held.get(key) !== held) return;
        this.held.delete(key);
        const gone = this.o.serverGone();
        if (!gone) return this.apply(call, message, d, startedAt, requestState);
        this.o.reply(errorResponse(id, ErrorCode.ServerUnavailable, gone.reason));
        this.recordUnforwarded(call, d, startedAt, { kind: 'server-exited' });
      })
      .catch((error: unknown) => this.o.log.log('error', `deciding a held call failed: ${String(error)}`));
  }

  /**
   * A `tools/call` without an id: MCP never sends one, and a server that dispatches by method alone
   * would run it undecided. Not forwarded, and audited as denied (there is no id to answer).
   */
  refuseNotification(message: JsonObject): void {
    const params = isObject(message['params']) ? message['params'] : {};
    const tool = typeof params['name'] === 'string' && params['name'] !== '' ? params['name'] : '(none)';
    this.o.log.log('warn', `client sent tools/call for tool ${JSON.stringify(tool)} without an id (a notification); refused`);
    const now = this.o.now();
    const decision: Verdict = {
      effect: 'deny',
      layer: 'default',
      rule: 'default',
      reason: 'a tools/call without an id (a JSON-RPC notification) is never forwarded',
      hints: [],
    };
    this.o.record(
      { id: '(notification)', method: 'tools/call', startedAt: now },
      { tool, arguments: params['arguments'], decision, decidedAt: now },
      { kind: 'denied' },
    );
  }

  /**
   * The client cancelled `target`. A held call is answered here (true), and audited as cancelled
   * once its decision arrives; any other is the server's to hear about (false).
   */
  cancelHeld(target: unknown): boolean {
    const held = typeof target === 'string' || typeof target === 'number' ? this.held.get(idKey(target)) : undefined;
    if (!held) return false;
    held.cancelled = true;
    this.held.delete(idKey(held.id));
    this.o.reply(errorResponse(held.id, ErrorCode.RequestCancelled, 'Request cancelled by the client before MCP Guard decided it'));
    return true;
  }

  private apply(call: ToolCall, message: JsonObject, decision: Verdict, startedAt: number, requestState: string | undefined): void {
    const decidedAt = this.o.now();
    const effect = call.continuation && decision.effect === 'ask' ? 'allow' : decision.effect;
    const pending: Pending = { id: call.requestId, method: 'tools/call', startedAt };
    if (effect === 'allow') {
      pending.call = { tool: call.tool, arguments: call.arguments, decision, decidedAt };
      if (requestState) pending.call.requestState = requestState;
      this.o.inFlight.add(pending);
      this.o.forward(message);
      return;
    }
    // `ask` reaching here means nobody could ask the user: deny, and say so.
    const final: Verdict = effect === 'ask' ? { ...decision, effect: 'deny', reason: `approval needed: ${decision.reason}` } : decision;
    this.o.reply(resultResponse(call.requestId, deniedResult(this.o.server, call.tool, final)));
    this.o.record(pending, { tool: call.tool, arguments: call.arguments, decision: final, decidedAt }, { kind: 'denied' });
  }

  /** A decided call the server never saw: every call has its audit record, forwarded or not. */
  private recordUnforwarded(call: ToolCall, decision: Verdict, startedAt: number, outcome: CallOutcome): void {
    const pending: Pending = { id: call.requestId, method: 'tools/call', startedAt };
    this.o.record(pending, { tool: call.tool, arguments: call.arguments, decision, decidedAt: this.o.now() }, outcome);
  }
}

function failClosed(error: unknown): Decision {
  return { effect: 'deny', layer: 'default', rule: 'default', reason: `MCP Guard could not decide this call (${String(error)})`, hints: [] };
}
