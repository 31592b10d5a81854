/**
 * The settings the Settings page changes live in two files: settings.json (start at login, drift)
 * and the user policy (the prompt timeout). Each is read-modify-written on what is on disk; a file
 * that does not parse is reported with its path and left byte for byte as it was, and a change to
 * it is refused, never written over with defaults. Real files in a temp dir, the real PolicyStore.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuardSettings } from '../../main/store/guard-settings.js';
import { PolicyStore } from '../../main/store/policy-store.js';
import { SettingsStore } from '../../main/store/settings-store.js';
import { tempDir } from '../helpers/proxy.js';

function setUp(files: { policy?: string; settings?: string; managed?: object } = {}) {
  const dir = tempDir('mcp-guard-settings-');
  const paths = { policy: join(dir, 'policy.json'), settings: join(dir, 'settings.json'), managed: join(dir, 'managed.json') };
  if (files.policy !== undefined) writeFileSync(paths.policy, files.policy);
  if (files.settings !== undefined) writeFileSync(paths.settings, files.settings);
  if (files.managed !== undefined) writeFileSync(paths.managed, JSON.stringify(files.managed));
  const policy = new PolicyStore({ userPolicy: paths.policy, managedPolicy: paths.managed });
  policy.reloadSync();
  const settings = new GuardSettings({
    policy,
    settings: new SettingsStore(paths.settings),
    home: dir,
    homeFromVariable: false,
    loginItem: undefined,
    driftFlag: undefined,
  });
  return { paths, policy, settings };
}

describe('the settings file', () => {
  it('is the defaults while missing, and a change writes only what changed, private to the user', () => {
    const { paths, settings } = setUp();
    expect(settings.viewSync()).toMatchObject({
      startAtLogin: { enabled: false, applied: 'next-app-start' },
      drift: { mode: 'flag', source: 'default' },
      problems: [],
    });
    expect(settings.changeSync({ drift: 'rewrap' })).toMatchObject({ ok: true, settings: { drift: { mode: 'rewrap', source: 'settings' } } });
    expect(settings.changeSync({ startAtLogin: true })).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(paths.settings, 'utf8'))).toEqual({ version: 1, drift: 'rewrap', startAtLogin: true });
    expect(statSync(paths.settings).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['not JSON', '{"version": 1, "drift": "rewrap",', '(root): not valid JSON'],
    ['a field it does not know', '{"version": 1, "drfit": "rewrap"}', '(root): Unrecognized key: "drfit"'],
    ['a value it does not know', '{"version": 1, "drift": "sometimes"}', 'drift: Invalid option: expected one of "flag"|"rewrap"'],
  ])('that holds %s is reported by path, a change to it is refused, and it stays as it was', (_what, text, problem) => {
    const { paths, settings } = setUp({ settings: text });
    const view = settings.viewSync();
    expect(view.problems.join('\n')).toContain(`${paths.settings}: ${problem}`);
    expect(view.problems.join('\n')).toContain('fix the file or remove it');
    const refused = settings.changeSync({ drift: 'flag', startAtLogin: true });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain(paths.settings);
    expect(readFileSync(paths.settings, 'utf8')).toBe(text);
  });
});

describe('the prompt timeout', () => {
  const policy = { version: 1, defaults: { tools: 'ask' }, rules: [{ id: 'r1', tool: 'mcp__fs__*', action: 'allow' }] };

  it('is written into the user policy as it is on disk, keeping every rule and default, and takes effect at once', () => {
    const { paths, policy: store, settings } = setUp({ policy: JSON.stringify(policy) });
    // An edit by hand the store has not reloaded yet: the write starts from the file, not from the store's copy.
    const edited = { ...policy, rules: [...policy.rules, { id: 'r2', tool: 'mcp__git__*', action: 'deny' }] };
    writeFileSync(paths.policy, JSON.stringify(edited));
    expect(settings.changeSync({ promptTimeoutSeconds: 15 })).toMatchObject({
      ok: true,
      settings: { promptTimeout: { seconds: 15, source: 'user', locked: false } },
    });
    expect(JSON.parse(readFileSync(paths.policy, 'utf8'))).toEqual({ ...edited, defaults: { tools: 'ask', promptTimeoutSeconds: 15 } });
    expect(store.current().engine.defaults.promptTimeoutSeconds).toEqual({ value: 15, source: 'user' });
    // null takes the user's value out again.
    expect(settings.changeSync({ promptTimeoutSeconds: null })).toMatchObject({ ok: true, settings: { promptTimeout: { seconds: 60, source: 'default' } } });
    expect(JSON.parse(readFileSync(paths.policy, 'utf8'))).toEqual({ ...edited, defaults: { tools: 'ask' } });
  });

  it('tells the service of the change (the file watch alone would see nothing new)', () => {
    const { policy: store, settings } = setUp({ policy: JSON.stringify(policy) });
    let told = 0;
    const stop = store.watch(() => told++);
    try {
      expect(settings.changeSync({ promptTimeoutSeconds: 20 }).ok).toBe(true);
      expect(told).toBe(1);
    } finally {
      stop();
    }
  });

  it('is refused, and the policy file left as it was, when that file does not validate', () => {
    const broken = JSON.stringify({ version: 1, defaults: { tools: 'sometimes' } });
    const { paths, settings } = setUp({ policy: broken });
    const refused = settings.changeSync({ promptTimeoutSeconds: 30 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(new RegExp(`your policy file ${paths.policy.replace(/[.]/g, '\\.')} does not validate.*defaults\\.tools`));
    expect(readFileSync(paths.policy, 'utf8')).toBe(broken);
  });

  it('is locked by managed policy that sets it: shown locked, a change refused, nothing written', () => {
    const { paths, settings } = setUp({ policy: JSON.stringify(policy), managed: { version: 1, defaults: { promptTimeoutSeconds: 30 } } });
    expect(settings.viewSync().promptTimeout).toEqual({ seconds: 30, source: 'managed', locked: true, file: paths.managed, min: 5, max: 3600 });
    const refused = settings.changeSync({ promptTimeoutSeconds: 3600, drift: 'rewrap' });
    expect(refused).toEqual({
      ok: false,
      reason: `the prompt timeout is set by managed policy (${paths.managed}) to 30 seconds; only your IT department can change it`,
    });
    expect(readFileSync(paths.policy, 'utf8')).toBe(JSON.stringify(policy));
    // The whole patch was refused: the drift part too.
    expect(() => statSync(paths.settings)).toThrow(/ENOENT/);
  });
});

describe('drift under a policy that requires wrapping', () => {
  it('is shown locked to re-wrap, and setting it to flag is refused', () => {
    const { paths, settings } = setUp({ managed: { version: 1, defaults: { requireWrapping: true } } });
    expect(settings.viewSync().drift).toEqual({ mode: 'flag', source: 'default', lockedBy: { source: 'managed', file: paths.managed } });
    const refused = settings.changeSync({ drift: 'flag' });
    expect(!refused.ok && refused.reason).toContain(`managed policy (${paths.managed}) requires wrapping`);
    expect(settings.changeSync({ drift: 'rewrap' }).ok).toBe(true);
  });
});
