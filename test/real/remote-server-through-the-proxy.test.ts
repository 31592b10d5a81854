/** `mcp-guard run --url`: stdio towards an SDK client, Streamable HTTP towards server-everything. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startEverything, type RunningServer } from '../fixtures/http-mcp-servers.js';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, ALLOW_ALL } from '../helpers/proxy.js';

let server: RunningServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
  client = undefined;
  server = undefined;
});

function remoteClient(url: string, options: string[] = []) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'run', '--url', url, '--name', 'remote', '--header', 'Authorization: Bearer remote-secret-token', ...options],
    env: guardEnv(guardHomeWith({ ...ALLOW_ALL, rules: [{ id: 'no-env', tool: 'mcp__remote__get-env', action: 'deny', reason: 'no env dumps' }] })) as Record<
      string,
      string
    >,
    stderr: 'pipe',
  });
  const c = new Client({ name: 'claude-code', version: '2.1.0' }, { capabilities: { sampling: {} } });
  c.setRequestHandler(CreateMessageRequestSchema, () => ({ model: 'm', role: 'assistant', content: { type: 'text', text: 'remote sampled' } }));
  return { client: c, transport };
}

describe('a remote Streamable HTTP server through the proxy', () => {
  it('lists, calls, carries sampling and progress, and applies policy, never logging the header secret', async () => {
    server = await startEverything();
    const { client: c, transport } = remoteClient(server.url);
    client = c;
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await c.connect(transport);
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('get-env');
    expect(JSON.stringify((await c.callTool({ name: 'echo', arguments: { message: 'over http' } })).content)).toContain('over http');
    // Progress is checked on the wire in transparent-forwarding.test.ts; here: the call completes with it requested.
    const progress: number[] = [];
    await c.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 2 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress[0]).toBe(1);
    expect(JSON.stringify((await c.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'p', maxTokens: 5 } })).content)).toContain(
      'remote sampled',
    );
    const denied = await c.callTool({ name: 'get-env', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(stderr).not.toContain('remote-secret-token');
  });

  it('answers with an error naming the server when nothing listens at the URL, and exits', async () => {
    const port = await closedPort();
    const { client: c, transport } = remoteClient(`http://127.0.0.1:${port}/mcp`);
    await expect(c.connect(transport)).rejects.toThrow(/could not reach|refused/i);
  });
});
