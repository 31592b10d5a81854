import { describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../main/sync/managed-config.js';
import { FULL_CONFIG } from './managed-config-fixtures.js';

const FILE = '/etc/mcp-guard/managed.json';
const problemsOf = (value: unknown) => {
  const read = parseManagedConfig(FILE, value);
  if (read.state !== 'refused') throw new Error(`expected refused, got ${read.state}`);
  return read.problems;
};
const withField = (patch: Record<string, unknown>) => ({ ...FULL_CONFIG, ...patch });

describe('the managed configuration schema', () => {
  it('parses a file that sets every field, as written', () => {
    const read = parseManagedConfig(FILE, FULL_CONFIG);
    expect(read).toEqual({
      state: 'ok',
      config: {
        ...FULL_CONFIG,
        collectors: [FULL_CONFIG.collectors[0], FULL_CONFIG.collectors[1], { ...FULL_CONFIG.collectors[2], port: 6514 }, FULL_CONFIG.collectors[3]],
      },
    });
  });

  it('fills the documented defaults: refresh every 900 s, keep the last good policy, syslog on 6514', () => {
    const read = parseManagedConfig(FILE, {
      version: 1,
      policy: { urls: ['https://p.example.com/p.jws'] },
      trustRoot: '/etc/mcp-guard/root.jws',
      collectors: [{ kind: 'syslog-tls', id: 's', host: '10.0.0.5' }],
    });
    expect(read.state).toBe('ok');
    if (read.state !== 'ok') return;
    expect(read.config.policy?.refreshSeconds).toBe(900);
    expect(read.config.whenUnavailable).toBe('keep-last-good');
    expect(read.config.collectors?.[0]).toMatchObject({ port: 6514 });
  });

  it('accepts a file that manages only some things (no policy, no collectors)', () => {
    expect(parseManagedConfig(FILE, { version: 1, locked: { allowAlways: false } }).state).toBe('ok');
  });

  it.each([
    ['version', withField({ version: 2 }), 'version', /expected 1/],
    [
      'a plain-http policy URL',
      withField({ policy: { urls: ['http://policy.example.com/p.jws'] } }),
      'policy.urls[0]',
      /https:\/\/ URL \(found "http:\/\/policy\.example\.com\/p\.jws"\)/,
    ],
    ['no policy URL', withField({ policy: { urls: [] } }), 'policy.urls', /at least one/],
    ['five policy URLs', withField({ policy: { urls: Array.from({ length: 5 }, (_, i) => `https://p${i}.example.com/`) } }), 'policy.urls', /at most 4/],
    ['a refresh under a minute', withField({ policy: { urls: ['https://p.example.com/'], refreshSeconds: 59 } }), 'policy.refreshSeconds', /found 59/],
    ['a refresh over a day', withField({ policy: { urls: ['https://p.example.com/'], refreshSeconds: 86401 } }), 'policy.refreshSeconds', /found 86401/],
    ['a relative trust root', withField({ trustRoot: 'root.jws' }), 'trustRoot', /absolute path .*found "root\.jws"/],
    ['a pin that is not a SHA-256', withField({ tls: { pinnedSha256: ['abc'] } }), 'tls.pinnedSha256[0]', /64 hex digits.*\(found "abc"\)/],
    [
      'an unknown collector kind',
      withField({ collectors: [{ kind: 'kafka', id: 'k', url: 'https://k.example.com' }] }),
      'collectors[0].kind',
      /"otlp-http".*\(found "kafka"\)/,
    ],
    [
      'a HEC collector without its credential name',
      withField({ collectors: [{ kind: 'splunk-hec', id: 'h', url: 'https://h.example.com' }] }),
      'collectors[0].credentialName',
      /required/,
    ],
    [
      'a syslog port out of range',
      withField({ collectors: [{ kind: 'syslog-tls', id: 's', host: 'siem.example.com', port: 70000 }] }),
      'collectors[0].port',
      /found 70000/,
    ],
    [
      'a keychain name with spaces',
      withField({ collectors: [{ kind: 'ndjson-https', id: 'n', url: 'https://n.example.com', credentialName: 'my token' }] }),
      'collectors[0].credentialName',
      /keychain entry name/,
    ],
    [
      'two collectors with one id',
      withField({ collectors: [FULL_CONFIG.collectors[0], { ...FULL_CONFIG.collectors[3], id: 'otel' }] }),
      'collectors[1].id',
      /duplicate id "otel"/,
    ],
    ['a label name with spaces', withField({ deviceLabels: { 'cost center': 'x' } }), 'deviceLabels["cost center"]', /label name/],
    ['too many labels', withField({ deviceLabels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])) }), 'deviceLabels', /at most 32/],
    ['a grant maximum that is not a duration', withField({ locked: { maxGrant: '8 hours' } }), 'locked.maxGrant', /ISO 8601 duration .*found "8 hours"/],
    ['a prompt timeout of 2 s', withField({ locked: { promptTimeoutSeconds: 2 } }), 'locked.promptTimeoutSeconds', /found 2/],
    ['an unknown fallback', withField({ whenUnavailable: 'allow-all' }), 'whenUnavailable', /"keep-last-good".*found "allow-all"/],
    ['a string for a boolean', withField({ lockEnvironmentOverrides: 'yes' }), 'lockEnvironmentOverrides', /boolean.*found "yes"/],
    ['policy without a trust root', { version: 1, policy: { urls: ['https://p.example.com/'] } }, 'trustRoot', /required when policy is set/],
  ])('reports %s at its JSON path with the value found', (_what, value, path, message) => {
    const problems = problemsOf(value);
    expect(problems).toContainEqual({ file: FILE, path, message: expect.stringMatching(message) });
  });

  it('reports every problem of a file at once, not only the first', () => {
    const problems = problemsOf(withField({ version: 3, whenUnavailable: 'x', locked: { promptTimeoutSeconds: 1 } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['locked.promptTimeoutSeconds', 'version', 'whenUnavailable']);
  });

  it('refuses unknown fields at any depth, without echoing their values', () => {
    const problems = problemsOf(
      withField({ polcy: {}, locked: { ...FULL_CONFIG.locked, allowAll: true }, collectors: [{ ...FULL_CONFIG.collectors[0], token: 'sk-live-123' }] }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['collectors[0].token', 'locked.allowAll', 'polcy']);
    expect(problems.every((p) => p.message.startsWith('unknown field'))).toBe(true);
    expect(JSON.stringify(problems)).not.toContain('sk-live-123');
  });

  it('refuses a credential in a URL and does not print it', () => {
    const problems = problemsOf(withField({ collectors: [{ kind: 'ndjson-https', id: 'n', url: 'https://user:hunter2@hook.example.com/' }] }));
    expect(problems).toEqual([{ file: FILE, path: 'collectors[0].url', message: expect.stringMatching(/must not carry a user name or password/) }]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('refuses a document that is not an object', () => {
    expect(problemsOf([FULL_CONFIG])).toEqual([{ file: FILE, path: '(root)', message: expect.stringMatching(/object/) }]);
  });
});
