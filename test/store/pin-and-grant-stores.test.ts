import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePins } from '../../main/policy/tool-pins.js';
import { GrantStore } from '../../main/store/grant-store.js';
import { PinStore } from '../../main/store/pin-store.js';
import type { Grant } from '../../shared/grant.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mcp-guard-stores-'));

describe('pin store', () => {
  it('writes pins atomically with 0600 and reads them back', () => {
    const store = new PinStore(join(dir(), 'pins.json'));
    const first = comparePins(undefined, [{ name: 'read' }], undefined, { newTools: 'ask', now: 1 });
    store.updateServerSync('fs', () => first.pins);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const loaded = store.loadSync();
    expect(loaded.state === 'ok' && loaded.pins.servers['fs']?.tools['read']?.hash).toBe(first.pins.tools['read']?.hash);
  });

  it('reports a corrupt file with its path and never overwrites it, so pinning is not silently reset', () => {
    const file = join(dir(), 'pins.json');
    writeFileSync(file, '{"version":1,"servers":{"fs":{"tools":{}}}}');
    const store = new PinStore(file);
    const loaded = store.loadSync();
    expect(loaded.state).toBe('corrupt');
    if (loaded.state === 'corrupt') expect(loaded.problems[0]!.path).toMatch(/^servers\.fs\./);
    expect(() => store.updateServerSync('fs', (p) => p)).toThrow(/not overwriting it/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"servers":{"fs":{"tools":{}}}}');
  });
});

describe('grant store', () => {
  const grant = (id: string, lifetime: Grant['lifetime']): Grant => ({
    id,
    scope: { kind: 'tool-any-args' },
    client: lifetime.kind === 'session' ? { kind: 'session', sessionId: 's' } : { kind: 'any' },
    server: 'gh',
    tool: 't',
    createdAt: 1,
    expiresAt: lifetime.kind === 'always' || lifetime.kind === 'session' ? null : 100,
    lifetime,
    source: 'user',
  });

  it('never writes session grants to disk', () => {
    const file = join(dir(), 'grants.json');
    const store = new GrantStore(file);
    store.save([grant('a', { kind: 'always' }), grant('s', { kind: 'session' })]);
    expect(new GrantStore(file).load().map((g) => g.id)).toEqual(['a']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps the grants held before when the file turns bad, and reports file and path', () => {
    const file = join(dir(), 'grants.json');
    const reports: string[] = [];
    const store = new GrantStore(file, (p) => reports.push(p));
    store.save([grant('a', { kind: 'always' })]);
    store.load();
    writeFileSync(file, '{"version":1,"grants":[{"id":"x"}]}');
    expect(store.load().map((g) => g.id)).toEqual(['a']);
    expect(reports[0]).toMatch(new RegExp(`^${file}: grants\\[0\\]\\.`));
  });
});
