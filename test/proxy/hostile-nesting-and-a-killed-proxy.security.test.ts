import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawPeer } from '../helpers/raw-peer.js';
import { repoRoot } from '../helpers/paths.js';
import { alive, rawServer, startProxy, waitUntil } from '../helpers/proxy.js';

const hostileServer = join(repoRoot, 'dist', 'test', 'fixtures', 'hostile-server.js');

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Threat: a small message nested thousands of levels deep, from either side, to crash the proxy and end the agent's session. */
describe('deep nesting', () => {
  it('answers a client message nested 5,000 levels deep with an error and goes on', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    peer.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"a":${deep}}}}`);
    peer.send(`{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":${deep}}}`);
    expect((await peer.waitFor((m) => m.id === 1)).error.message).toMatch(/nests deeper than MCP Guard's limit of 128 levels/);
    expect((await peer.waitFor((m) => m.id === 2)).error.code).toBe(-32600);
    const echo = await peer.request(3, 'tools/call', { name: 'echo', arguments: { ok: true } });
    expect(echo.result.content[0].text).toBe('{"ok":true}');
  });

  it('drops a server answer nested 5,000 levels deep, answers the call with an error, and goes on', async () => {
    peer = startProxy([], [process.execPath, hostileServer, '--trick', 'deep-batch']);
    await peer.initialize();
    await peer.request(1, 'tools/list');
    const answer = await peer.request(2, 'tools/call', { name: 'arm', arguments: {} });
    expect(answer.error.message).toMatch(/nests deeper than MCP Guard's limit/);
    const echo = await peer.request(3, 'tools/call', { name: 'echo', arguments: {} });
    expect(echo.result.content[0].text).toBe('ok');
  });
});

/** Threat: the proxy dies in a way it cannot clean up after (SIGKILL, OOM); its server must not live on. */
describe('a proxy killed with SIGKILL', () => {
  it('takes its server and everything the server started with it', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    const answer = await peer.request(1, 'tools/call', { name: 'spawn-grandchild', arguments: {} });
    const grandchild = Number(answer.result.content[0].text);
    const stat = readFileSync(`/proc/${grandchild}/stat`, 'utf8');
    const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    expect(alive(grandchild)).toBe(true);
    expect(groupAlive(pgid)).toBe(true);
    peer.child.kill('SIGKILL');
    expect(await waitUntil(() => !groupAlive(pgid), 5000)).toBe(true);
    expect(alive(grandchild)).toBe(false);
  });
});
