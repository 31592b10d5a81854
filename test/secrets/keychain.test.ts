import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as KeyringModule from '@napi-rs/keyring';
import { KEYCHAIN_SERVICE, KeychainSecretStore } from '../../main/secrets/keychain.js';
import { requireKeychain, testServerId } from '../helpers/keychain.js';
import { repoRoot } from '../helpers/paths.js';

/** The same native module the store loads, to look at the items from outside the store. */
const keyring = createRequire(import.meta.url)('@napi-rs/keyring') as typeof KeyringModule;
const rawItem = (account: string) => new keyring.Entry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } }).getPassword();

describe('KeychainSecretStore in the real OS keychain', () => {
  const store = new KeychainSecretStore();
  const created: [string, string][] = [];
  const set = (serverId: string, name: string, value: string) => {
    created.push([serverId, name]);
    store.setSync(serverId, name, value);
  };

  beforeAll(() => requireKeychain());
  afterAll(() => {
    for (const [serverId, name] of created) store.deleteSync(serverId, name);
  });

  it('stores, reads, reports and deletes a secret', () => {
    const id = testServerId('crud');
    expect(store.hasSync(id, 'GITHUB_TOKEN')).toBe(false);
    expect(store.getSync(id, 'GITHUB_TOKEN')).toBeUndefined();
    set(id, 'GITHUB_TOKEN', 'ghp_first');
    expect(store.getSync(id, 'GITHUB_TOKEN')).toBe('ghp_first');
    expect(store.hasSync(id, 'GITHUB_TOKEN')).toBe(true);
    expect(store.deleteSync(id, 'GITHUB_TOKEN')).toBe(true);
    expect(store.hasSync(id, 'GITHUB_TOKEN')).toBe(false);
    expect(store.deleteSync(id, 'GITHUB_TOKEN')).toBe(false);
  });

  it('replaces a value that is set again', () => {
    const id = testServerId('replace');
    set(id, 'API_KEY', 'old');
    set(id, 'API_KEY', 'new');
    expect(store.getSync(id, 'API_KEY')).toBe('new');
  });

  it('keeps the item under service "mcp-guard", account "<serverId>:<NAME>", where the CLI and other tools find it', () => {
    const id = testServerId('layout');
    set(id, 'OPENAI_API_KEY', 'sk-layout');
    expect(rawItem(`${id}:OPENAI_API_KEY`)).toBe('sk-layout');
  });

  it('returns unicode, newlines, quotes and long values exactly as stored', () => {
    const id = testServerId('bytes');
    const values = {
      UNICODE: 'pässwörd-日本語-🔑',
      PEM: '-----BEGIN PRIVATE KEY-----\nMIIEvQ\r\nline3\n-----END PRIVATE KEY-----\n',
      QUOTES: `"'\\\`$(x)`,
      SPACES: '  padded  ',
      LONG: 'x'.repeat(16 * 1024),
    };
    for (const [name, value] of Object.entries(values)) set(id, name, value);
    for (const [name, value] of Object.entries(values)) expect(store.getSync(id, name), name).toBe(value);
  });

  it('keeps two servers with the same secret name apart', () => {
    const a = testServerId('a');
    const b = testServerId('b');
    set(a, 'GITHUB_TOKEN', 'token-of-a');
    set(b, 'GITHUB_TOKEN', 'token-of-b');
    expect(store.getSync(a, 'GITHUB_TOKEN')).toBe('token-of-a');
    expect(store.getSync(b, 'GITHUB_TOKEN')).toBe('token-of-b');
    store.deleteSync(a, 'GITHUB_TOKEN');
    expect(store.getSync(b, 'GITHUB_TOKEN')).toBe('token-of-b');
  });

  it('keeps a project server apart from the user server of the same name', () => {
    const base = testServerId('scope').replace('claude-code/user/', '');
    const user = `cursor/user/${base}`;
    const project = `cursor/project/web-3fa2c1/${base}`;
    set(user, 'TOKEN', 'user');
    set(project, 'TOKEN', 'project');
    expect([store.getSync(user, 'TOKEN'), store.getSync(project, 'TOKEN')]).toEqual(['user', 'project']);
  });

  it("refuses a server id with ':', which would make two accounts the same string", () => {
    // "x:a" + "b" and "x" + "a:b" would both be the account "x:a:b".
    const id = testServerId('colon');
    set(id, 'a:b', 'name-with-colon');
    expect(() => store.setSync(`${id}:a`, 'b', 'other')).toThrow(/server id .*expected a server id like "claude-code\/user\/github" \(no ':'/);
    expect(() => store.getSync(`${id}:a`, 'b')).toThrow(/no ':'/);
    expect(store.getSync(id, 'a:b')).toBe('name-with-colon');
  });

  it('refuses an empty value, an empty name and a name with control characters', () => {
    const id = testServerId('refuse');
    expect(() => store.setSync(id, 'API_KEY', '')).toThrow(/refusing to store an empty value/);
    expect(() => store.setSync(id, '', 'v')).toThrow(/secret name "" .*1 to 256 characters/);
    expect(() => store.setSync(id, 'A\nB', 'v')).toThrow(/without control characters/);
    expect(store.hasSync(id, 'API_KEY')).toBe(false);
  });

  it('keeps working after the keyring daemon restarts under a running store', () => {
    // In a keyring session of its own (the daemon is killed), with the built store, as a proxy holds it.
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { execFileSync, execSync } from 'node:child_process';
const { KeychainSecretStore } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'main', 'secrets', 'keychain.js')).href)});
// No owner yet (the new daemon has not taken the name) is an error from dbus-send: undefined, and the loop waits on.
const owner = () => { try { return execFileSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).match(/uint32 (\\d+)/)?.[1]; } catch { return undefined; } };
const store = new KeychainSecretStore();
const id = 'claude-code/user/restart';
store.setSync(id, 'TOKEN', 'survives-restart');
const before = store.getSync(id, 'TOKEN');
const pid = Number(owner());
process.kill(pid, 'SIGTERM');
for (let i = 0; i < 100; i++) { try { process.kill(pid, 0); } catch { break; } execSync('sleep 0.05'); }
execSync('gnome-keyring-daemon --unlock --components=secrets', { input: process.argv[2], stdio: ['pipe', 'ignore', 'ignore'] });
for (let i = 0; i < 100 && !owner(); i++) execSync('sleep 0.05');
console.log(JSON.stringify({ before, after: store.getSync(id, 'TOKEN'), restarted: Number(owner()) !== pid }));`,
    );
    const password = 'restart-test-password';
    const r = spawnSync('bash', [join(repoRoot, 'test', 'setup', 'keyring-session.sh'), process.execPath, probe, password], {
      env: { ...process.env, KEYRING_SESSION_PASSWORD: password, TMPDIR: dir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout.trim(), r.stderr).toBe(JSON.stringify({ before: 'survives-restart', after: 'survives-restart', restarted: true }));
  });
});
