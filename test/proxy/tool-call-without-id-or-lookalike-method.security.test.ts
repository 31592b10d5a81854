import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/decision.js';
import { harness, stopHarnesses } from '../helpers/in-process-proxy.js';
import { tempDir, waitUntil } from '../helpers/proxy.js';

const allow: Decision = { effect: 'allow', layer: 'user', rule: 'test', reason: 'test allows', hints: [] };

afterEach(stopHarnesses);

function methodsReceived(record: string): string[] {
  let text = '';
  try {
    text = readFileSync(record, 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => String((JSON.parse(l) as { method?: string }).method));
}

/**
 * Threat: a prompt-injected agent (or a buggy client) sends a tool call the guard does not see as
 * one: as a notification (no id), or under a method name a lenient server would dispatch as it.
 */
describe('tool calls in disguise', () => {
  it('refuses a tools/call without an id, never forwards it, and audits the refusal', async () => {
    const record = join(tempDir(), 'received.jsonl');
    const h = harness(() => allow, ['--record', record]);
    h.send({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'delete_everything', arguments: { all: true } } });
    h.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await h.waitFor((m) => m.id === 1);
    expect(methodsReceived(record)).toEqual(['ping']);
    expect(h.calls).toEqual([]); // not even asked about: refused outright
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({
      tool: 'delete_everything',
      outcome: { kind: 'denied' },
      decision: { effect: 'deny', reason: expect.stringMatching(/without an id/) as unknown },
    });
  });

  const lookalikes = [
    'Tools/Call',
    'tools/call ',
    ' tools/call',
    'tools/call\u200b',
    'tools\u0000/call',
    'tools/\u2060call',
    '\uff54\uff4f\uff4f\uff4c\uff53/\uff43\uff41\uff4c\uff4c',
    'TOOLS/LIST',
    'tools/list\t',
    'Initialize',
  ];
  it(`forwards none of ${lookalikes.length} look-alikes of the governed methods, and answers each request with an error`, async () => {
    const record = join(tempDir(), 'received.jsonl');
    const h = harness(() => allow, ['--record', record]);
    lookalikes.forEach((method, i) => {
      h.send({ jsonrpc: '2.0', id: 100 + i, method, params: { name: 'delete_everything', arguments: {} } });
      h.send({ jsonrpc: '2.0', method, params: { name: 'delete_everything', arguments: {} } });
    });
    for (let i = 0; i < lookalikes.length; i++) {
      const answer = await h.waitFor((m) => m.id === 100 + i);
      expect(answer.error?.code).toBe(-32600);
      expect(answer.error?.message).toMatch(/does not forward look-alikes/);
    }
    h.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await h.waitFor((m) => m.id === 1);
    expect(await waitUntil(() => methodsReceived(record).includes('ping'), 2000)).toBe(true);
    expect(methodsReceived(record)).toEqual(['ping']);
  });
});
