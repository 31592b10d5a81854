/**
 * Who decides a `tools/call` in the proxy, in order: the `--allow` / `--deny` flags of `mcp-guard
 * run` (./list-decider.ts), which only ever tighten, then the policy decider (./policy-decider.ts:
 * policy, pins, grants, and the service for an ask), once ./guard-wiring.ts has loaded it. Until
 * then the proxy holds governed messages (./guard-proxy.ts `prepare`); if loading failed, every
 * call is denied (fail closed). The chain is also the audit sink: records go to the wiring's
 * reporter once it exists.
 */
import type { CallRecord, CallRecordSink } from './call-record.js';
import type { Decider, ListedTool, ToolCall, Verdict } from './decider.js';
import type { GuardWiring } from './guard-wiring.js';
import { ListDecider } from './list-decider.js';

export class DecisionChain implements Decider, CallRecordSink {
  /** Set once the policy, pins and service link are loaded. */
  wiring: GuardWiring | undefined;
  private readonly flags: ListDecider | undefined;

  constructor(allow: string[] | undefined, deny: string[]) {
    this.flags = allow || deny.length > 0 ? new ListDecider(allow, deny) : undefined;
  }

  decideCall(call: ToolCall): Verdict | Promise<Verdict> {
    const flagged = this.flags?.decideCall(call);
    if (flagged?.effect === 'deny') return flagged;
    if (!this.wiring) return { effect: 'deny', layer: 'default', rule: 'default', reason: 'MCP Guard could not load its policy (see its log)', hints: [] };
    return this.wiring.decider.decideCall(call);
  }

  visibleTools(...a: Parameters<Decider['visibleTools']>): ListedTool[] {
    const visible = this.wiring ? this.wiring.decider.visibleTools(...a) : [];
    return this.flags ? this.flags.visibleTools(a[0], visible) : visible;
  }

  record(call: CallRecord): void {
    this.wiring?.reporter.record(call);
  }
}
