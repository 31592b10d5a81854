/**
 * A wrapped server is new to the guard: its calls follow `defaults.newServers` (ask, so denied
 * while nobody can be asked) until its identity is approved, and again once the file it runs
 * changes (a swapped script or binary is another server). No grant can stand in for that approval.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerRecord } from '../../shared/server-registry.js';
import { ServerApprovalStore } from '../../main/store/server-approvals.js';
import { cliPath, repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

function setUp() {
  const home = tempDir('mcp-guard-held-');
  const guardHome = join(home, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  // Every tool call allowed by policy: only the server's approval stands between the client and the server.
  writeFileSync(join(guardHome, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'allow' } }));
  const script = join(home, 'memory-server.mjs');
  writeFileSync(script, `await import(${JSON.stringify(join(repoRoot, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js'))});\n`);
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({ mcpServers: { memory: { command: 'node', args: [script], env: { MEMORY_FILE_PATH: join(home, 'memory.jsonl') } } } }, null, 2),
  );
  const env = { ...process.env, HOME: home, MCP_GUARD_HOME: guardHome, MCP_GUARD_MANAGED_POLICY: join(home, 'none.json'), MCP_GUARD_LAUNCHER: cliPath };
  const wrap = spawnSync(process.execPath, [cliPath, 'wrap'], { env, encoding: 'utf8', cwd: home });
  expect(wrap.status, wrap.stdout + wrap.stderr).toBe(0);
  const record = JSON.parse(readFileSync(join(guardHome, 'servers', 'claude-code', 'user', 'memory.json'), 'utf8')) as ServerRecord;
  return { home, guardHome, script, env, record };
}

async function connect(home: string, env: NodeJS.ProcessEnv): Promise<Client> {
  const entry = (
    JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')) as { mcpServers: { memory: { command: string; args: string[]; env: Record<string, string> } } }
  ).mcpServers.memory;
  const client = new Client({ name: 'claude-code', version: '2.1.0' });
  await client.connect(
    new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...(env as Record<string, string>), ...entry.env }, stderr: 'ignore' }),
  );
  clients.push(client);
  return client;
}

const readGraph = async (c: Client) => (await c.callTool({ name: 'read_graph', arguments: {} })) as { isError?: boolean; content: { text: string }[] };

describe('a new or changed server is held until its identity is approved', () => {
  it('refuses its calls until approved, lets them through once approved (in the running session), and holds it again when its file changes', async () => {
    const { home, guardHome, script, env, record } = setUp();
    expect(record.identity.file).toBe(script);
    expect(record.identity.fileSha256).toMatch(/^[0-9a-f]{64}$/);

    const client = await connect(home, env);
    const held = await readGraph(client);
    expect(held.isError).toBe(true);
    expect(held.content[0]!.text).toContain('not approved yet');

    new ServerApprovalStore(join(guardHome, 'server-approvals.json')).approveSync(record.id, record.identity, new Date());
    await new Promise((resolve) => setTimeout(resolve, 600)); // the proxy re-reads approvals every 400 ms
    const allowed = await readGraph(client);
    expect(allowed.isError).toBeFalsy();
    expect(allowed.content[0]!.text).toContain('entities');
    await client.close();

    appendFileSync(script, '// changed after approval\n');
    const again = await connect(home, env);
    const heldAgain = await readGraph(again);
    expect(heldAgain.isError).toBe(true);
    expect(heldAgain.content[0]!.text).toContain('not approved yet');
    // What changed is what `mcp-guard servers` shows (and what the user approves next).
    const listed = spawnSync(process.execPath, [cliPath, 'servers'], { env, encoding: 'utf8', cwd: home });
    expect(listed.stdout).toContain('claude-code user memory: wrapped, NOT APPROVED (held)');
    expect(listed.stdout).toMatch(/changed since it was approved: file SHA-256 [0-9a-f]{12}… → [0-9a-f]{12}…/);
  }, 60_000);
});
