import { ENV_NAME, HEADER_NAME, MAX_SECRET_NAME_CHARS, type SecretsServer } from '../../../../shared/secrets-page.js';

/**
 * What the name field says as the user types: the same shape rules the service checks (it checks
 * again, and has the last word: main/secrets/secret-name.ts), plus a name the server already has.
 */
export function nameProblem(server: SecretsServer, name: string, adding: boolean): string | undefined {
  if (name === '') return 'Give the secret a name.';
  if (name.length > MAX_SECRET_NAME_CHARS) return `A name is at most ${MAX_SECRET_NAME_CHARS} characters.`;
  if (server.target === 'env' && !ENV_NAME.test(name))
    return 'An environment variable name has letters, digits and _ only, and does not start with a digit (like GITHUB_TOKEN).';
  if (server.target === 'header' && !HEADER_NAME.test(name)) return 'A header name has letters, digits and - only, no spaces or ":" (like Authorization).';
  const same = (s: string) => (server.target === 'header' ? s.toLowerCase() === name.toLowerCase() : s === name);
  if (adding && server.secrets.some((s) => same(s.name))) return `${server.name} already has ${name}; change that one in the list instead.`;
  return undefined;
}
