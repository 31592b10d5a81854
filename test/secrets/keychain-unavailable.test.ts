import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KeychainSecretStore, KeychainUnavailableError, type KeychainBackend } from '../../main/secrets/keychain.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * Each case runs the built store in a child process whose D-Bus session is broken in one way, the
 * way a user's machine can be: no session, a bus that is gone, a session with no Secret Service,
 * a keyring never set up, a keyring locked. None touches the session the other tests use.
 */

const ADVICE =
  'start gnome-keyring or another Secret Service and unlock it (e.g. log in to the desktop session); MCP Guard never stores secrets in plaintext instead';
const ID = 'claude-code/user/github';

type Outcome = { op: string; ok?: unknown; error?: string; message?: string; detail?: string };

/** A temp dir with the probe script and private XDG and HOME dirs, so a keyring the bus starts on demand writes only there. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
  const probe = join(dir, 'probe.mjs');
  const storeUrl = pathToFileURL(join(repoRoot, 'dist', 'main', 'secrets', 'keychain.js')).href;
  writeFileSync(
    probe,
    `const { KeychainSecretStore } = await import(${JSON.stringify(storeUrl)});
const [op, id, name, value] = process.argv.slice(2);
try {
  const store = new KeychainSecretStore();
  const ok = op === 'set' ? store.setSync(id, name, value) : op === 'get' ? store.getSync(id, name) : store.deleteSync(id, name);
  console.log(JSON.stringify({ op, ok: ok ?? null }));
} catch (e) {
  console.log(JSON.stringify({ op, error: e.name, message: e.message, detail: e.detail }));
}
`,
  );
  for (const sub of ['run', 'data', 'home']) mkdirSync(join(dir, sub), { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run'), XDG_DATA_HOME: join(dir, 'data') };
  return { dir, probe, env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Outcome[] {
  const r = spawnSync(command, args, { env, encoding: 'utf8', timeout: 20_000 });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  if (lines.length === 0) throw new Error(`no probe output (exit ${r.status}); stderr:\n${r.stderr}`);
  return lines.map((l) => JSON.parse(l) as Outcome);
}

/** After the probe and the operation: server id, secret name, value. */
const args = [ID, 'GITHUB_TOKEN', 'v'];

