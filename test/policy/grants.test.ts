import { describe, expect, it } from 'vitest';
import { argumentsHash } from '../../main/policy/grant-match.js';
import { reconcileGrants } from '../../main/policy/grant-reconcile.js';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import { Grant } from '../../shared/grant.js';
import { call, doc, NOW, rule } from './helpers.js';

const MIN = 60_000;
function grant(extra: Partial<Grant> = {}): Grant {
  return Grant.parse({
    id: 'g1',
    scope: { kind: 'tool-any-args' },
    client: { kind: 'any' },
    server: 'github',
    tool: 'create_issue',
    createdAt: NOW - MIN,
    expiresAt: NOW + 10 * MIN,
    lifetime: { kind: 'minutes', minutes: 11 },
    source: 'default',
    ...extra,
  });
}
const asks = new PolicyEngine({ user: doc([rule('ask-gh', 'mcp__github__*', 'ask')]) });

describe('a live grant lets an ask pass without asking', () => {
  it('turns ask into allow with layer "grant" and names the grant', () => {
    const d = asks.evaluate(call('github', 'create_issue', { grants: [grant()] }));
    expect(d).toMatchObject({ effect: 'allow', layer: 'grant', rule: 'g1', grant: 'g1' });
  });

  it('never honours an expired grant', () => {
    const d = asks.evaluate(call('github', 'create_issue', { grants: [grant({ expiresAt: NOW })] }));
    expect(d).toMatchObject({ effect: 'ask', layer: 'user' });
  });

  it('a tool grant covers only that tool; a server grant covers every tool of the server', () => {
    expect(asks.evaluate(call('github', 'merge_pr', { grants: [grant()] })).effect).toBe('ask');
    const server = grant({ scope: { kind: 'server' }, tool: undefined });
    expect(asks.evaluate(call('github', 'merge_pr', { grants: [server] })).effect).toBe('allow');
    expect(asks.evaluate(call('gitlab', 'merge_pr', { grants: [server] })).effect).toBe('ask');
  });

  it('an exact-arguments grant covers only the same arguments, whatever their key order', () => {
    const g = grant({ scope: { kind: 'tool-exact-args', argsHash: argumentsHash({ title: 't', body: 'b' }) } });
    expect(asks.evaluate(call('github', 'create_issue', { arguments: { body: 'b', title: 't' }, grants: [g] })).effect).toBe('allow');
    expect(asks.evaluate(call('github', 'create_issue', { arguments: { body: 'other', title: 't' }, grants: [g] })).effect).toBe('ask');
  });

  it('a session grant covers only that client session', () => {
    const g = grant({ client: { kind: 'session', sessionId: 's1' }, lifetime: { kind: 'session' }, expiresAt: null });
    expect(asks.evaluate(call('github', 'create_issue', { grants: [g] })).effect).toBe('allow');
    expect(asks.evaluate(call('github', 'create_issue', { grants: [g], client: { name: 'claude-code', sessionId: 's2' } })).effect).toBe('ask');
  });

  it('never turns a deny into an allow', () => {
    const engine = new PolicyEngine({ user: doc([rule('no', 'mcp__github__create_issue', 'deny')]) });
    expect(engine.evaluate(call('github', 'create_issue', { grants: [grant()] })).effect).toBe('deny');
  });

  it('answers a managed ask, unless managed policy forbids grants for that rule', () => {
    const grantable = new PolicyEngine({ managed: doc([rule('m', 'mcp__github__*', 'ask')]) });
    expect(grantable.evaluate(call('github', 'create_issue', { grants: [grant()] })).effect).toBe('allow');
    const locked = new PolicyEngine({ managed: doc([rule('m', 'mcp__github__*', 'ask', { allowGrants: false })]) });
    expect(locked.evaluate(call('github', 'create_issue', { grants: [grant()] }))).toMatchObject({ effect: 'ask', rule: 'm' });
  });

  it('is not honoured beyond the managed maximum duration', () => {
    const engine = new PolicyEngine({ managed: doc([rule('m', 'mcp__github__*', 'ask')], { defaults: { maxGrant: 'PT5M' } }) });
    expect(engine.evaluate(call('github', 'create_issue', { grants: [grant()] })).effect).toBe('ask');
    const always = grant({ lifetime: { kind: 'always' }, expiresAt: null });
    expect(engine.evaluate(call('github', 'create_issue', { grants: [always] })).effect).toBe('ask');
    const short = grant({ expiresAt: NOW + 2 * MIN, lifetime: { kind: 'minutes', minutes: 3 } });
    expect(engine.evaluate(call('github', 'create_issue', { grants: [short] })).effect).toBe('allow');
  });

  it('an "always" grant is not honoured when policy turns allowAlways off', () => {
    const engine = new PolicyEngine({ managed: doc([rule('m', 'mcp__github__*', 'ask')], { defaults: { allowAlways: false } }) });
    expect(engine.evaluate(call('github', 'create_issue', { grants: [grant({ lifetime: { kind: 'always' }, expiresAt: null })] })).effect).toBe('ask');
  });

  it('the grant schema refuses a minutes grant without expiry and a session grant for any client', () => {
    expect(() => grant({ expiresAt: null })).toThrow(/expiresAt/);
    expect(() => grant({ lifetime: { kind: 'session' }, expiresAt: null })).toThrow(/session/);
  });
});

describe('reconcileGrants revokes what a policy change no longer allows', () => {
  it('revokes grants beyond the new maximum, conflicting with a managed deny, or expired; keeps the rest', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('no-gh-del', 'mcp__github__delete_*', 'deny'), rule('locked', 'mcp__vault__*', 'ask', { allowGrants: false })], {
        defaults: { maxGrant: 'PT1H' },
      }),
    });
    const keep = grant({ id: 'keep' });
    const long = grant({ id: 'long', expiresAt: NOW + 120 * MIN, lifetime: { kind: 'minutes', minutes: 121 } });
    const denied = grant({ id: 'denied', tool: 'delete_repo' });
    const vault = grant({ id: 'vault', server: 'vault', tool: 'read' });
    const expired = grant({ id: 'expired', expiresAt: NOW - 1 });
    const always = grant({ id: 'always', lifetime: { kind: 'always' }, expiresAt: null });
    const r = reconcileGrants([keep, long, denied, vault, expired, always], engine, NOW);
    expect(r.kept.map((g) => g.id)).toEqual(['keep']);
    expect(Object.fromEntries(r.revoked.map((x) => [x.grant.id, x.reason]))).toEqual({
      long: expect.stringMatching(/longer than/),
      denied: expect.stringMatching(/no-gh-del/),
      vault: expect.stringMatching(/does not allow grants/),
      expired: 'expired',
      always: expect.stringMatching(/always/),
    });
  });

  it('revokes a server grant when managed policy denies the whole server', () => {
    const engine = new PolicyEngine({ managed: { version: 1, servers: [{ id: 'no-gh', match: { name: 'git*' }, action: 'deny' }] } });
    const r = reconcileGrants([grant({ scope: { kind: 'server' }, tool: undefined })], engine, NOW);
    expect(r.revoked[0]?.reason).toMatch(/no-gh/);
  });
});
