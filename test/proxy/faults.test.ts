import { afterEach, describe, expect, it } from 'vitest';
import { realServers } from '../helpers/paths.js';
import type { RawPeer } from '../helpers/raw-peer.js';
import { alive, guardEnv, rawServer, startProxy, waitUntil } from '../helpers/proxy.js';

let peer: RawPeer | undefined;
const strays: number[] = [];
afterEach(() => {
  peer?.child.kill('SIGKILL');
  for (const pid of strays.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

async function grandchildPid(p: RawPeer): Promise<number> {
  const answer = await p.request('spawn', 'tools/call', { name: 'spawn-grandchild', arguments: {} });
  const pid = Number(answer.result.content[0].text);
  strays.push(pid);
  expect(alive(pid)).toBe(true);
  return pid;
}

describe('when the server cannot start or dies', () => {
  it('answers the client with an error naming the command when it is not found, and exits non-zero', async () => {
    peer = startProxy(['--name', 'ghost'], ['/nonexistent/mcp-server-ghost', '--flag']);
    const init = peer.request('init', 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    const answer = await init;
    expect(answer.error.message).toMatch(/could not start MCP server "ghost": "\/nonexistent\/mcp-server-ghost": command not found/);
    expect((await peer.exited).code).not.toBe(0);
    expect(peer.stderr).toMatch(/command not found/);
  });

  it('exits non-zero when the server is not found even if the client has already closed its input', async () => {
    peer = startProxy(['--name', 'ghost'], ['/nonexistent/mcp-server-ghost']);
    peer.send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    peer.closeStdin();
    expect((await peer.exited).code).toBe(1);
    expect(peer.stderr).toMatch(/command not found/);
  });

  it('exits non-zero when the server exits at once even if the client has already closed its input', async () => {
    peer = startProxy(['--name', 'quitter'], rawServer('--exit-at-once', '7'));
    peer.closeStdin();
    expect((await peer.exited).code).toBe(1);
  });

  it('answers with an error and exits non-zero when the server exits at once', async () => {
    peer = startProxy(['--name', 'quitter'], rawServer('--exit-at-once', '7'));
    const answer = await peer.request('init', 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    expect(answer.error.message).toMatch(/MCP server "quitter" .* exited with code 7/);
    expect((await peer.exited).code).toBe(1);
  });

  it('fails the calls in flight when the server dies mid-call, then exits', async () => {
    peer = startProxy(['--name', 'fragile'], rawServer());
    await peer.initialize();
    peer.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'slow', arguments: { ms: 5000 } } });
    const died = await peer.request('die', 'tools/call', { name: 'die', arguments: {} });
    expect(died.error.message).toMatch(/exited with code 3 before answering tools\/call/);
    const slow = await peer.waitFor((m) => m.id === 'slow');
    expect(slow.error.code).toBe(-32000);
    expect((await peer.exited).code).toBe(1);
  });
});

describe('shutting down leaves no process behind', () => {
  it('ends the server and everything it started within 2 s when the client closes stdin', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    const pid = await grandchildPid(peer);
    const start = Date.now();
    peer.closeStdin();
    expect((await peer.exited).code).toBe(0);
    expect(await waitUntil(() => !alive(pid), 2000 - (Date.now() - start))).toBe(true);
  });

  it('ends quietly, with the server and everything it started, when the client stops reading its output', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    const pid = await grandchildPid(peer);
    // The client closes the read end of the proxy's stdout: the proxy's next write fails with EPIPE.
    peer.child.stdout.destroy();
    peer.send({ jsonrpc: '2.0', id: 'big', method: 'tools/call', params: { name: 'big', arguments: { bytes: 1_000_000 } } });
    const start = Date.now();
    expect((await peer.exited).code).toBe(0);
    expect(peer.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(await waitUntil(() => !alive(pid), 2000 - (Date.now() - start))).toBe(true);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`ends the server's whole process group within 2 s on ${signal}`, async () => {
      peer = startProxy([], rawServer());
      await peer.initialize();
      const pid = await grandchildPid(peer);
      const start = Date.now();
      peer.child.kill(signal);
      await peer.exited;
      expect(await waitUntil(() => !alive(pid), 2000 - (Date.now() - start))).toBe(true);
    });
  }
});

describe("the server's environment", () => {
  it("is the proxy's own minus every MCP_GUARD_ variable (server-everything get-env)", async () => {
    const env = guardEnv(undefined, { MCP_GUARD_TOKEN: 'guard-token-value', MCP_GUARD_SOCKET: '/tmp/guard.sock', PROXY_TEST_KEEP: 'kept' });
    peer = startProxy(['--name', 'everything'], realServers.everything, env);
    await peer.initialize();
    const answer = await peer.request(1, 'tools/call', { name: 'get-env', arguments: {} });
    const text = answer.result.content[0].text as string;
    expect(text).toContain('PROXY_TEST_KEEP');
    expect(text).not.toContain('MCP_GUARD_');
    expect(text).not.toContain('guard-token-value');
  });
});