describe.runIf(process.platform === 'linux')('a keychain that cannot be used is a KeychainUnavailableError that says what to do', () => {
  it('without a D-Bus session (DBUS_SESSION_BUS_ADDRESS unset)', () => {
    const { probe, env } = sandbox();
    const [get] = run(process.execPath, [probe, 'get', ...args], env);
    expect(get).toMatchObject({
      error: 'KeychainUnavailableError',
      detail: expect.stringMatching(/^Platform failure: DBus error: .*DBUS_SESSION_BUS_ADDRESS/),
    });
    expect(get!.message).toBe(
      `mcp-guard: cannot read the secret GITHUB_TOKEN of server ${ID} in the OS keychain: there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set) (${get!.detail}); ${ADVICE}`,
    );
  });

  it('with DBUS_SESSION_BUS_ADDRESS pointing at a bus that is not there', () => {
    const { dir, probe, env } = sandbox();
    const [set] = run(process.execPath, [probe, 'set', ...args], { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}` });
    expect(set).toMatchObject({ error: 'KeychainUnavailableError', detail: expect.stringContaining('Failed to connect to socket') });
    expect(set!.message).toMatch(
      /^mcp-guard: cannot store the secret GITHUB_TOKEN of server claude-code\/user\/github in the OS keychain: the D-Bus session bus does not answer/,
    );
    expect(set!.message).toContain(ADVICE);
  });

  it('on a D-Bus session where no Secret Service runs or can be started', () => {
    const { dir, probe, env } = sandbox();
    const config = join(dir, 'bus.conf');
    // A session bus with no service directories: nothing answers for org.freedesktop.secrets.
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
    );
    const [get] = run('dbus-run-session', [`--config-file=${config}`, '--', process.execPath, probe, 'get', ...args], env);
    expect(get).toMatchObject({ error: 'KeychainUnavailableError', detail: expect.stringContaining('org.freedesktop.secrets') });
    expect(get!.message).toContain('no Secret Service (such as gnome-keyring) runs on the D-Bus session');
    expect(get!.message).toContain(ADVICE);
  });

  it('when the Secret Service has no keychain yet (gnome-keyring started by the bus, never unlocked)', () => {
    const { probe, env } = sandbox();
    // The bus starts gnome-keyring on demand (--start, no password): there is no login collection to store in.
    const [get, set] = run('dbus-run-session', ['--', 'bash', '-c', 'node "$0" get "$@"; node "$0" set "$@"', probe, ...args], env);
    // Nothing was ever stored, and reading says so: the launch then names `mcp-guard secrets set`.
    expect(get).toMatchObject({ op: 'get', ok: null });
    expect(set).toMatchObject({ op: 'set', error: 'KeychainUnavailableError', detail: "Couldn't access platform storage: Secret Service: no result found" });
    expect(set!.message).toContain('the Secret Service has no default keychain collection to store in (it was never created or unlocked)');
    expect(set!.message).toContain(ADVICE);
  });

  it('when the login keychain exists but is locked (a new session that did not unlock it) and no prompt can be shown', () => {
    const { probe, env } = sandbox();
    // First session: create and unlock the login keyring, store an item. Second: the bus starts the daemon, locked.
    const first = run(
      'dbus-run-session',
      ['--', 'bash', '-c', 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; node "$0" set "$@"', probe, ...args],
      env,
    );
    expect(first).toEqual([{ op: 'set', ok: null }]);
    const [get, set, del] = run('dbus-run-session', ['--', 'bash', '-c', 'for op in get set delete; do node "$0" $op "$@"; done', probe, ...args], env);
    for (const outcome of [get, set, del]) {
      expect(outcome).toMatchObject({
        error: 'KeychainUnavailableError',
        detail: "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
      });
      expect(outcome!.message).toContain('the keychain is locked and the unlock prompt was dismissed or could not be shown');
      expect(outcome!.message).toContain(ADVICE);
    }
  });

  it('when the collection is locked after storing (Secret Service Lock, as `secret-tool lock` does)', () => {
    const { probe, env } = sandbox();
    // Through our own keyring session, nested: locking it cannot disturb the session of the other tests.
    // `secret-tool lock --collection=login` (libsecret 0.20.5) locks, then crashes with a double free; dbus-send does the same call cleanly.
    const script = `node "$0" set "$@"; node "$0" get "$@"
      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
      node "$0" get "$@"`;
    const [set, before, after] = run('bash', [join(repoRoot, 'test', 'setup', 'keyring-session.sh'), 'bash', '-c', script, probe, ...args], {
      ...env,
      TMPDIR: tmpdir(),
    });
    expect(set).toEqual({ op: 'set', ok: null });
    expect(before).toEqual({ op: 'get', ok: 'v' });
    expect(after).toMatchObject({ error: 'KeychainUnavailableError', detail: "Couldn't access platform storage: Secret Service: unlock prompt was dismissed" });
    expect(after!.message).toContain(ADVICE);
  });
});

describe('the advice names the keychain of the platform', () => {
  // No macOS or Windows here: a stand-in backend throws the kind of text keyring-core gives there.
  const locked = (text: string): KeychainBackend => ({
    get: () => {
      throw new Error(text);
    },
    set: () => undefined,
    delete: () => false,
  });

  it.each([
    [
      'darwin',
      "Couldn't access platform storage: User interaction is not allowed.",
      /unlock the login keychain .*MCP Guard never stores secrets in plaintext instead$/,
    ],
    [
      'win32',
      'Platform failure: A specified logon session does not exist.',
      /interactive Windows logon session, where the Credential Manager .*MCP Guard never stores secrets in plaintext instead$/,
    ],
    ['linux', "Couldn't access platform storage: Secret Service: object locked", /: the keychain is locked \(.*start gnome-keyring or another Secret Service/],
  ] as const)('on %s', (platform, text, advice) => {
    const store = new KeychainSecretStore(locked(text), platform);
    let error: unknown;
    try {
      store.getSync(ID, 'GITHUB_TOKEN');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect((error as Error).message).toMatch(advice);
  });
});
