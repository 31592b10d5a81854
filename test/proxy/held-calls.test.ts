import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/decision.js';
import { harness, stopHarnesses } from '../helpers/in-process-proxy.js';

const allow: Decision = { effect: 'allow', layer: 'user', rule: 'test', reason: 'test allows', hints: [] };
const ask: Decision = { effect: 'ask', layer: 'user', rule: 'ask-rule', reason: 'needs a human', hints: [] };

const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.1.0' },
};

afterEach(stopHarnesses);

describe('calls held for a decision', () => {
  it('answers a notifications/cancelled for a held call itself and never forwards the call or the cancellation', async () => {
    let release: (d: Decision) => void = () => undefined;
    const h = harness((c) => (c.tool === 'echo' ? new Promise<Decision>((r) => (release = r)) : allow));
    h.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { x: 1 }, _meta: meta } });
    await new Promise((r) => setTimeout(r, 50));
    h.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'user gave up' } });
    const answer = await h.waitFor((m) => m.id === 1);
    expect(answer.error.code).toBe(-32800);
    release(allow);
    // The server answers echo calls with their arguments; a late forward would show up as a result for id 1.
    h.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: {}, _meta: meta } });
    release(allow);
    await h.waitFor((m) => m.id === 2 && m.result !== undefined);
    expect(h.received.filter((m) => m.id === 1)).toHaveLength(1);
    // Never forwarded, yet audited: the decision that came too late, and that the client cancelled.
    expect(h.records.find((r) => r.requestId === 1)).toMatchObject({
      tool: 'echo',
      arguments: { x: 1 },
      decision: { effect: 'allow' },
      outcome: { kind: 'cancelled' },
    });
  });

  it('answers and audits a held call whose server exits before its decision arrives', async () => {
    let release: (d: Decision) => void = () => undefined;
    const h = harness((c) => (c.tool === 'echo' ? new Promise<Decision>((r) => (release = r)) : allow));
    h.send({ jsonrpc: '2.0', id: 'held', method: 'tools/call', params: { name: 'echo', arguments: {} } });
    h.send({ jsonrpc: '2.0', id: 'die', method: 'tools/call', params: { name: 'die', arguments: {} } });
    await h.waitFor((m) => m.id === 'die');
    release(allow);
    const answer = await h.waitFor((m) => m.id === 'held');
    expect(answer.error.code).toBe(-32000);
    expect(h.records.find((r) => r.requestId === 'held')).toMatchObject({ tool: 'echo', outcome: { kind: 'server-exited' } });
  });

  it('keeps other traffic flowing while a call waits for its decision', async () => {
    let release: (d: Decision) => void = () => undefined;
    const h = harness((c) => (c.tool === 'slow' ? new Promise<Decision>((r) => (release = r)) : allow));
    h.send({ jsonrpc: '2.0', id: 'held', method: 'tools/call', params: { name: 'slow', arguments: { ms: 1 } } });
    h.send({ jsonrpc: '2.0', id: 'other', method: 'tools/call', params: { name: 'echo', arguments: {} } });
    await h.waitFor((m) => m.id === 'other');
    expect(h.received.some((m) => m.id === 'held')).toBe(false);
    release(allow);
    expect((await h.waitFor((m) => m.id === 'held')).result.content[0].text).toBe('done');
  });

  it('denies, failing closed, when the decision cannot be made', async () => {
    const h = harness(() => Promise.reject(new Error('service unreachable')));
    h.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    const answer = await h.waitFor((m) => m.id === 3);
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0].text).toMatch(/could not decide this call \(Error: service unreachable\)/);
  });

  it('denies an ask that nobody can answer, saying approval is needed', async () => {
    const h = harness(() => ask);
    h.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    const answer = await h.waitFor((m) => m.id === 4);
    expect(answer.result.content[0].text).toMatch(/approval needed: needs a human \(rule "ask-rule", user policy\)/);
    expect(h.records[0]?.outcome).toEqual({ kind: 'denied' });
  });
});

describe('the stateless 2026-07-28 revision', () => {
  it('reads the client identity from _meta and records it with each call', async () => {
    const h = harness(() => allow);
    h.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo', arguments: { q: 1 }, _meta: meta } });
    await h.waitFor((m) => m.id === 5);
    expect(h.calls[0]?.client).toEqual({ name: 'claude-code', version: '2.1.0', protocolVersion: '2026-07-28' });
    expect(h.records[0]).toMatchObject({ tool: 'echo', client: { name: 'claude-code' }, outcome: { kind: 'ok' } });
  });

  it('lets the retry of an input_required call continue without asking again, but not a replayed requestState', async () => {
    let decisions = 0;
    const h = harness(() => (decisions++ === 0 ? Promise.resolve(allow) : ask));
    h.send({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'needs-input', arguments: {}, _meta: meta } });
    expect((await h.waitFor((m) => m.id === 6)).result.resultType).toBe('input_required');
    h.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'needs-input', arguments: {}, inputResponses: { confirm: { action: 'accept' } }, requestState: 'state-1', _meta: meta },
    });
    expect((await h.waitFor((m) => m.id === 7)).result.content[0].text).toBe('finished with input');
    expect(h.calls[1]?.continuation).toBe(true);
    h.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'needs-input', arguments: {}, requestState: 'state-1', _meta: meta } });
    expect((await h.waitFor((m) => m.id === 8)).result.isError).toBe(true);
  });
});
