import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import { call, doc, rule } from './helpers.js';

describe('layers: managed over user over built-in defaults; deny beats ask beats allow', () => {
  it('a call no rule matches is asked about by the built-in default', () => {
    const d = new PolicyEngine({}).evaluate(call('github', 'create_issue'));
    expect(d).toMatchObject({ effect: 'ask', layer: 'default', rule: 'default' });
  });

  it('a user rule cannot loosen a managed deny', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('no-push', 'mcp__github__push', 'deny', { reason: 'IT: no pushes' })]),
      user: doc([rule('push-ok', 'mcp__github__push', 'allow')]),
    });
    const d = engine.evaluate(call('github', 'push'));
    expect(d).toMatchObject({ effect: 'deny', layer: 'managed', rule: 'no-push', reason: 'IT: no pushes' });
    expect(d.matched.find((m) => m.rule === 'push-ok')).toMatchObject({ decided: false, layer: 'user', effect: 'allow' });
  });

  it('a user rule cannot loosen a managed ask, even with a broader allow', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('ask-gh', 'mcp__github__*', 'ask')]),
      user: doc([rule('all-ok', 'mcp__github', 'allow')]),
    });
    expect(engine.evaluate(call('github', 'create_issue'))).toMatchObject({ effect: 'ask', layer: 'managed', rule: 'ask-gh' });
  });

  it('a user rule can tighten a managed allow', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('gh-ok', 'mcp__github__*', 'allow')]),
      user: doc([rule('no-delete', 'mcp__github__delete_repo', 'deny')]),
    });
    expect(engine.evaluate(call('github', 'delete_repo'))).toMatchObject({ effect: 'deny', layer: 'user', rule: 'no-delete' });
    expect(engine.evaluate(call('github', 'list_issues'))).toMatchObject({ effect: 'allow', layer: 'managed', rule: 'gh-ok' });
  });

  it('within one layer deny beats ask beats allow whatever the order', () => {
    const engine = new PolicyEngine({
      user: doc([rule('a', 'mcp__fs__*', 'allow'), rule('b', 'mcp__fs__write_*', 'ask'), rule('c', 'mcp__fs__write_secret', 'deny')]),
    });
    expect(engine.evaluate(call('fs', 'read')).effect).toBe('allow');
    expect(engine.evaluate(call('fs', 'write_file')).effect).toBe('ask');
    expect(engine.evaluate(call('fs', 'write_secret')).effect).toBe('deny');
  });

  it('on equal effects the managed rule is reported as the decider', () => {
    const engine = new PolicyEngine({ managed: doc([rule('m', 'mcp__x__*', 'ask')]), user: doc([rule('u', 'mcp__x__t', 'ask')]) });
    expect(engine.evaluate(call('x', 't'))).toMatchObject({ layer: 'managed', rule: 'm' });
  });

  it('a user default cannot loosen a managed default, but can tighten it', () => {
    const loosen = new PolicyEngine({ managed: doc([], { defaults: { tools: 'ask' } }), user: doc([], { defaults: { tools: 'allow' } }) });
    expect(loosen.evaluate(call('x', 't'))).toMatchObject({ effect: 'ask', layer: 'managed', rule: 'default' });
    const tighten = new PolicyEngine({ managed: doc([], { defaults: { tools: 'allow' } }), user: doc([], { defaults: { tools: 'deny' } }) });
    expect(tighten.evaluate(call('x', 't'))).toMatchObject({ effect: 'deny', layer: 'user' });
  });

  it('a user may set a looser default where IT set none', () => {
    const engine = new PolicyEngine({ managed: doc([]), user: doc([], { defaults: { tools: 'allow' } }) });
    expect(engine.evaluate(call('x', 't'))).toMatchObject({ effect: 'allow', layer: 'user', rule: 'default' });
  });

  it("the prompt timeout is IT's when managed policy sets it; maxGrant is the shortest any layer sets", () => {
    const engine = new PolicyEngine({
      managed: doc([], { defaults: { promptTimeoutSeconds: 30, maxGrant: 'PT8H' } }),
      user: doc([], { defaults: { promptTimeoutSeconds: 300, maxGrant: 'PT1H' } }),
    });
    expect(engine.defaults.promptTimeoutSeconds).toEqual({ value: 30, source: 'managed' });
    expect(engine.defaults.maxGrantMs).toEqual({ value: 3_600_000, source: 'user' });
  });

  it('a rule that names a client applies only to that client', () => {
    const engine = new PolicyEngine({ user: doc([rule('cc-github', 'mcp__github__*', 'deny', { client: 'claude-code' })]) });
    expect(engine.evaluate(call('github', 'x')).effect).toBe('deny');
    expect(engine.evaluate(call('github', 'x', { client: { name: 'cursor-vscode' } })).effect).toBe('ask');
    expect(engine.evaluate(call('github', 'x', { client: {} })).effect).toBe('ask');
  });

  it('a client glob matches the client name case-insensitively', () => {
    const engine = new PolicyEngine({ user: doc([rule('cur', 'mcp__github__*', 'allow', { client: 'Cursor*' })]) });
    expect(engine.evaluate(call('github', 'x', { client: { name: 'cursor-vscode' } })).effect).toBe('allow');
  });
});

