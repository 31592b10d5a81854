import { describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/decision.js';
import { AnswerError, ApprovalBroker, type ApprovalRequest, type BrokerLimits } from '../../main/service/approval-broker.js';
import { ListKeeper, ManualClock } from '../helpers/manual-clock.js';

const ask: Decision = { effect: 'ask', layer: 'user', rule: 'cc-github', reason: 'writes need a look', hints: [] };
const request = (args: unknown = { repo: 'a' }, sessionId = 's1'): ApprovalRequest => ({
  sessionId,
  client: { name: 'claude-code', version: '2.1.0' },
  server: 'github',
  call: { tool: 'create_issue', arguments: args, decision: ask },
});

function setup(limits: Partial<BrokerLimits> = {}) {
  const clock = new ManualClock();
  const keeper = new ListKeeper();
  const broker = new ApprovalBroker(keeper, () => ({ timeoutMs: 60_000, allowAlways: true, maxGrantMs: undefined, ...limits }), clock);
  return { clock, keeper, broker };
}

describe('approval broker', () => {
  it('allows once without leaving a grant behind', async () => {
    const { broker, keeper } = setup();
    const verdict = broker.request(request());
    broker.answer(broker.pending()[0]!.id, { kind: 'allow-once' }, 'dev');
    expect((await verdict).decision.effect).toBe('allow');
    expect((await verdict).approval).toEqual({ approver: 'dev', answer: 'allow-once' });
    expect(keeper.grants).toHaveLength(0);
    void broker.request(request());
    expect(broker.pending()).toHaveLength(1);
  });

  it('allow for the session covers later calls of that session only', async () => {
    const { broker } = setup();
    const first = broker.request(request());
    broker.answer(broker.pending()[0]!.id, { kind: 'allow-session', scope: 'any-arguments' }, 'dev');
    await first;
    expect((await broker.request(request({ repo: 'other' }))).decision.layer).toBe('grant');
    void broker.request(request({ repo: 'other' }, 's2'));
    expect(broker.pending()).toHaveLength(1);
  });

  it('a timed grant ends when its minutes are up', async () => {
    const { broker, clock } = setup();
    const first = broker.request(request());
    broker.answer(broker.pending()[0]!.id, { kind: 'allow-timed', minutes: 15, scope: 'exact-arguments' }, 'dev');
    expect((await first).approval?.until).toBe(new Date(clock.time + 15 * 60_000).toISOString());
    clock.advance(14 * 60_000);
    expect((await broker.request(request())).decision.layer).toBe('grant');
    void broker.request(request({ repo: 'b' }));
    expect(broker.pending()).toHaveLength(1);
    clock.advance(60_000);
    void broker.request(request());
    expect(broker.pending().map((p) => p.request.call.arguments)).toEqual([{ repo: 'a' }]);
  });

  it('denies that one call when nobody answers in time, and records nothing lasting', async () => {
    const { broker, clock, keeper } = setup();
    const verdict = broker.request(request());
    clock.advance(60_000);
    const v = await verdict;
    expect(v.decision.effect).toBe('deny');
    expect(v.decision.reason).toMatch(/nobody answered the approval prompt within 60 s/);
    expect(v.approval).toEqual({ approver: 'timeout', answer: 'deny' });
    expect(keeper.grants).toHaveLength(0);
  });

  it('pauses the deadline while the user interacts with the prompt', async () => {
    const { broker, clock } = setup();
    let settled = false;
    void broker.request(request()).then(() => (settled = true));
    const id = broker.pending()[0]!.id;
    clock.advance(50_000);
    broker.setInteracting(id, true);
    clock.advance(120_000);
    await Promise.resolve();
    expect(settled).toBe(false);
    broker.setInteracting(id, false);
    clock.advance(9_999);
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(true);
  });

  it('lets identical calls wait on the same prompt instead of stacking', async () => {
    const { broker } = setup();
    const a = broker.request(request());
    const b = broker.request(request());
    expect(broker.pending()).toHaveLength(1);
    broker.answer(broker.pending()[0]!.id, { kind: 'deny' }, 'dev');
    expect((await a).decision.effect).toBe('deny');
    expect((await b).decision.effect).toBe('deny');
  });

  it('refuses answers policy does not offer: always when not allowed, durations over the maximum', () => {
    const { broker } = setup({ allowAlways: false, maxGrantMs: 60 * 60_000 });
    void broker.request(request());
    const id = broker.pending()[0]!.id;
    expect(() => broker.answer(id, { kind: 'allow-always', scope: 'any-arguments' }, 'dev')).toThrow(AnswerError);
    expect(() => broker.answer(id, { kind: 'allow-timed', minutes: 61, scope: 'any-arguments' }, 'dev')).toThrow(/at most 60 minutes/);
    expect(broker.pending()).toHaveLength(1);
  });
});
