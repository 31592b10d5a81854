/**
 * The service learns of every policy change through PolicyStore.watch (it reconciles grants, tells
 * the proxies, updates the status, records the change). A page that reloads the store itself (the
 * Policy page's view and explain do) must not swallow that: the watch compares with what it last
 * reported, not with what the store last loaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyStore } from '../../main/store/policy-store.js';

const policy = (action: string) => JSON.stringify({ version: 1, rules: [{ id: 'r', tool: 'mcp__github__push', action }] });

async function within(ms: number, done: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return done();
}

describe('the policy watch', () => {
  it('reports a file change that another reader loaded before the watch saw it, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-policy-'));
    const user = join(dir, 'policy.json');
    writeFileSync(user, policy('ask'));
    const store = new PolicyStore({ userPolicy: user, managedPolicy: join(dir, 'managed.json') });
    store.reloadSync();
    let changes = 0;
    const stop = store.watch(() => changes++);
    try {
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(user, policy('deny'));
      // A page asks for the view first: it loads the new file before the watch's next look.
      store.reloadSync();
      store.current();
      expect(await within(1500, () => changes > 0)).toBe(true);
      await new Promise((r) => setTimeout(r, 900));
      expect(changes).toBe(1);
    } finally {
      stop();
    }
  });

  it('reports a save through saveUserSync once, not again when the file watch sees the write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-policy-'));
    const user = join(dir, 'policy.json');
    writeFileSync(user, policy('ask'));
    const store = new PolicyStore({ userPolicy: user, managedPolicy: join(dir, 'managed.json') });
    store.reloadSync();
    let changes = 0;
    const stop = store.watch(() => changes++);
    try {
      expect(store.saveUserSync({ version: 1, rules: [{ id: 'r', tool: 'mcp__github__push', action: 'deny' }] })).toEqual([]);
      expect(changes).toBe(1);
      await new Promise((r) => setTimeout(r, 1200));
      expect(changes).toBe(1);
    } finally {
      stop();
    }
  });
});