describe('monitor mode decides and records, but allows', () => {
  it('a managed policy in monitor mode allows its deny and records it', () => {
    const engine = new PolicyEngine({ managed: doc([rule('no-del', 'mcp__*__delete_*', 'deny')], { mode: 'monitor' }) });
    expect(engine.evaluate(call('fs', 'delete_file'))).toMatchObject({ effect: 'allow', monitored: 'deny', layer: 'managed', rule: 'no-del' });
  });

  it('a user policy in monitor mode never turns a managed deny into an allow', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('no-del', 'mcp__*__delete_*', 'deny')]),
      user: doc([], { mode: 'monitor' }),
    });
    expect(engine.evaluate(call('fs', 'delete_file'))).toMatchObject({ effect: 'deny', layer: 'managed' });
  });

  it('a user policy in monitor mode allows its own deny while managed rules still apply', () => {
    const engine = new PolicyEngine({
      managed: doc([rule('ok', 'mcp__fs__*', 'allow')]),
      user: doc([rule('mine', 'mcp__fs__write', 'deny')], { mode: 'monitor' }),
    });
    expect(engine.evaluate(call('fs', 'write'))).toMatchObject({ effect: 'allow', monitored: 'deny', rule: 'mine' });
  });

  it('built-in defaults are monitored only when every layer is in monitor mode', () => {
    expect(new PolicyEngine({ user: doc([], { mode: 'monitor' }) }).evaluate(call('x', 't'))).toMatchObject({ effect: 'allow', monitored: 'ask' });
    expect(new PolicyEngine({ managed: doc([]), user: doc([], { mode: 'monitor' }) }).evaluate(call('x', 't')).effect).toBe('ask');
  });

  it('a policy in monitor mode whose every match allows decides allow by that match (it used to throw)', () => {
    const engine = new PolicyEngine({ user: doc([rule('ok', 'mcp__x__read', 'allow')], { mode: 'monitor', defaults: { tools: 'allow' } }) });
    expect(engine.evaluate(call('x', 'read'))).toMatchObject({ effect: 'allow', layer: 'user', rule: 'ok' });
    expect(engine.evaluate(call('x', 'write'))).toMatchObject({ effect: 'allow', layer: 'user', rule: 'default' });
    expect(engine.evaluate(call('x', 'write')).monitored).toBeUndefined();
  });

  it('an enforced ask stays ask when a monitored layer would deny, and records the deny', () => {
    const engine = new PolicyEngine({ managed: doc([rule('m', 'mcp__x__t', 'ask')]), user: doc([rule('u', 'mcp__x__t', 'deny')], { mode: 'monitor' }) });
    expect(engine.evaluate(call('x', 't'))).toMatchObject({ effect: 'ask', rule: 'm', monitored: 'deny' });
  });
});
