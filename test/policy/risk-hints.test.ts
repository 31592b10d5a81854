import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import { riskHints } from '../../main/policy/risk-hints.js';
import { call, doc, rule } from './helpers.js';

const kinds = (args: unknown, ctx: Parameters<typeof riskHints>[1] = {}) => riskHints(args, ctx).map((h) => h.kind);

describe('risk hints describe a call for the prompt and the audit log', () => {
  it('turns tool annotations into hints', () => {
    expect(kinds({}, { annotations: { readOnlyHint: true, idempotentHint: true } })).toEqual(['read-only', 'idempotent']);
    expect(kinds({}, { annotations: { destructiveHint: true, openWorldHint: true } })).toEqual(['destructive', 'open-world']);
  });

  it('flags a path argument outside the client project directory, not one inside it', () => {
    expect(kinds({ path: '/etc/passwd' }, { projectDir: '/home/dev/app' })).toEqual(['path-outside-project']);
    expect(kinds({ path: '../other/x' }, { projectDir: '/home/dev/app' })).toEqual(['path-outside-project']);
    expect(kinds({ path: '/home/dev/app/src/a.ts', rel: './src/b.ts' }, { projectDir: '/home/dev/app' })).toEqual([]);
    expect(kinds({ path: '/home/dev/app-other/a' }, { projectDir: '/home/dev/app' })).toEqual(['path-outside-project']);
  });

  it('flags a URL to a host not in the known set', () => {
    const knownHosts = new Set(['api.github.com']);
    expect(kinds({ url: 'https://api.github.com/x' }, { knownHosts })).toEqual([]);
    expect(riskHints({ nested: { url: 'https://evil.example/x' } }, { knownHosts })).toEqual([
      { kind: 'new-host', detail: expect.stringMatching(/nested\.url.*evil\.example/) },
    ]);
  });

  it.each([
    ['GitHub token', `ghp_${'a'.repeat(36)}`],
    ['sk- key', `sk-${'A1b2'.repeat(8)}`],
    ['AWS key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['Slack token', 'xoxb-1234567890-abcdefghij'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc'],
  ])('flags a credential-looking value (%s) without repeating the value', (_name, secret) => {
    const hints = riskHints({ body: `here: ${secret}` }, {});
    expect(hints.map((h) => h.kind)).toEqual(['credential-in-arguments']);
    expect(JSON.stringify(hints)).not.toContain(secret.slice(0, 12));
  });

  it('does not flag ordinary text as a credential', () => {
    expect(kinds({ body: 'ask the task-runner about sk-ing; AKIA is a word' })).toEqual([]);
  });

  it('never changes the effect by themselves', () => {
    const engine = new PolicyEngine({ user: doc([rule('ok', 'mcp__fs__*', 'allow')]) });
    const d = engine.evaluate(
      call('fs', 'write', {
        arguments: { path: '/etc/shadow', token: `ghp_${'x'.repeat(36)}` },
        projectDir: '/home/dev/app',
        annotations: { destructiveHint: true },
      }),
    );
    expect(d.effect).toBe('allow');
    expect(d.hints.map((h) => h.kind).sort()).toEqual(['credential-in-arguments', 'destructive', 'path-outside-project']);
  });
});
