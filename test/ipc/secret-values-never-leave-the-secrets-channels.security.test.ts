/**
 * Threat: a secret's value leaks out through the Secrets page's channels (a result, an error, an
 * event, the service's log), or a page that sends whatever it likes stores one where it should not
 * (another server's keychain item, a path outside the registry, a name the launch would refuse or
 * that changes how the server loads code). All real: a config wrapped by the built CLI into the
 * real keychain (test/setup/keyring-session.sh), the guard service, `serve --ui`'s server and bridge
 * (main/ipc/ui-server.ts) with the handlers the app registers, and a WebSocket client holding the
 * UI token that sends messages by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import { startUiServer, type UiServer } from '../../main/ipc/ui-server.js';
import { KeychainSecretStore } from '../../main/secrets/keychain.js';
import type { RunningGuard } from '../../main/service/start-guard.js';
import { ipcChannels } from '../../shared/ipc.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';
import { startTestGuard } from '../helpers/service.js';
import { fakeRendererDir, tokenOf, UiClient } from '../helpers/ui-client.js';

const STORED = 'ghp_' + 'Zz0Yy9Xx8Ww7Vv6Uu5Tt4Ss3Rr2Qq1Pp0Oo9';
const SENT = 'sent-by-the-page-' + 'Ab12Cd34Ef56Gh78';
const ID = 'claude-code/user/vault-reader';
const OTHER = 'claude-code/user/vault-writer';

let guard: RunningGuard;
let ui: UiServer;
let page: UiClient;
let guardHome: string;
const logLines: string[] = [];

beforeAll(async () => {
  requireKeychain();
  const home = tempDir('mcp-guard-secrets-sec-');
  guardHome = join(home, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  const servers = {
    'vault-reader': { command: 'node', args: ['/opt/vault.js'], env: { VAULT_TOKEN: STORED } },
    'vault-writer': { command: 'node', args: ['/opt/w.js'] },
  };
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: servers }));
  const env = {
    ...process.env,
    HOME: home,
    MCP_GUARD_HOME: guardHome,
    MCP_GUARD_LAUNCHER: cliPath,
    XDG_CONFIG_HOME: join(home, '.config'),
    CODEX_HOME: join(home, '.codex'),
  };
  expect(spawnSync(process.execPath, [cliPath, 'wrap'], { env, encoding: 'utf8', cwd: home }).status).toBe(0);
  guard = await startTestGuard(guardHome);
  const log = { log: (level: string, msg: string, fields?: object) => void logLines.push(JSON.stringify({ level, msg, ...fields })) };
  ui = await startUiServer({
    port: 0,
    rendererDir: fakeRendererDir(join(tempDir(), 'renderer')),
    ...guardUi(guard, { version: '0.0.0-test', log, env: { HOME: home }, launcher: undefined }),
    log,
  });
  page = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
}, 30_000);

afterAll(async () => {
  page?.close();
  await ui?.close();
  await guard?.stop();
  for (const [id, name] of [
    [ID, 'VAULT_TOKEN'],
    [ID, 'EXTRA'],
    [OTHER, 'VAULT_TOKEN'],
  ] as const)
    new KeychainSecretStore().deleteSync(id, name);
});

/** Every byte the page received: replies and events. */
const received: string[] = [];
async function invoke(channel: string, ...args: unknown[]) {
  const reply = await page.invoke(channel, ...args);
  received.push(JSON.stringify(reply));
  return reply;
}

