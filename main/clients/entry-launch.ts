/**
 * The launch of a JSON client's server entry, the way most clients write it: `command`, `args`,
 * `env` (and `cwd`) for a local server; a URL and `headers` for a remote one, with `type` saying
 * which. Each adapter says which keys its client uses.
 */
import type { EntryLaunch } from './client-adapter.js';

export type LaunchKeys = {
  /** Keys that hold a remote server's URL, in the order the client prefers them. */
  urlKeys: readonly string[];
  /** The client reads `cwd` for local servers. */
  cwd: boolean;
  /** `type` values the client accepts, each with the transport it means; absent type = stdio, or remote when a URL is given. */
  types: Readonly<Record<string, 'stdio' | 'http' | 'sse'>>;
};

export function launchOf(value: Record<string, unknown>, keys: LaunchKeys): EntryLaunch | { problem: string } {
  const type = value['type'];
  if (type !== undefined && (typeof type !== 'string' || !(type in keys.types))) {
    return { problem: `"type": ${JSON.stringify(type)} is not one the guard can run (${Object.keys(keys.types).join(', ')})` };
  }
  const urlKey = keys.urlKeys.find((k) => value[k] !== undefined);
  const transport = typeof type === 'string' ? keys.types[type]! : urlKey !== undefined ? 'http' : 'stdio';
  if (transport === 'stdio') {
    const { command, args = [], env = {} } = value;
    // A client that does not read `cwd` ignores the key; so does the guard (it stays in the entry).
    const cwd = keys.cwd ? value['cwd'] : undefined;
    if (typeof command !== 'string' || command === '') return { problem: '"command" is missing or not a string' };
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) return { problem: '"args" is not a list of strings' };
    const envProblem = stringRecordProblem(env, 'env');
    if (envProblem) return { problem: envProblem };
    if (cwd !== undefined && typeof cwd !== 'string') return { problem: '"cwd" is not a string' };
    return { transport, command, args: args as string[], env: env as Record<string, string>, ...(typeof cwd === 'string' ? { cwd } : {}) };
  }
  const url = urlKey !== undefined ? value[urlKey] : undefined;
  if (typeof url !== 'string' || url === '') return { problem: `"${keys.urlKeys[0]}" is missing or not a string` };
  const headers = value['headers'] ?? {};
  const headerProblem = stringRecordProblem(headers, 'headers');
  if (headerProblem) return { problem: headerProblem };
  return { transport, url, headers: headers as Record<string, string> };
}

function stringRecordProblem(value: unknown, field: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `"${field}" is not an object`;
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return `"${field}.${k}" is not a string`;
  return undefined;
}
