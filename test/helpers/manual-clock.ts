import type { Decision } from '../../shared/decision.js';
import type { Grant } from '../../shared/grant.js';
import type { ApprovalRequest, Clock, GrantKeeper } from '../../main/service/approval-broker.js';
import { findGrant } from '../../main/policy/grant-match.js';

/** A clock the test moves by hand, so deadlines are exact. */
export class ManualClock implements Clock {
  time = 1_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 0;
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.next, { at: this.time + ms, fn });
    return this.next;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    this.time += ms;
    for (const [h, t] of [...this.timers]) {
      if (t.at > this.time) continue;
      this.timers.delete(h);
      t.fn();
    }
  }
}

export class ListKeeper implements GrantKeeper {
  grants: Grant[] = [];
  covering(r: ApprovalRequest, now: number): Decision | undefined {
    const g = findGrant(
      this.grants,
      { server: r.server, tool: r.call.tool, arguments: r.call.arguments, sessionId: r.sessionId, now },
      { maxGrantMs: undefined, allowAlways: true },
    );
    return g && { effect: 'allow', layer: 'grant', rule: g.id, reason: 'granted', hints: [] };
  }
  add(g: Grant) {
    this.grants.push(g);
  }
}
