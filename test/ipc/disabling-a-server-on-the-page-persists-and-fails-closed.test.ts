/**
 * "Disable" on the Servers page is a deny rule in the user policy, written through the PolicyStore:
 * the running proxy is ended, and a proxy started later, with the service gone, still denies every
 * call. "Enable" removes only that rule; a server that managed policy denies stays disabled, and
 * the page is told why. Real: the guard service, `mcp-guard run` proxies, raw-server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import type { IpcHandlers } from '../../main/ipc/handle.js';
import type { RunningGuard } from '../../main/service/start-guard.js';
import { guardHomeWith, rawServer, tempDir } from '../helpers/proxy.js';
import { guardedClient, startTestGuard, until } from '../helpers/service.js';

const USER_POLICY = { version: 1, defaults: { tools: 'allow' }, rules: [{ id: 'mine', tool: 'mcp__other__*', action: 'ask' }] };
let guard: RunningGuard | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await guard?.stop();
  guard = undefined;
});

async function start(home: string): Promise<{ guard: RunningGuard; handlers: IpcHandlers }> {
  guard = await startTestGuard(home);
  const handlers = guardUi(guard, { version: 'test', log: { log: () => undefined }, env: { HOME: tempDir() }, launcher: undefined }).handlers;
  return { guard, handlers };
}

async function client(home: string, name: string): Promise<Client> {
  const c = await guardedClient(home, name, rawServer());
  clients.push(c);
  return c;
}

const echo = async (c: Client) => JSON.stringify((await c.callTool({ name: 'echo', arguments: { note: 'x' } })).content);

describe('disabling a server on the Servers page', () => {
  it('writes a deny rule beside the user’s own rules, ends the running proxy, and denies with the service gone', async () => {
    const home = guardHomeWith(USER_POLICY);
    const { guard: g, handlers } = await start(home);
    const raw = await client(home, 'raw');
    await until(() => g.service.status().proxies.some((p) => p.server === 'raw') || undefined, 10_000, 'the proxy');
    expect(await echo(raw)).toContain('note');

    expect(await handlers['servers:set-enabled']('raw', false)).toEqual({ ok: true });
    const policy = JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'));
    expect(policy.rules).toEqual(USER_POLICY.rules);
    expect(policy.servers).toEqual([
      { id: 'ui-disabled-raw', match: { name: 'raw' }, action: 'deny', reason: expect.stringMatching(/disabled on the Servers page/) },
    ]);
    await until(() => !g.service.status().proxies.some((p) => p.server === 'raw') || undefined, 10_000, 'the proxy to end');
    // Disabling twice writes no second rule.
    expect(await handlers['servers:set-enabled']('raw', false)).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8')).servers).toHaveLength(1);

    await g.stop();
    guard = undefined;
    const later = await client(home, 'raw');
    expect(await echo(later)).toMatch(/ui-disabled-raw|disabled on the Servers page/);
  });

  it('enables again by removing only its own rule', async () => {
    const home = guardHomeWith(USER_POLICY);
    const { handlers } = await start(home);
    await handlers['servers:set-enabled']('raw', false);
    expect(await handlers['servers:set-enabled']('raw', true)).toEqual({ ok: true });
    const policy = JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'));
    expect(policy).toEqual(USER_POLICY);
    expect(await echo(await client(home, 'raw'))).toContain('note');
  });

  it('leaves a server that managed policy denies disabled, and says it cannot be enabled here', async () => {
    const home = guardHomeWith(USER_POLICY);
    // The managed policy of these tests (test/helpers: the same path for the service and the proxies).
    writeFileSync(
      join(home, 'no-managed-policy.json'),
      JSON.stringify({ version: 1, servers: [{ id: 'it-blocks-raw', match: { name: 'raw' }, action: 'deny' }] }),
    );
    const { handlers } = await start(home);
    const result = await handlers['servers:set-enabled']('raw', true);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/managed policy rule "it-blocks-raw" disables "raw"; it cannot be enabled here/) });
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'))).toEqual(USER_POLICY);
    expect(await echo(await client(home, 'raw'))).toMatch(/it-blocks-raw/);
  });

  it('refuses to write over a user policy file that does not validate', async () => {
    const home = guardHomeWith({ version: 1, defaults: { tools: 'sometimes' } });
    const before = readFileSync(join(home, 'policy.json'), 'utf8');
    const { handlers } = await start(home);
    const result = await handlers['servers:set-enabled']('raw', false);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/does not validate .*fix it first/) });
    expect(readFileSync(join(home, 'policy.json'), 'utf8')).toBe(before);
  });
});
