import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/decision.js';
import { harness, stopHarnesses } from '../helpers/in-process-proxy.js';

const allow: Decision = { effect: 'allow', layer: 'user', rule: 'test', reason: 'test allows', hints: [] };
const ask: Decision = { effect: 'ask', layer: 'user', rule: 'ask-rule', reason: 'needs a human', hints: [] };
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.1.0' } };

afterEach(stopHarnesses);

/**
 * Threat: in the 2026-07-28 flow, an agent approved for one call reuses its `requestState` with
 * other arguments, to run them without asking.
 */
describe('an input_required continuation', () => {
  it('continues without asking only with the arguments that were approved', async () => {
    let decisions = 0;
    const h = harness(() => (decisions++ === 0 ? Promise.resolve(allow) : ask));
    h.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'needs-input', arguments: { path: '/tmp/a' }, _meta: meta } });
    expect((await h.waitFor((m) => m.id === 1)).result.resultType).toBe('input_required');
    h.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'needs-input', arguments: { path: '/etc/passwd' }, requestState: 'state-1', _meta: meta },
    });
    const other = await h.waitFor((m) => m.id === 2);
    expect(h.calls[1]?.continuation).toBe(false);
    expect(other.result.isError).toBe(true);
    expect(other.result.content[0].text).toMatch(/approval needed/);
    // Key order does not matter: the same arguments continue.
    h.send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'needs-input', arguments: { path: '/tmp/a' }, requestState: 'state-1', _meta: meta },
    });
    expect((await h.waitFor((m) => m.id === 3)).result.content[0].text).toBe('finished with input');
    expect(h.calls[2]?.continuation).toBe(true);
  });
});
