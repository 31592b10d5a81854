import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawPeer } from '../helpers/raw-peer.js';
import { rawServer, startProxy, tempDir } from '../helpers/proxy.js';

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

async function started(options: string[] = []): Promise<{ peer: RawPeer; record: string }> {
  const record = join(tempDir(), 'received.jsonl');
  peer = startProxy(options, rawServer('--record', record));
  await peer.initialize();
  return { peer, record };
}

const forwarded = (record: string) => readFileSync(record, 'utf8');

describe('bad input from the client is answered, logged and never forwarded', () => {
  it('answers a line that is not JSON with a parse error when its id can be found, and keeps working', async () => {
    const { peer, record } = await started();
    peer.send('{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{oops');
    const error = await peer.waitFor((m) => m.id === 41);
    expect(error.error.code).toBe(-32700);
    expect(peer.stderr).toMatch(/not JSON; not forwarded/);
    expect((await peer.request(42, 'ping')).result).toEqual({});
    expect(forwarded(record)).not.toContain('oops');
  });

  it('answers a message that is not JSON-RPC with Invalid Request (-32600)', async () => {
    const { peer, record } = await started();
    peer.send({ id: 43, method: 'tools/call', params: { name: 'echo' } });
    const error = await peer.waitFor((m) => m.id === 43);
    expect(error.error.code).toBe(-32600);
    expect(error.error.message).toMatch(/"jsonrpc" must be "2.0"/);
    expect(forwarded(record)).not.toContain('"id":43');
  });

  it('answers an oversized line with -32600 naming the limit, skips it, and carries on', async () => {
    const { peer, record } = await started(['--max-line-bytes', '4096']);
    peer.send({ jsonrpc: '2.0', id: 44, method: 'tools/call', params: { name: 'echo', arguments: { blob: 'y'.repeat(10_000) } } });
    const error = await peer.waitFor((m) => m.id === 44);
    expect(error.error.code).toBe(-32600);
    expect(error.error.message).toMatch(/exceeds MCP Guard's limit of 4096 bytes/);
    expect((await peer.request(45, 'ping')).result).toEqual({});
    expect(forwarded(record)).not.toContain('yyyy');
  });

  it('refuses a batch with one error per request in it, forwarding none of it', async () => {
    const { peer, record } = await started();
    peer.send([
      { jsonrpc: '2.0', id: 46, method: 'tools/call', params: { name: 'delete_everything' } },
      { jsonrpc: '2.0', method: 'notifications/progress' },
      { jsonrpc: '2.0', id: 47, method: 'ping' },
    ]);
    const batch = await new Promise<string>((resolve) => {
      const timer = setInterval(() => {
        const line = peer.rawLines.find((l) => l.startsWith('['));
        if (!line) return;
        clearInterval(timer);
        resolve(line);
      }, 10);
    });
    const errors = JSON.parse(batch) as Array<{ id: number; error: { code: number } }>;
    expect(errors.map((e) => [e.id, e.error.code])).toEqual([
      [46, -32600],
      [47, -32600],
    ]);
    expect(forwarded(record)).not.toContain('delete_everything');
  });
});