describe('the secrets channels', () => {
  it('have no channel that reads a value back', () => {
    const secretsChannels = Object.keys(ipcChannels).filter((c) => c.startsWith('secrets:'));
    expect(secretsChannels.sort()).toEqual(['secrets:delete', 'secrets:list', 'secrets:set', 'secrets:set-helper']);
  });

  it('list names and states, never a value', async () => {
    const list = await invoke('secrets:list');
    expect(list).toMatchObject({
      type: 'result',
      value: {
        servers: [
          { id: ID, secrets: [{ name: 'VAULT_TOKEN', state: 'set', inOriginalEntry: true }] },
          { id: OTHER, secrets: [] },
        ],
      },
    });
  });

  it('answer a set with words only, and store the value for that server alone', async () => {
    const set = await invoke('secrets:set', ID, 'EXTRA', SENT);
    expect(set).toEqual({
      type: 'result',
      id: expect.any(Number),
      value: { ok: true, message: `${ID}: EXTRA set in the keychain; it is used from the next launch` },
    });
    expect(new KeychainSecretStore().getSync(ID, 'EXTRA')).toBe(SENT);
    expect(new KeychainSecretStore().getSync(OTHER, 'EXTRA')).toBeUndefined();
  });

  it.each([
    ['a server that is not wrapped', ['claude-code/user/not-there', 'TOKEN'], /no wrapped server has the id claude-code\/user\/not-there/],
    ['a name the launch would refuse', [ID, 'BAD NAME'], /is not an environment variable name/],
    ['a name that loads code into the server', [ID, 'LD_PRELOAD'], /changes which code the server's process loads/],
    ["a name with the keychain account's separator", [ID, 'oauth:tokens'], /is not an environment variable name/],
  ])('refuse %s, without the value in the reason', async (_what, [id, name], why) => {
    const reply = await invoke('secrets:set', id, name, SENT);
    expect(reply).toMatchObject({ type: 'result', value: { ok: false } });
    expect(String((reply['value'] as { reason: string }).reason)).toMatch(why);
    if (id === ID) expect(new KeychainSecretStore().getSync(ID, name!)).toBeUndefined();
  });

  it('refuse at the contract an id that could name a path outside the registry, and a value over 64 KiB', async () => {
    for (const id of ['../../../etc/passwd', 'claude-code/user/../../x', 'claude-code/user/a:b']) {
      const reply = await invoke('secrets:set', id, 'TOKEN', SENT);
      expect(reply).toMatchObject({ type: 'error' });
      expect(String(reply['message'])).toContain('secrets:set arguments[0]');
    }
    const huge = await invoke('secrets:set', ID, 'EXTRA', SENT.repeat(5000));
    expect(huge).toMatchObject({ type: 'error' });
    expect(String(huge['message'])).toMatch(/secrets:set arguments\[2\]: a value is at most 65536 characters/);
    expect(new KeychainSecretStore().getSync(ID, 'EXTRA')).toBe(SENT);
    expect(existsSync(join(guardHome, 'etc'))).toBe(false);
  });

  it('replace a stored value with a helper, removing it from the keychain, and delete a secret from record and keychain', async () => {
    const helper = await invoke('secrets:set-helper', ID, 'EXTRA', ['gh', 'auth', 'token'], 600);
    expect(helper).toMatchObject({ type: 'result', value: { ok: true } });
    expect(new KeychainSecretStore().getSync(ID, 'EXTRA')).toBeUndefined();
    const record = JSON.parse(readFileSync(join(guardHome, 'servers', 'claude-code', 'user', 'vault-reader.json'), 'utf8')) as { secrets: unknown[] };
    expect(record.secrets).toContainEqual({ name: 'EXTRA', target: 'env', source: { kind: 'helper', command: ['gh', 'auth', 'token'], ttlSeconds: 600 } });

    expect(await invoke('secrets:delete', ID, 'VAULT_TOKEN')).toMatchObject({ type: 'result', value: { ok: true, message: `${ID}: VAULT_TOKEN removed` } });
    expect(new KeychainSecretStore().getSync(ID, 'VAULT_TOKEN')).toBeUndefined();
    expect(await invoke('secrets:delete', ID, 'VAULT_TOKEN')).toMatchObject({
      type: 'result',
      value: { ok: false, reason: expect.stringMatching(/has no secret "VAULT_TOKEN"/) },
    });
  });

  it('never put a value in anything the page received or the service logged', () => {
    const all = [...received, ...page.events.map((e) => JSON.stringify(e))].join('\n');
    expect(received.length).toBeGreaterThan(8);
    const log = logLines.join('\n');
    for (const value of [STORED, SENT]) {
      expect(all).not.toContain(value);
      expect(log).not.toContain(value);
    }
    expect(log).toContain('"secret":"EXTRA"');
  });
});
