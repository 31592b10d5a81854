/**
 * A wrapped remote server whose header secret comes from a credential helper with `ttlSeconds`:
 * the proxy uses the launch's value until the TTL passes, then runs the helper again before the
 * next request. Real helper (a script counting its runs), real proxy, real loopback server.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerRecord } from '../../../shared/server-registry.js';
import { startSdkServer, type RunningServer } from '../../fixtures/http-mcp-servers.js';
import { cliPath } from '../../helpers/paths.js';
import { guardEnv, guardHomeWith, tempDir } from '../../helpers/proxy.js';

let server: RunningServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
  client = undefined;
  server = undefined;
});

/** A helper that prints `token-<n>`, n its run count, kept in a file next to it. */
function countingHelper(dir: string): { command: string[]; runs: () => number } {
  const count = join(dir, 'runs');
  const script = join(dir, 'helper.mjs');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
let n = 0;
try { n = Number(readFileSync(${JSON.stringify(count)}, 'utf8')); } catch {}
n += 1;
writeFileSync(${JSON.stringify(count)}, String(n));
console.log('token-' + n);
`,
  );
  return { command: [process.execPath, script], runs: () => Number(readFileSync(count, 'utf8')) };
}

function wrappedRecord(home: string, url: string, command: string[]): ServerRecord {
  const id = 'claude-code/user/ttl-remote';
  const record: ServerRecord = {
    version: 1,
    id,
    client: 'claude-code',
    scope: 'user',
    name: 'ttl-remote',
    file: join(home, 'client-config.json'),
    address: ['mcpServers', 'ttl-remote'],
    launch: { transport: 'http', url, headers: {} },
    secrets: [{ name: 'X-Api-Key', target: 'header', source: { kind: 'helper', command, ttlSeconds: 3 } }],
    clientExpanded: [],
    identity: { transport: 'http', url, pinned: false },
    original: [],
    wrapped: '',
    wrappedAt: new Date().toISOString(),
  };
  mkdirSync(join(home, 'servers', 'claude-code', 'user'), { recursive: true });
  writeFileSync(join(home, 'servers', 'claude-code', 'user', 'ttl-remote.json'), JSON.stringify(record));
  return record;
}

describe('a header secret from a credential helper with a TTL', () => {
  it('is the launch value until the TTL passes, then the helper runs again before the next request, and only then', async () => {
    server = await startSdkServer();
    const home = guardHomeWith();
    const helper = countingHelper(tempDir());
    const record = wrappedRecord(home, server.url, helper.command);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'run'],
      env: guardEnv(home, { MCP_GUARD_SERVER_ID: record.id }) as Record<string, string>,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    client = new Client({ name: 'claude-code', version: '2.1.0' });
    await client.connect(transport);
    await client.listTools();
    const posts = () => server!.hits.filter((h) => h.method === 'POST').map((h) => h.headers['x-api-key']);
    const beforeTtl = posts().length;
    expect(helper.runs()).toBe(1);

    // A TTL of 3 s: long enough that a loaded machine's connect and first listing fit inside it.
    await new Promise((r) => setTimeout(r, 3200));
    await client.listTools();
    await client.listTools();

    expect(posts().slice(0, beforeTtl)).toEqual(Array(beforeTtl).fill('token-1'));
    expect(posts().slice(beforeTtl)).toEqual(['token-2', 'token-2']);
    expect(helper.runs()).toBe(2);
    expect(stderr).not.toMatch(/token-\d/);
  });
});
