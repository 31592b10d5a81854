import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelperError, runCredentialHelper } from '../../main/secrets/credential-helper.js';
import { KeychainError, KeychainSecretStore, KeychainUnavailableError, type KeychainBackend } from '../../main/secrets/keychain.js';
import { resolveSecrets, SecretResolutionError } from '../../main/secrets/launch-secrets.js';
import type { ServerSecret } from '../../shared/server-registry.js';
import { requireKeychain, testServerId } from '../helpers/keychain.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * Threat: a secret's value leaks into an error message, and from there into a terminal, a log, a CI
 * transcript or an audit event. Every error path of the secrets layer is provoked with a known value
 * and its whole error (message, and every string field) is searched for it.
 */

const SECRET = 'ghp_KnownSecretValue0123456789abcdefXYZ';
const ID = 'claude-code/user/github';

/** Everything a caller might print: message, stack, and every own string property (detail, problems). */
function everything(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = Object.entries(error).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [error.message, error.stack ?? '', ...fields].join('\n');
}

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const helper = (source: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'helper.mjs');
  writeFileSync(file, source);
  return [process.execPath, file];
};

/** A keychain whose native errors echo what they were given, as a buggy platform layer might. */
const echoing = (prefix: string): KeychainBackend => ({
  get: () => {
    throw new Error(`${prefix}: nothing`);
  },
  set: (_service, _account, value) => {
    throw new Error(`${prefix}: refused ${value}; lines: ${value.split('\n').join(' | ')}`);
  },
  delete: () => false,
});

describe('secret values never appear in errors', () => {
  it.each([
    ['an unavailable keychain', "Couldn't access platform storage", KeychainUnavailableError],
    ['a keychain that refuses the item', 'Entry is matched by 2 credentials', KeychainError],
  ] as const)('storing into %s', async (_what, prefix, kind) => {
    for (const value of [SECRET, `line-one-of-key\n${SECRET}\nline-three`]) {
      const error = await caught(() => new KeychainSecretStore(echoing(prefix), 'linux').setSync(ID, 'GITHUB_TOKEN', value));
      expect(error).toBeInstanceOf(kind);
      expect(everything(error)).not.toContain(SECRET);
      expect(everything(error)).not.toContain('line-one-of-key');
    }
  });

  it('storing with a bad server id or name', async () => {
    const store = new KeychainSecretStore(echoing('x'));
    for (const [id, name] of [
      [`${ID}:x`, 'GITHUB_TOKEN'],
      [ID, ''],
      [ID, 'A\u0000B'],
    ] as const)
      expect(everything(await caught(() => store.setSync(id, name, SECRET)))).not.toContain(SECRET);
  });

  it('storing with no D-Bus session, through the real native module', () => {
    const probe = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'probe.mjs');
    const storeUrl = pathToFileURL(join(repoRoot, 'dist', 'main', 'secrets', 'keychain.js')).href;
    writeFileSync(
      probe,
      `const { KeychainSecretStore } = await import(${JSON.stringify(storeUrl)});
try { new KeychainSecretStore().setSync(${JSON.stringify(ID)}, 'GITHUB_TOKEN', process.argv[2]); } catch (e) { console.log(e.name); console.log(e.message); console.log(e.detail); console.log(e.stack); }`,
    );
    const r = spawnSync(process.execPath, [probe, SECRET], {
      env: { PATH: process.env['PATH'], HOME: mkdtempSync(join(tmpdir(), 'mcp-guard-')) },
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/^KeychainUnavailableError\n/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it.each([
    ['a non-zero exit', `console.log(${JSON.stringify(SECRET)}); console.error(${JSON.stringify(SECRET)}); process.exit(1);`, 10_000],
    ['a signal', `console.log(${JSON.stringify(SECRET)}); process.kill(process.pid, 'SIGKILL');`, 10_000],
    ['a timeout', `console.log(${JSON.stringify(SECRET)}); console.error('token ' + ${JSON.stringify(SECRET)}); setTimeout(() => {}, 60000);`, 500],
    ['output over 64 KiB', `process.stdout.write(${JSON.stringify(SECRET)}.repeat(4000));`, 10_000],
    ['stderr that echoes stdout', `console.log('s3cr3t-not-token-shaped'); console.error('got s3cr3t-not-token-shaped'); process.exit(2);`, 10_000],
  ] as const)('a credential helper failing by %s', async (_what, source, timeoutMs) => {
    const error = await caught(() => runCredentialHelper({ command: helper(source), timeoutMs }));
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(everything(error)).not.toContain(SECRET);
    expect(everything(error)).not.toContain('s3cr3t-not-token-shaped');
  });

  describe('resolving a launch', () => {
    const store = new KeychainSecretStore();
    const created: [string, string][] = [];
    beforeAll(() => requireKeychain());
    afterAll(() => {
      for (const [id, name] of created) store.deleteSync(id, name);
    });

    it('with a value a header or the environment cannot carry', async () => {
      const id = testServerId('sec-values');
      const secrets: ServerSecret[] = [
        { name: 'Authorization', target: 'header', source: { kind: 'keychain' } },
        { name: 'GITHUB_TOKEN', target: 'env', source: { kind: 'keychain' } },
      ];
      created.push([id, 'Authorization'], [id, 'GITHUB_TOKEN']);
      store.setSync(id, 'Authorization', `Bearer ${SECRET}\r\nX-Injected: 1`);
      store.setSync(id, 'GITHUB_TOKEN', `${SECRET}\u0000tail`);
      const error = await caught(() => resolveSecrets(id, secrets, store));
      expect(error).toBeInstanceOf(SecretResolutionError);
      expect((error as SecretResolutionError).problems).toHaveLength(2);
      expect(everything(error)).not.toContain(SECRET);
    });

    it('with a helper that fails after printing the value, next to a keychain item that was read', async () => {
      const id = testServerId('sec-helper');
      created.push([id, 'API_KEY']);
      store.setSync(id, 'API_KEY', SECRET);
      const secrets: ServerSecret[] = [
        { name: 'API_KEY', target: 'env', source: { kind: 'keychain' } },
        { name: 'GH_TOKEN', target: 'env', source: { kind: 'helper', command: helper(`console.log(${JSON.stringify(SECRET)}); process.exit(3);`) } },
        { name: 'MISSING_TOKEN', target: 'env', source: { kind: 'keychain' } },
      ];
      const error = await caught(() => resolveSecrets(id, secrets, store));
      expect(error).toBeInstanceOf(SecretResolutionError);
      expect((error as SecretResolutionError).problems).toHaveLength(2);
      expect(everything(error)).not.toContain(SECRET);
    });
  });
});
