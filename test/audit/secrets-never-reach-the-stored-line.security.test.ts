import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { redactArguments, SecretScrubber, SECRET_MARKER } from '../../main/audit/redaction.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

const KEYCHAIN_SECRET = 'pw-7f3a9c1e-keychain-value';
const CREDENTIALS = {
  github: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  githubPat: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
  openai: 'sk-proj-abcdefghijklmnop1234567890',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  slack: 'xoxb-1234567890-abcdefghij',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----',
};

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

describe('secret values in audit events', () => {
  it('never appear in the stored line, even nested, embedded in longer text or in keys', async () => {
    const log = await AuditLog.open(dir.path, { secretValues: [KEYCHAIN_SECRET] });
    const args = {
      note: `deploy with ${KEYCHAIN_SECRET} please`,
      nested: { deeper: [{ value: KEYCHAIN_SECRET }, `x${KEYCHAIN_SECRET}y`] },
      encoded: `https://h/?q=${encodeURIComponent(KEYCHAIN_SECRET + '/+')}`,
      [KEYCHAIN_SECRET]: 'as a key',
      ...CREDENTIALS,
      bearer: 'Authorization: Bearer abc.DEF-123_456',
      url: 'https://bob:hunter2hunter2@example.com/repo.git',
      inline: 'login with password=hunter2hunter2 now',
    };
    await log.append(
      callEvent({
        arguments: args,
        decision: { effect: 'allow', layer: 'user', rule: 'r', reason: `token ${CREDENTIALS.github} seen` },
        server: { name: 's', command: ['srv', '--api-key', 'plainvalue123'] },
      }),
    );
    await log.close();
    const stored = readFileSync(join(dir.path, 'audit-000001.jsonl'), 'utf8');
    for (const secret of [
      KEYCHAIN_SECRET,
      encodeURIComponent(KEYCHAIN_SECRET),
      ...Object.values(CREDENTIALS),
      'abc.DEF-123_456',
      'hunter2hunter2',
      'plainvalue123',
      'MIIEowIBAAKCAQEA7',
    ]) {
      expect(stored).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(stored).toContain('deploy with [secret] please');
    expect(stored).toContain('Bearer [secret]');
    expect(stored).toContain('https://bob:[secret]@example.com');
  });

  it('replaces values under keys named like credentials but keeps ordinary keys', () => {
    const scrubber = new SecretScrubber();
    expect(
      scrubber.scrub({
        password: 'x1',
        apiKey: 'x2',
        'X-Api-Key': 'x3',
        authorization: 'x4',
        client_secret: { a: 1 },
        access_token: 12345,
        max_tokens: 1000,
        tokenizer: 'bpe',
        enabled: true,
      }),
    ).toEqual({
      password: SECRET_MARKER,
      apiKey: SECRET_MARKER,
      'X-Api-Key': SECRET_MARKER,
      authorization: SECRET_MARKER,
      client_secret: SECRET_MARKER,
      access_token: SECRET_MARKER,
      max_tokens: 1000,
      tokenizer: 'bpe',
      enabled: true,
    });
  });

  it('leaves prose about authentication alone', () => {
    const text = 'Bearer authentication uses a token; see the Basic auth docs';
    expect(new SecretScrubber().scrubString(text)).toBe(text);
  });

  it('never throws on odd input and always returns JSON', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = [deep];
    const out = new SecretScrubber(['abcd']).scrub({
      cyclic,
      hostile,
      deep,
      big: 10n,
      fn: () => 1,
      sym: Symbol('s'),
      nan: NaN,
      date: new Date(0),
      proto: JSON.parse('{"__proto__":{"x":"abcd"}}'),
    });
    const json = JSON.stringify(out);
    expect(JSON.parse(json)).toMatchObject({
      cyclic: { a: 1, self: '[circular]' },
      hostile: { boom: '[unreadable]' },
      big: '10',
      nan: null,
      date: '1970-01-01T00:00:00.000Z',
      proto: { ['__proto__']: { x: SECRET_MARKER } },
    });
    expect(json).toContain('[too deep]');
    expect(json).not.toContain('abcd');
  });
});

describe('redaction rules', () => {
  const call = { server: 'github', tool: 'create_issue', arguments: { title: 'Bug', body: `key ${KEYCHAIN_SECRET}`, labels: ['x'] } };
  const secrets = new Set([KEYCHAIN_SECRET]);

  it('keeps arguments no rule matches, scrubbed of secrets', () => {
    expect(redactArguments(call, [{ tool: 'mcp__slack__*', arguments: 'drop' }], secrets)).toEqual({ title: 'Bug', body: 'key [secret]', labels: ['x'] });
  });

  it('applies the first matching rule only', () => {
    const rules = [
      { tool: 'mcp__github__create_*', arguments: 'drop' as const },
      { tool: 'mcp__github__*', arguments: 'keep' as const },
    ];
    expect(redactArguments(call, rules, secrets)).toBeUndefined();
    expect(redactArguments(call, [...rules].reverse(), secrets)).toMatchObject({ title: 'Bug' });
  });

  it('matches a bare mcp__server pattern to every tool of that server', () => {
    expect(redactArguments(call, [{ tool: 'mcp__github', arguments: 'drop' }], secrets)).toBeUndefined();
    expect(redactArguments(call, [{ tool: 'mcp__git', arguments: 'drop' }], secrets)).toBeDefined();
  });

  it('hashes, drops and keeps per argument with * for the rest', () => {
    const out = redactArguments(call, [{ tool: 'mcp__*__create_issue', arguments: { title: 'keep', body: 'hash', '*': 'drop' } }], secrets) as Record<
      string,
      unknown
    >;
    expect(out).toEqual({ title: 'Bug', body: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    // The hash is of the scrubbed value: a secret cannot be confirmed by guessing it.
    expect(out['body']).toBe(`sha256:${createHash('sha256').update('key [secret]').digest('hex')}`);
  });
});
