/**
 * The secret values of one launch: each of the server's secrets read from the keychain or its
 * credential helper, as the environment variables of a stdio server or the request headers of a
 * remote one. All or nothing: a server started without one of its secrets fails in ways that
 * look like its own bugs (401s, "not configured"), so a missing one stops the launch, with what to run.
 */
import type { ServerSecret } from '../../shared/server-registry.js';
import { CredentialHelperError, HelperCache } from './credential-helper.js';
import { KeychainError, KeychainSecretStore, KeychainUnavailableError } from './keychain.js';

export type LaunchSecrets = { env: Record<string, string>; headers: Record<string, string> };

/** One or more secrets could not be had; `problems` names each (server, secret, what to do), never a value. */
export class SecretResolutionError extends Error {
  constructor(
    readonly serverId: string,
    readonly problems: readonly string[],
  ) {
    super(`mcp-guard: server ${serverId} is not started, its secrets are not all available:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SecretResolutionError';
  }
}

/** An RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node's http client accepts in a header value; anything else (a line break above all) is refused before the request. */
export const HEADER_VALUE_BAD = /[^\t\u0020-\u007e\u0080-\u00ff]/;

/**
 * Helpers run side by side, keychain items are read in turn. A caller that resolves again later (a
 * proxy refreshing a helper's value once its TTL passed) passes the same store and HelperCache each time.
 */
export async function resolveSecrets(
  serverId: string,
  secrets: readonly ServerSecret[],
  store: Pick<KeychainSecretStore, 'getSync'> = new KeychainSecretStore(),
  helpers: Pick<HelperCache, 'get'> = new HelperCache(),
): Promise<LaunchSecrets> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of secrets) {
    const key = `${s.target}\u0000${s.target === 'header' ? s.name.toLowerCase() : s.name}`;
    if (seen.has(key)) problems.push(`${s.target} ${s.name} is listed twice in the server's record; unwrap and wrap the server again`);
    seen.add(key);
    if (s.target === 'env' && (s.name.includes('=') || s.name.includes('\u0000')))
      problems.push(`${JSON.stringify(s.name)} cannot be an environment variable name (it holds '=' or a NUL); unwrap and wrap the server again`);
    if (s.target === 'header' && !HEADER_NAME.test(s.name))
      problems.push(`${JSON.stringify(s.name)} cannot be a header name; unwrap and wrap the server again`);
  }
  if (problems.length > 0) throw new SecretResolutionError(serverId, problems);

  const values = new Map<ServerSecret, string>();
  /** Once the keychain is unavailable, the other keychain secrets are not tried: one locked keychain is one problem. */
  let keychainDown = false;
  const notTried: string[] = [];
  const fromHelpers: Promise<void>[] = [];
  for (const s of secrets) {
    const source = s.source;
    switch (source.kind) {
      case 'keychain': {
        if (keychainDown) {
          notTried.push(s.name);
          break;
        }
        try {
          const value = store.getSync(serverId, s.name);
          if (value === undefined) problems.push(`the secret ${s.name} is not in the OS keychain; store it with: mcp-guard secrets set ${serverId} ${s.name}`);
          else values.set(s, value);
        } catch (error) {
          if (!(error instanceof KeychainUnavailableError || error instanceof KeychainError)) throw error;
          keychainDown ||= error instanceof KeychainUnavailableError;
          problems.push(unprefixed(error.message));
        }
        break;
      }
      case 'helper':
        fromHelpers.push(
          helpers.get(source).then(
            (value) => void values.set(s, value),
            (error: unknown) => {
              if (!(error instanceof CredentialHelperError)) throw error;
              problems.push(`the secret ${s.name}: ${unprefixed(error.message)}`);
            },
          ),
        );
        break;
      default:
        assertNever(source);
    }
  }
  await Promise.all(fromHelpers);
  if (notTried.length > 0)
    problems.push(
      `${notTried.length === 1 ? 'the secret' : 'the secrets'} ${notTried.join(', ')} ${notTried.length === 1 ? 'is' : 'are'} in the same keychain, so not read either`,
    );
  if (problems.length > 0) throw new SecretResolutionError(serverId, problems);

  const result: LaunchSecrets = { env: {}, headers: {} };
  for (const s of secrets) {
    const value = values.get(s)!;
    if (s.target === 'env' && value.includes('\u0000'))
      problems.push(`the value of ${s.name} holds a NUL character, which no environment variable can; store it again`);
    else if (s.target === 'header' && HEADER_VALUE_BAD.test(value))
      problems.push(`the value of header ${s.name} holds a line break or a character a header cannot carry; store it again`);
    else result[s.target === 'env' ? 'env' : 'headers'][s.name] = value;
  }
  if (problems.length > 0) throw new SecretResolutionError(serverId, problems);
  return result;
}

/** The item errors read as lines of this one error, which says `mcp-guard:` once. */
function unprefixed(message: string): string {
  return message.replace(/^mcp-guard: /, '');
}

function assertNever(value: never): never {
  throw new Error(`unexpected secret source ${JSON.stringify(value)}`);
}
