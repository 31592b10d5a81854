import { afterEach, describe, expect, it } from 'vitest';
import { realServers } from '../helpers/paths.js';
import { RawPeer } from '../helpers/raw-peer.js';
import { rawServer, startProxy } from '../helpers/proxy.js';

const peers: RawPeer[] = [];
afterEach(() => peers.splice(0).forEach((p) => p.child.kill('SIGKILL')));

const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { sampling: {} },
  'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.1.0' },
};

/** What Claude Code does today: probe with server/discover, fall back to initialize on -32601. */
async function discoverThenFallBack(peer: RawPeer) {
  const discover = await peer.request(0, 'server/discover', { _meta: meta });
  const init = discover.error?.code === -32601 ? await peer.initialize('2025-11-25') : undefined;
  const tools = await peer.request(1, 'tools/list', init ? {} : { _meta: meta });
  return { discover, init, toolNames: (tools.result.tools as Array<{ name: string }>).map((t) => t.name).sort() };
}

describe('a 2026-07-28 client through the proxy', () => {
  it('gets the same -32601 fallback from a 2025-style server (server-everything) as directly, then works over initialize', async () => {
    const direct = new RawPeer(realServers.everything[0], realServers.everything.slice(1));
    const proxied = startProxy(['--name', 'everything'], realServers.everything);
    peers.push(direct, proxied);
    const [a, b] = await Promise.all([discoverThenFallBack(direct), discoverThenFallBack(proxied)]);
    expect(b.discover).toEqual(a.discover);
    expect(a.discover.error.code).toBe(-32601);
    expect(b.init!.result.protocolVersion).toBe(a.init!.result.protocolVersion);
    expect(b.toolNames).toEqual(a.toolNames);
  });

  it('talks stateless to a server that answers server/discover, with no initialize at all', async () => {
    const proxied = startProxy(['--name', 'raw'], rawServer('--stateless'));
    peers.push(proxied);
    const { discover, init, toolNames } = await discoverThenFallBack(proxied);
    expect(discover.result.supportedVersions).toEqual(['2026-07-28']);
    expect(init).toBeUndefined();
    expect(toolNames).toContain('echo');
    const call = await proxied.request(2, 'tools/call', { name: 'echo', arguments: { hi: 1 }, _meta: meta });
    expect(call.result.content[0].text).toBe('{"hi":1}');
  });
});
