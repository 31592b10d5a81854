import { describe, expect, it } from 'vitest';
import { isSecret, isVariableReference, secretLikeName, secretLikeValue } from '../../main/common/credential-patterns.js';

const claudeCode = /\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}/; // ClaudeCodeAdapter.expandsVariables
const ghp = `ghp_${'Ab1'.repeat(12)}`;

describe('secret-like names', () => {
  it.each([
    'GITHUB_PERSONAL_ACCESS_TOKEN',
    'GITHUB_TOKEN',
    'githubToken',
    'SLACK_BOT_TOKEN',
    'X-Auth-Token',
    'OPENAI_API_KEY',
    'API_KEY',
    'BRAVE_APIKEY',
    'apiKey',
    'STRIPE_SECRET_KEY',
    'KEY',
    'KEY_PASSPHRASE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'CLIENT_SECRET',
    'PGPASSWORD',
    'DB_PASSWD',
    'SMTP_PASS',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'Authorization',
    'proxy-authorization',
    'X-Api-Key',
    'X-Goog-Api-Key',
    'Ocp-Apim-Subscription-Key',
    'Cookie',
  ])('%s is secret-like', (name) => expect(secretLikeName(name)).toBe(true));

  it.each([
    'PATH',
    'HOME',
    'NODE_ENV',
    'LOG_LEVEL',
    'KEYBOARD_LAYOUT',
    'MONKEY_MODE',
    'MAX_TOKENS',
    'TOKENIZERS_PARALLELISM',
    'BYPASS',
    'PWD',
    'Accept',
    'Content-Type',
  ])('%s is not secret-like', (name) => expect(secretLikeName(name)).toBe(false));
});

describe('secret-like values', () => {
  it.each([
    ['a GitHub token', ghp],
    ['a fine-grained GitHub token', `github_pat_${'A1b2_'.repeat(10)}`],
    ['an sk- key', `sk-proj-${'x9Y8'.repeat(8)}`],
    ['an AWS key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a bearer header', 'Bearer 0a1b2c3d4e5f6789'],
    ['a basic header', 'Basic dXNlcjpodW50ZXIy'],
    ['a database URL with a password', 'postgres://app:hunter2@db.internal:5432/prod'],
    ['a redis URL with only a password', 'redis://:s3cret@cache:6379/0'],
  ])('%s is secret-like', (_what, value) => expect(secretLikeValue(value)).toBe(true));

  it.each([
    ['a path', '/usr/local/bin:/usr/bin'],
    ['a log level', 'debug'],
    ['a URL with a port and no password', 'http://localhost:8080/mcp'],
    ['a database URL without a password', 'postgres://app@db.internal/prod'],
    ['a URL with @ in its path', 'https://api.example.com:443/users/@me'],
    ['the word Bearer alone', 'Bearer'],
    ['prose', 'ask the task-runner about sk-ing'],
  ])('%s is not secret-like', (_what, value) => expect(secretLikeValue(value)).toBe(false));
});

describe('client variable references', () => {
  it.each([
    '${GITHUB_TOKEN}',
    '${API_KEY:-}',
    '${REGION:-us-east-1}',
    '${env:OPENAI_API_KEY}',
    '${input:github-token}',
    'Bearer ${env:TOKEN}',
    '${workspaceFolder}/db',
  ])('%s is a reference the client expands', (value) => expect(isVariableReference(value)).toBe(true));

  it.each(['$GITHUB_TOKEN', 'pa$word', '$HOME/x', '{GITHUB_TOKEN}', '${}', '${1abc}'])('%s is not a reference', (value) =>
    expect(isVariableReference(value)).toBe(false),
  );

  it("uses the client's own syntax when it has one", () => {
    expect(isVariableReference('${env:TOKEN}', claudeCode)).toBe(false);
    expect(isVariableReference('${TOKEN:-x}', claudeCode)).toBe(true);
  });

  it('gives the same answer every time for a pattern with the global flag', () => {
    const global = /\$\{[A-Z_]+\}/g;
    expect([1, 2, 3].map(() => isVariableReference('${TOKEN}', global))).toEqual([true, true, true]);
  });
});

describe('isSecret decides what wrapping moves to the keychain', () => {
  it('moves a token under a secret-like name', () => {
    expect(isSecret('GITHUB_PERSONAL_ACCESS_TOKEN', ghp, claudeCode)).toBe(true);
    expect(isSecret('OPENAI_API_KEY', 'anything-at-all', claudeCode)).toBe(true);
  });

  it('moves a credential-shaped value under an ordinary name', () => {
    expect(isSecret('GH', ghp, claudeCode)).toBe(true);
    expect(isSecret('DATABASE_URL', 'postgres://app:hunter2@db/prod', claudeCode)).toBe(true);
  });

  it('leaves ordinary settings in the config', () => {
    for (const [name, value] of [
      ['PATH', '/usr/bin:/bin'],
      ['HOME', '/home/dev'],
      ['NODE_ENV', 'production'],
      ['LOG_LEVEL', 'debug'],
      ['DATABASE_URL', 'postgres://localhost/dev'],
    ] as const)
      expect(isSecret(name, value, claudeCode), name).toBe(false);
  });

  it('leaves a reference the client expands, even under a secret-like name', () => {
    expect(isSecret('GITHUB_TOKEN', '${GITHUB_TOKEN}', claudeCode)).toBe(false);
    expect(isSecret('Authorization', 'Bearer ${API_TOKEN}', claudeCode)).toBe(false);
    expect(isSecret('DATABASE_URL', 'postgres://app:${DB_PASSWORD}@db/prod', claudeCode)).toBe(false);
    expect(isSecret('GITHUB_TOKEN', '${env:GITHUB_TOKEN}', undefined)).toBe(false);
  });

  it('still moves a token written next to a reference', () => {
    expect(isSecret('GITHUB_TOKEN', `${ghp}\${SUFFIX}`, claudeCode)).toBe(true);
  });

  it('treats a reference in a syntax the client does not expand as a literal value', () => {
    // Claude Code does not expand ${env:…}: the server would get the text as written.
    expect(isSecret('GITHUB_TOKEN', '${env:GITHUB_TOKEN}', claudeCode)).toBe(true);
  });

  it('leaves an empty value', () => {
    expect(isSecret('API_KEY', '', claudeCode)).toBe(false);
    expect(isSecret('API_KEY', '  ', claudeCode)).toBe(false);
  });
});
