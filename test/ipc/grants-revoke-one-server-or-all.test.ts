/**
 * The grants channels on a real running guard (its ServiceGrants, the grants file on disk): the
 * list shows what is in force and nothing of a client session's id or the full argument hash;
 * revoke takes one, a server's, or all, says how many, and `grants:changed` carries each new list.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../shared/grant.js';
import { ipcChannels, parseOrThrow, type IpcArgs, type IpcChannel, type IpcResult } from '../../shared/ipc.js';
import type { GrantView } from '../../shared/policy-page.js';
import type { IpcHandlers } from '../../main/ipc/handle.js';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import type { RunningGuard } from '../../main/service/start-guard.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { startTestGuard } from '../helpers/service.js';

let home: string;
let guard: RunningGuard;
let handlers: IpcHandlers;
let stop: () => void;
const pushed: GrantView[][] = [];

async function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  const spec = ipcChannels[channel];
  const handler = handlers[channel] as (...a: IpcArgs<C>) => unknown;
  return parseOrThrow(spec.result, await handler(...(parseOrThrow(spec.args, args, channel) as IpcArgs<C>)), channel) as IpcResult<C>;
}

const now = Date.now();
const grant = (id: string, server: string, extra: Partial<Grant> = {}): Grant => ({
  id,
  server,
  tool: 'write_file',
  scope: { kind: 'tool-any-args' },
  client: { kind: 'any' },
  createdAt: now,
  expiresAt: null,
  lifetime: { kind: 'always' },
  source: 'user',
  ...extra,
});
const argsHash = 'ab'.repeat(32);

beforeAll(async () => {
  home = guardHomeWith({ version: 1, defaults: { tools: 'ask' } });
  guard = await startTestGuard(home);
  const ui = guardUi(guard, { version: 'test', log: { log: () => undefined }, env: { HOME: home }, launcher: undefined });
  handlers = ui.handlers;
  stop = ui.events.grants.onDidChange((list) => pushed.push(list));
  guard.service.grants.add(grant('g1', 'fs'));
  guard.service.grants.add(
    grant('g2', 'fs', {
      tool: 'move_file',
      scope: { kind: 'tool-exact-args', argsHash },
      client: { kind: 'session', sessionId: 'session-secret-id' },
      lifetime: { kind: 'session' },
      createdAt: now + 1,
    }),
  );
  guard.service.grants.add(
    grant('g3', 'github', {
      tool: undefined,
      scope: { kind: 'server' },
      lifetime: { kind: 'minutes', minutes: 15 },
      expiresAt: now + 900_000,
      createdAt: now + 2,
    }),
  );
  guard.service.grants.add(grant('gone', 'github', { lifetime: { kind: 'minutes', minutes: 1 }, expiresAt: now - 1, createdAt: now - 61_000 }));
});

afterAll(async () => {
  stop?.();
  await guard?.stop();
});

describe('grants on the Policy page', () => {
  it('lists the grants in force, newest first, without session ids or whole argument hashes', async () => {
    const list = await invoke('grants:list');
    expect(list.map((g) => g.id)).toEqual(['g3', 'g2', 'g1']);
    expect(list[1]).toEqual({
      id: 'g2',
      server: 'fs',
      tool: 'move_file',
      scope: 'tool-exact-args',
      argsHash: argsHash.slice(0, 12),
      client: 'session',
      lifetime: { kind: 'session' },
      createdAt: now + 1,
      expiresAt: null,
      source: 'user',
    });
    expect(JSON.stringify(list)).not.toContain('session-secret-id');
    expect(JSON.stringify(list)).not.toContain(argsHash);
  });

  it('revokes one grant, then every grant of a server, then all; each says how many and the list is pushed', async () => {
    pushed.length = 0;
    expect(await invoke('grants:revoke', { kind: 'one', id: 'g1' })).toEqual({ revoked: 1 });
    expect(pushed.at(-1)?.map((g) => g.id)).toEqual(['g3', 'g2']);
    expect(await invoke('grants:revoke', { kind: 'one', id: 'g1' })).toEqual({ revoked: 0 });
    expect(await invoke('grants:revoke', { kind: 'server', server: 'fs' })).toEqual({ revoked: 1 });
    expect((await invoke('grants:list')).map((g) => g.id)).toEqual(['g3']);
    // The expired one is revoked too (it was still held, just not shown).
    expect(await invoke('grants:revoke', { kind: 'all' })).toEqual({ revoked: 2 });
    expect(await invoke('grants:list')).toEqual([]);
    expect(pushed.at(-1)).toEqual([]);
    // Persisted: the grants file holds none of them any more.
    expect(JSON.parse(readFileSync(guardPaths(home).grants, 'utf8'))).toMatchObject({ grants: [] });
  });

  it('refuses a revoke that names nothing the contract knows', () => {
    expect(() => parseOrThrow(ipcChannels['grants:revoke'].args, [{ kind: 'everything' }], 'grants:revoke arguments')).toThrow(/grants:revoke arguments/);
    expect(() => parseOrThrow(ipcChannels['grants:revoke'].args, [{ kind: 'one', id: '' }], 'grants:revoke arguments')).toThrow();
  });
});
