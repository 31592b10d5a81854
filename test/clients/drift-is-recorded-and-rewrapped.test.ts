/**
 * Drift, with the real service (`mcp-guard serve`): a server added to a client's config without
 * the guard (as `claude mcp add` or an agent would), and a wrapped entry someone unwrapped by
 * hand, are audit events within 5 s; with `--drift rewrap` the entry is wrapped again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';
import { tempDir, waitUntil } from '../helpers/proxy.js';

let serve: ChildProcess | undefined;
afterEach(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  serve = undefined;
});

type Config = { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> };

function setUp(managedPolicy?: object) {
  const home = tempDir('mcp-guard-drift-');
  const guardHome = join(home, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  const file = join(home, '.claude.json');
  writeFileSync(file, JSON.stringify({ mcpServers: { first: { command: 'node', args: ['/opt/first.js'] } } }, null, 2));
  const managed = join(home, 'managed.json');
  if (managedPolicy) writeFileSync(managed, JSON.stringify(managedPolicy));
  const env = { ...process.env, HOME: home, MCP_GUARD_HOME: guardHome, MCP_GUARD_MANAGED_POLICY: managed, MCP_GUARD_LAUNCHER: cliPath };
  expect(spawnSync(process.execPath, [cliPath, 'wrap'], { env, encoding: 'utf8', cwd: home }).status).toBe(0);
  return { home, guardHome, file, env };
}

async function startServe(env: NodeJS.ProcessEnv, home: string, ...args: string[]): Promise<void> {
  serve = spawn(process.execPath, [cliPath, 'serve', ...args], { env, cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  serve.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  // The service is up once its socket exists; the drift watch starts with it.
  expect(await waitUntil(() => existsSync(join(env['MCP_GUARD_HOME']!, 'run', 'token')), 10_000), log).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 300));
}

function auditText(guardHome: string): string {
  const dir = join(guardHome, 'audit');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('')
    : '';
}

const driftEvents = (guardHome: string) =>
  auditText(guardHome)
    .split('\n')
    .filter((l) => l.includes('"kind":"server-drift"'))
    .map((l) => JSON.parse(l) as { server: { name: string }; detail: { kind: string; outcome: string } });

describe('drift in a client config', () => {
  it('records a server added without the guard, and one unwrapped by hand, within 5 s', async () => {
    const { home, guardHome, file, env } = setUp();
    await startServe(env, home);
    const config = JSON.parse(readFileSync(file, 'utf8')) as Config;
    config.mcpServers['sneaky'] = { command: 'npx', args: ['-y', 'some-mcp-server'] };
    config.mcpServers['first'] = { command: 'node', args: ['/opt/first.js'] };
    const changedAt = Date.now();
    writeFileSync(file, JSON.stringify(config, null, 2));

    expect(await waitUntil(() => driftEvents(guardHome).length >= 2, 5000)).toBe(true);
    expect(Date.now() - changedAt).toBeLessThan(5000);
    const events = driftEvents(guardHome);
    expect(events.map((e) => [e.server.name, e.detail.kind, e.detail.outcome]).sort()).toEqual([
      ['first', 'unwrapped', 'flagged'],
      ['sneaky', 'new-unwrapped', 'flagged'],
    ]);
    // Flagged only: the file is as the writer left it.
    expect((JSON.parse(readFileSync(file, 'utf8')) as Config).mcpServers['sneaky']!.command).toBe('npx');
  }, 30_000);

  it('with --drift rewrap, wraps the new server again and records that', async () => {
    const { home, guardHome, file, env } = setUp();
    await startServe(env, home, '--drift', 'rewrap');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Config;
    config.mcpServers['sneaky'] = { command: 'npx', args: ['-y', 'some-mcp-server'] };
    writeFileSync(file, JSON.stringify(config, null, 2));

    const wrapped = () => (JSON.parse(readFileSync(file, 'utf8')) as Config).mcpServers['sneaky']?.env?.['MCP_GUARD_SERVER_ID'] === 'claude-code/user/sneaky';
    expect(await waitUntil(wrapped, 5000)).toBe(true);
    expect(await waitUntil(() => driftEvents(guardHome).some((e) => e.detail.outcome.startsWith('wrapped again')), 5000)).toBe(true);
    expect(existsSync(join(guardHome, 'servers', 'claude-code', 'user', 'sneaky.json'))).toBe(true);
  }, 30_000);

  it('wraps it again, without --drift rewrap, when managed policy requires wrapping; and it is held until approved', async () => {
    const { home, guardHome, file, env } = setUp({ version: 1, defaults: { requireWrapping: true } });
    await startServe(env, home);
    const config = JSON.parse(readFileSync(file, 'utf8')) as Config;
    config.mcpServers['sneaky'] = { command: 'npx', args: ['-y', 'some-mcp-server'] };
    writeFileSync(file, JSON.stringify(config, null, 2));

    const wrapped = () => (JSON.parse(readFileSync(file, 'utf8')) as Config).mcpServers['sneaky']?.env?.['MCP_GUARD_SERVER_ID'] === 'claude-code/user/sneaky';
    expect(await waitUntil(wrapped, 5000)).toBe(true);
    expect(await waitUntil(() => driftEvents(guardHome).some((e) => e.detail.outcome.startsWith('wrapped again')), 5000)).toBe(true);
    expect(driftEvents(guardHome)[0]!.detail).toMatchObject({ mode: 'rewrap', requiredBy: 'managed' });
    // Wrapped is not approved: its calls follow defaults.newServers until the user approves it.
    expect(existsSync(join(guardHome, 'server-approvals.json'))).toBe(false);
  }, 30_000);
});
