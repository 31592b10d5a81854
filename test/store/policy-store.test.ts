import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { managedPolicyPathSync, osManagedPolicyPath } from '../../main/store/managed-policy-path.js';
import { PolicyStore } from '../../main/store/policy-store.js';

const home = () => mkdtempSync(join(tmpdir(), 'mcp-guard-policy-'));
const call = { server: { name: 'github' }, tool: 'push', arguments: {}, client: {}, now: 0 };
const denyPush = JSON.stringify({ version: 1, rules: [{ id: 'no-push', tool: 'mcp__github__push', action: 'deny' }] });

describe('the policy store loads files and never falls back to something looser', () => {
  it('a missing user policy means the built-in defaults', () => {
    const dir = home();
    const store = new PolicyStore({ userPolicy: join(dir, 'policy.json'), managedPolicy: join(dir, 'managed.json') });
    store.reloadSync();
    expect(store.problems).toEqual([]);
    expect(store.current().engine.evaluate(call)).toMatchObject({ effect: 'ask', layer: 'default' });
  });

  it('keeps the previous policy in force when the file turns bad, naming file and JSON path', () => {
    const dir = home();
    const user = join(dir, 'policy.json');
    writeFileSync(user, denyPush);
    const store = new PolicyStore({ userPolicy: user, managedPolicy: join(dir, 'managed.json') });
    store.reloadSync();
    writeFileSync(user, JSON.stringify({ version: 1, rules: [{ id: 'no-push', tool: 'mcp__github__push', action: 'alow' }] }));
    store.reloadSync();
    expect(store.current().engine.evaluate(call).effect).toBe('deny');
    expect(store.current().problems).toEqual([expect.stringMatching(new RegExp(`^${user}: rules\\[0\\]\\.action: .*keeping the previous policy in force`))]);
  });

  it('denies every call when a policy file is bad from the start', () => {
    const dir = home();
    const managed = join(dir, 'managed.json');
    writeFileSync(managed, '{ "version": 1, "rules": [ { "id": "x", "tool": "mcp__a__b", "action": "allow", "typo": 1 } ] }');
    const store = new PolicyStore({ userPolicy: join(dir, 'policy.json'), managedPolicy: managed });
    store.reloadSync();
    expect(store.current().engine.evaluate(call)).toMatchObject({ effect: 'deny', rule: 'policy-file-unreadable' });
    expect(store.problems[0]).toMatchObject({ file: managed, path: 'rules[0].typo', message: expect.stringMatching(/denying every call/) });
  });

  it('writes the user policy atomically, 0600 in a 0700 directory, and refuses a bad one', () => {
    const dir = join(home(), 'guard');
    const user = join(dir, 'policy.json');
    const store = new PolicyStore({ userPolicy: user, managedPolicy: join(dir, 'managed.json') });
    expect(store.saveUserSync({ version: 1, rules: [{ id: 'a', tool: 'mcp__x__y', action: 'deny' }] })).toEqual([]);
    expect(statSync(user).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['policy.json']);
    const problems = store.saveUserSync({ version: 1, rules: [{ id: 'a', tool: 'nope', action: 'deny' }] });
    expect(problems[0]).toMatchObject({ file: user, path: 'rules[0].tool' });
  });

  it('reloads within a second when a file changes', async () => {
    const dir = home();
    const user = join(dir, 'policy.json');
    const store = new PolicyStore({ userPolicy: user, managedPolicy: join(dir, 'managed.json') });
    store.reloadSync();
    let changes = 0;
    const stop = store.watch(() => changes++);
    try {
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(user, denyPush);
      const started = Date.now();
      while (changes === 0 && Date.now() - started < 1500) await new Promise((r) => setTimeout(r, 50));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(store.current().engine.evaluate(call).effect).toBe('deny');
    } finally {
      stop();
    }
  });
});

describe('threat: an environment variable loosening IT policy', () => {
  it('MCP_GUARD_MANAGED_POLICY is used only when no file exists at the OS path', () => {
    const env = { MCP_GUARD_MANAGED_POLICY: '/tmp/mine.json' };
    expect(managedPolicyPathSync(env, 'linux', () => false)).toBe('/tmp/mine.json');
    expect(managedPolicyPathSync(env, 'linux', (p) => p === '/etc/mcp-guard/managed.json')).toBe('/etc/mcp-guard/managed.json');
  });

  it('uses the admin path of each OS', () => {
    expect(osManagedPolicyPath('darwin')).toBe('/Library/Application Support/MCP Guard/managed.json');
    expect(osManagedPolicyPath('win32', { ProgramData: 'D:\\PD' })).toMatch(/^D:\\PD.MCP Guard.managed\.json$/);
  });
});
