/**
 * Through the proxy, real npm MCP servers behave for an SDK client exactly as they do directly.
 * The SDK is the client here (tests only); the proxy itself never loads it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, realServers } from '../helpers/paths.js';
import { guardEnv, startProxy, tempDir } from '../helpers/proxy.js';
import type { RawPeer } from '../helpers/raw-peer.js';

const clients: Client[] = [];
const peers: RawPeer[] = [];
afterEach(async () => {
  peers.splice(0).forEach((p) => p.child.kill('SIGKILL'));
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

type Route = 'direct' | 'proxied';

async function connect(route: Route, command: readonly string[], name = 'server'): Promise<{ client: Client; seen: string[] }> {
  const [program, ...args] = command as [string, ...string[]];
  const transport =
    route === 'direct'
      ? new StdioClientTransport({ command: program, args, stderr: 'ignore' })
      : new StdioClientTransport({
          command: process.execPath,
          args: [cliPath, 'run', '--name', name, '--', program, ...args],
          stderr: 'ignore',
          env: guardEnv() as Record<string, string>,
        });
  const client = new Client({ name: 'claude-code', version: '2.1.0' }, { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } });
  const seen: string[] = [];
  client.setRequestHandler(CreateMessageRequestSchema, (request) => {
    seen.push(`sampling:${request.params.maxTokens}`);
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled answer' } };
  });
  client.setRequestHandler(ElicitRequestSchema, () => {
    seen.push('elicitation');
    return { action: 'accept', content: { name: 'Ada', check: true } };
  });
  client.setRequestHandler(ListRootsRequestSchema, () => {
    seen.push('roots');
    return { roots: [{ uri: 'file:///home/dev/project', name: 'project' }] };
  });
  await client.connect(transport);
  clients.push(client);
  return { client, seen };
}

const routes: Route[] = ['direct', 'proxied'];

describe('real npm servers through the proxy, compared with direct', () => {
  it('lists the same tools, prompts and resources of server-everything for a client with sampling, elicitation and roots', async () => {
    const [direct, proxied] = await Promise.all(routes.map((r) => connect(r, realServers.everything)));
    const view = async (c: Client) => ({
      tools: (await c.listTools()).tools,
      prompts: (await c.listPrompts()).prompts,
      resources: (await c.listResources()).resources,
      server: c.getServerVersion(),
      capabilities: c.getServerCapabilities(),
    });
    const [a, b] = await Promise.all([view(direct!.client), view(proxied!.client)]);
    expect(b).toEqual(a);
    expect(a.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['trigger-sampling-request', 'trigger-elicitation-request', 'get-roots-list']));
  });

  it('lists and calls the same tools of server-filesystem and server-memory', async () => {
    const root = tempDir('mcp-guard-fs-');
    for (const command of [realServers.filesystem(root), realServers.memory]) {
      const [direct, proxied] = await Promise.all(routes.map((r) => connect(r, command)));
      const [a, b] = await Promise.all([direct!.client.listTools(), proxied!.client.listTools()]);
      expect(b.tools).toEqual(a.tools);
    }
    const { client } = await connect('proxied', realServers.filesystem(root));
    await client.callTool({ name: 'write_file', arguments: { path: `${root}/note.txt`, content: 'through the guard' } });
    const read = await client.callTool({ name: 'read_text_file', arguments: { path: `${root}/note.txt` } });
    expect(JSON.stringify(read.content)).toContain('through the guard');
  });

  it('delivers every progress notification of a long-running call, in order, before its result', async () => {
    // On the wire, not through the SDK client: it dispatches notifications a tick after responses,
    // so a last progress that shares a read with the result is dropped by the client itself.
    const peer = startProxy(['--name', 'everything'], realServers.everything);
    peers.push(peer);
    await peer.initialize();
    await peer.request(1, 'tools/call', { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 }, _meta: { progressToken: 'p1' } });
    const progress = peer.received.filter((m) => m.method === 'notifications/progress' || m.id === 1).map((m): unknown => m.params?.progress ?? 'result');
    expect(progress).toEqual([1, 2, 3, 'result']);
  });

  it('carries a sampling request from the server to the client and its answer back', async () => {
    const { client, seen } = await connect('proxied', realServers.everything);
    const result = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 42 } });
    expect(seen).toContain('sampling:42');
    expect(JSON.stringify(result.content)).toContain('sampled answer');
  });

  it('round-trips an elicitation request', async () => {
    const { client, seen } = await connect('proxied', realServers.everything);
    const result = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(seen).toContain('elicitation');
    expect(JSON.stringify(result.content)).toContain('Ada');
  });

  it("answers the server's roots/list from the client", async () => {
    const { client, seen } = await connect('proxied', realServers.everything);
    const result = await client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(seen).toContain('roots');
    expect(JSON.stringify(result.content)).toContain('file:///home/dev/project');
  });

  it('cancels a call in flight: the client stops waiting and the server keeps serving', async () => {
    const { client } = await connect('proxied', realServers.everything);
    const abort = new AbortController();
    const call = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 5, steps: 5 } }, undefined, { signal: abort.signal });
    setTimeout(() => abort.abort('user pressed escape'), 200);
    await expect(call).rejects.toThrow(/escape|abort/i);
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(echo.content)).toContain('still here');
  });
});
