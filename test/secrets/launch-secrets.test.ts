import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperCache } from '../../main/secrets/credential-helper.js';
import { KeychainSecretStore, type KeychainBackend } from '../../main/secrets/keychain.js';
import { resolveSecrets, SecretResolutionError } from '../../main/secrets/launch-secrets.js';
import type { ServerSecret } from '../../shared/server-registry.js';
import { requireKeychain, testServerId } from '../helpers/keychain.js';

const fromKeychain = (name: string, target: ServerSecret['target'] = 'env'): ServerSecret => ({ name, target, source: { kind: 'keychain' } });
const fromHelper = (name: string, source: string, target: ServerSecret['target'] = 'env'): ServerSecret => {
  const file = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'helper.mjs');
  writeFileSync(file, source);
  return { name, target, source: { kind: 'helper', command: [process.execPath, file] } };
};

async function rejection(promise: Promise<unknown>): Promise<SecretResolutionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SecretResolutionError)) throw new Error(`expected a SecretResolutionError, got ${String(error)}`);
  return error;
}

describe('resolveSecrets gives a launch all of its secrets or none', () => {
  const store = new KeychainSecretStore();
  const created: [string, string][] = [];
  const put = (id: string, name: string, value: string) => {
    created.push([id, name]);
    store.setSync(id, name, value);
  };
  beforeAll(() => requireKeychain());
  afterAll(() => {
    for (const [id, name] of created) store.deleteSync(id, name);
  });

  it('reads keychain items and helper output into env and headers', async () => {
    const id = testServerId('launch');
    put(id, 'GITHUB_TOKEN', 'ghp_from_keychain');
    put(id, 'Authorization', 'Bearer from-keychain');
    const secrets = [
      fromKeychain('GITHUB_TOKEN'),
      fromKeychain('Authorization', 'header'),
      fromHelper('GH_ENTERPRISE_TOKEN', `console.log('from-helper')`),
      fromHelper('X-Api-Key', `console.log('header-from-helper')`, 'header'),
    ];
    expect(await resolveSecrets(id, secrets, store, new HelperCache())).toEqual({
      env: { GITHUB_TOKEN: 'ghp_from_keychain', GH_ENTERPRISE_TOKEN: 'from-helper' },
      headers: { Authorization: 'Bearer from-keychain', 'X-Api-Key': 'header-from-helper' },
    });
  });

  it('gives nothing when one keychain item is missing, and says which and how to store it', async () => {
    const id = testServerId('missing');
    put(id, 'PRESENT', 'here');
    const error = await rejection(resolveSecrets(id, [fromKeychain('PRESENT'), fromKeychain('SLACK_BOT_TOKEN'), fromKeychain('SLACK_TEAM_ID')], store));
    expect(error.serverId).toBe(id);
    expect(error.problems).toEqual([
      `the secret SLACK_BOT_TOKEN is not in the OS keychain; store it with: mcp-guard secrets set ${id} SLACK_BOT_TOKEN`,
      `the secret SLACK_TEAM_ID is not in the OS keychain; store it with: mcp-guard secrets set ${id} SLACK_TEAM_ID`,
    ]);
    expect(error.message).toMatch(new RegExp(`^mcp-guard: server ${id} is not started, its secrets are not all available:\\n  - the secret SLACK_BOT_TOKEN`));
  });

  it('gives nothing when a helper fails, though the keychain item was there', async () => {
    const id = testServerId('helper-fails');
    put(id, 'API_KEY', 'here');
    const error = await rejection(
      resolveSecrets(id, [fromKeychain('API_KEY'), fromHelper('GH_TOKEN', `console.error('gh: not logged in'); process.exit(1)`)], store),
    );
    expect(error.problems).toEqual([
      `the secret GH_TOKEN: credential helper ${JSON.stringify(process.execPath)} exited with code 1 (stderr: "gh: not logged in")`,
    ]);
  });

  it('reports an unavailable keychain once, not once per secret', async () => {
    const down: KeychainBackend = {
      get: () => {
        throw new Error("Couldn't access platform storage: Secret Service: unlock prompt was dismissed");
      },
      set: () => undefined,
      delete: () => false,
    };
    const id = testServerId('down');
    const error = await rejection(resolveSecrets(id, [fromKeychain('A'), fromKeychain('B'), fromKeychain('C')], new KeychainSecretStore(down, 'linux')));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^cannot read the secret A of server .*: the keychain is locked and the unlock prompt was dismissed/);
    expect(error.problems[1]).toBe('the secrets B, C are in the same keychain, so not read either');
  });

  it('refuses a header value with a line break, which would inject a header', async () => {
    const id = testServerId('crlf');
    put(id, 'Authorization', 'Bearer x\r\nX-Evil: 1');
    const error = await rejection(resolveSecrets(id, [fromKeychain('Authorization', 'header')], store));
    expect(error.problems).toEqual(['the value of header Authorization holds a line break or a character a header cannot carry; store it again']);
  });

  it('refuses a record that names one secret twice or gives a name no env or header can have', async () => {
    const id = testServerId('names');
    const error = await rejection(
      resolveSecrets(
        id,
        [fromKeychain('Authorization', 'header'), fromKeychain('authorization', 'header'), fromKeychain('A=B'), fromKeychain('Bad Header', 'header')],
        store,
      ),
    );
    expect(error.problems).toEqual([
      "header authorization is listed twice in the server's record; unwrap and wrap the server again",
      '"A=B" cannot be an environment variable name (it holds \'=\' or a NUL); unwrap and wrap the server again',
      '"Bad Header" cannot be a header name; unwrap and wrap the server again',
    ]);
  });

  it('resolves a server with no secrets to empty env and headers, without touching the keychain', async () => {
    const untouchable: KeychainBackend = {
      get: () => {
        throw new Error('not to be called');
      },
      set: () => undefined,
      delete: () => false,
    };
    expect(await resolveSecrets(testServerId('none'), [], new KeychainSecretStore(untouchable))).toEqual({ env: {}, headers: {} });
  });
});
