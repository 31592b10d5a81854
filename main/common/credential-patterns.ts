/**
 * What a credential looks like, by its value and by the name it is given: the risk hints flag a
 * tool argument that carries one (main/policy/risk-hints.ts), and wrapping moves an env or header
 * value that is one from a client's config into the keychain. One list, so both agree.
 */

/** Credential shapes; whoever reports a match names the kind, never the value. */
export const CREDENTIALS: readonly { kind: string; re: RegExp }[] = [
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { kind: 'API secret key (sk-…)', re: /\bsk-(?:[A-Za-z0-9_-]{20,})/ },
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'private key', re: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/ },
];

/**
 * Value shapes that are a credential as an env or header value, but too loose to flag inside
 * free-text tool arguments: an HTTP auth scheme with its token, and a URL with a password in it
 * (`postgres://app:hunter2@db/prod`: the whole URL moves to the keychain, the server gets it unchanged).
 */
const SECRET_VALUES: readonly RegExp[] = [
  /^\s*Bearer\s+[A-Za-z0-9._~+/-]{8,}=*\s*$/i,
  /^\s*Basic\s+[A-Za-z0-9+/]{4,}={0,2}\s*$/i,
  /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i,
];

/**
 * Name parts that mean "credential". Substrings, not words, so `githubToken` and `APIKEY` count;
 * `TOKENS` (MAX_TOKENS) and `TOKENIZER` (TOKENIZERS_PARALLELISM) are model settings, not tokens.
 * `KEY` only as a whole part of the name, so KEYBOARD_LAYOUT and MONKEY_MODE are not secrets.
 */
const SECRET_NAMES: readonly RegExp[] = [
  /token(?!s|iz)/i,
  /secret/i,
  /passw(?:or)?d/i,
  /passphrase/i,
  /credential/i,
  /api[_-]?key/i,
  /access[_-]?key/i,
  /(?:^|[_.-])key$/i,
  /^key(?:$|[_.-])/i,
  /[_.-]pass$/i,
];

/** Header names that carry credentials whatever their value looks like. */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie']);

/**
 * The references MCP clients expand in launch fields: `${VAR}` and `${VAR:-default}` (Claude Code),
 * `${env:VAR}` and `${input:id}` (VS Code, Cursor), `${workspaceFolder}`. Never a bare `$VAR`:
 * no client expands one, so `pa$word` is a literal.
 */
const CLIENT_REFERENCE = /\$\{(?:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?|(?:env|input|config|command):[^}\s]+)\}/;

/** An env or header name that usually holds a credential (`GITHUB_TOKEN`, `OPENAI_API_KEY`, `Authorization`). */
export function secretLikeName(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAMES.some((re) => re.test(name));
}

/** A value shaped like a credential: a known token format, `Bearer …`/`Basic …`, or a URL with a password. */
export function secretLikeValue(value: string): boolean {
  return CREDENTIALS.some(({ re }) => re.test(value)) || SECRET_VALUES.some((re) => re.test(value));
}

/**
 * The value holds a reference the client expands at launch (`${GITHUB_TOKEN}`, `Bearer ${env:TOKEN}`):
 * the config names where the secret is, it does not hold it. `clientPattern` is the client's own
 * syntax (ClientAdapter.expandsVariables); without one, the syntaxes of all clients count.
 */
export function isVariableReference(value: string, clientPattern?: RegExp): boolean {
  return referencePattern(clientPattern).test(value);
}

/**
 * Whether an env or header value of a server entry is a secret to move to the keychain: a secret-like
 * name or value that is not a client reference. Text written around a reference still counts when
 * it is itself credential-shaped (`ghp_…${SUFFIX}`): appending a reference must not hide a token.
 */
export function isSecret(name: string, value: string, variablePattern: RegExp | undefined): boolean {
  if (value.trim() === '') return false;
  if (isVariableReference(value, variablePattern)) {
    const literal = value.replace(referencePattern(variablePattern, 'g'), '');
    return secretLikeValue(literal);
  }
  return secretLikeName(name) || secretLikeValue(value);
}

/** A fresh RegExp each call: a caller's pattern may carry `g` or `y`, whose lastIndex would make test() stateful. */
function referencePattern(clientPattern: RegExp | undefined, flags = ''): RegExp {
  const source = clientPattern ?? CLIENT_REFERENCE;
  return new RegExp(source.source, source.flags.replace(/[gy]/g, '') + flags);
}
