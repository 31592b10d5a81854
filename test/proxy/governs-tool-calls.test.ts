import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawPeer } from '../helpers/raw-peer.js';
import { rawServer, startProxy, tempDir } from '../helpers/proxy.js';

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

function receivedByServer(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the proxy governs tools/call and tools/list', () => {
  it('hides a denied tool from tools/list and answers its call itself, naming tool, server and reason', async () => {
    const record = join(tempDir(), 'received.jsonl');
    peer = startProxy(['--name', 'raw', '--deny', 'delete_*'], rawServer('--record', record));
    await peer.initialize();
    const list = await peer.request(1, 'tools/list');
    const names = (list.result.tools as Array<{ name: string }>).map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('delete_everything');

    const denied = await peer.request(2, 'tools/call', { name: 'delete_everything', arguments: {} });
    expect(denied.result.isError).toBe(true);
    expect(denied.result.content[0].text).toMatch(/denied the call to tool "delete_everything" of server "raw": .*--deny/);

    await peer.request(3, 'tools/call', { name: 'echo', arguments: { a: 1 } });
    const calls = receivedByServer(record).filter((m) => m['method'] === 'tools/call');
    expect(calls.map((m) => (m['params'] as { name: string }).name)).toEqual(['echo']);
  });

  it('forwards the call it decided on, re-serialised, so a duplicate key cannot smuggle another tool past it', async () => {
    const record = join(tempDir(), 'received.jsonl');
    peer = startProxy(['--deny', 'delete_everything'], rawServer('--record', record));
    await peer.initialize();
    // JSON.parse keeps the last "name"; a server parser that kept the first would run the denied tool.
    peer.send('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"delete_everything","name":"echo","arguments":{}}}');
    await peer.waitFor((m) => m.id === 7);
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    const callLine = lines.find((l) => l.includes('tools/call'))!;
    expect(callLine).not.toContain('delete_everything');
    expect(JSON.parse(callLine)).toEqual({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: {} } });
  });

  it('keeps request ids exactly as sent, strings and numbers, starting at 0', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    const byNumber = await peer.request(0, 'tools/call', { name: 'echo', arguments: {} });
    const byString = await peer.request('0', 'tools/call', { name: 'echo', arguments: {} });
    expect(byNumber.id).toBe(0);
    expect(byString.id).toBe('0');
    expect(peer.rawLines.some((l) => l.includes('"id":0,'))).toBe(true);
    expect(peer.rawLines.some((l) => l.includes('"id":"0",'))).toBe(true);
  });

  it('refuses a second request that reuses an id still in flight, without forwarding it', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    peer.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'slow', arguments: { ms: 300 } } });
    peer.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    const refused = await peer.waitFor((m) => m.id === 5 && m.error !== undefined);
    expect(refused.error.message).toMatch(/already in use/);
    const answered = await peer.waitFor((m) => m.id === 5 && m.result !== undefined);
    expect(answered.result.content[0].text).toBe('done');
  });

  it("never gives its own re-check an id the client has in flight, so the client's call gets its own answer", async () => {
    const tools = join(tempDir(), 'tools.json');
    writeFileSync(tools, JSON.stringify(['slow', 'notify-changed'].map((name) => ({ name, description: name, inputSchema: { type: 'object' } }))));
    peer = startProxy([], rawServer('--tools-file', tools));
    await peer.initialize();
    await peer.request(0, 'tools/list');
    // The id the proxy's first re-check of tools/list would take, on a call still running when the re-check starts.
    peer.send({ jsonrpc: '2.0', id: 'mcp-guard:recheck-1', method: 'tools/call', params: { name: 'slow', arguments: { ms: 400 } } });
    await peer.request(2, 'tools/call', { name: 'notify-changed', arguments: {} });
    const answer = await peer.waitFor((m) => m.id === 'mcp-guard:recheck-1');
    expect(answer.result).toEqual({ content: [{ type: 'text', text: 'done' }] });
    expect(peer.received.filter((m) => m.id === 'mcp-guard:recheck-1')).toHaveLength(1);
  });
});
