/**
 * Whether a name can carry a secret to its server: an environment variable of a stdio server, or a
 * request header of a remote one. Checked before anything is stored, so a name the launch would
 * refuse (main/secrets/launch-secrets.ts) never gets a keychain item, and a name that would change
 * how the server's process loads code, or that is the guard's own, is refused outright.
 */
import { ENV_NAME, HEADER_NAME, MAX_SECRET_NAME_CHARS } from '../../shared/secrets-page.js';

export type SecretTarget = 'env' | 'header';

/** Variables that make a process load other code: a value for one is not a credential, whoever sets it. */
const LOADER_VARIABLES = new Set([
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'DYLD_INSERT_LIBRARIES',
  'DYLD_LIBRARY_PATH',
  'DYLD_FRAMEWORK_PATH',
  'NODE_OPTIONS',
  'PATH',
]);

/** Headers the HTTP client sets itself; a secret in one would break the request or smuggle another. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'content-type',
  'accept',
]);

/** What is wrong with `name` as a secret of a server whose secrets go to `target`, or undefined when nothing is. */
export function secretNameProblem(target: SecretTarget, name: string): string | undefined {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length === 0 || name.length > MAX_SECRET_NAME_CHARS) return `a secret name is 1 to ${MAX_SECRET_NAME_CHARS} characters`;
  if (target === 'env') {
    if (!ENV_NAME.test(name)) return `${shown} is not an environment variable name: use letters, digits and _ (not first a digit), like GITHUB_TOKEN`;
    if (/^MCP_GUARD_/i.test(name)) return `${shown} is one of MCP Guard's own variables (MCP_GUARD_…); give the secret another name`;
    if (LOADER_VARIABLES.has(name.toUpperCase()))
      return `${shown} changes which code the server's process loads, it does not carry a credential; MCP Guard does not inject it`;
    return undefined;
  }
  if (!HEADER_NAME.test(name)) return `${shown} is not an HTTP header name: use letters, digits and - (no spaces or ':'), like Authorization or X-Api-Key`;
  if (TRANSPORT_HEADERS.has(name.toLowerCase()))
    return `${shown} is a header the HTTP client sets itself; give the secret the header the server reads, like Authorization`;
  return undefined;
}

/** Whether two names are the same secret of a server: header names ignore case, environment variables do not. */
export function sameSecretName(target: SecretTarget, a: string, b: string): boolean {
  return target === 'header' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
