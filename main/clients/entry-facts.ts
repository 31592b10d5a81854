/**
 * What an unwrapped entry would be once wrapped: its identity (what it runs, pinned or not, its local
 * file's hash) and the names of the secrets that would move to the keychain. The Servers page shows
 * these before the user wraps; the inventory (./inventory.ts) has them only for wrapped servers.
 * Only names leave here, never values.
 */
import type { ClientName, RegisteredLaunch, ServerIdentity } from '../../shared/server-registry.js';
import { isSecret } from '../common/credential-patterns.js';
import type { ClientAdapter, ClientEntry, ClientEnvironment, EntryLaunch } from './client-adapter.js';

export type EntryFacts = { identity: ServerIdentity; secrets: { name: string; target: 'env' | 'header' }[] };

export type EntryWhere = { client: ClientName; file: string; scope: string; projectDir?: string | undefined; name: string };

/** One entry of one file, whatever its state: the same key before and after a wrap. */
export function entryKeyOf(w: EntryWhere): string {
  return JSON.stringify([w.client, w.file, w.scope, w.projectDir ?? '', w.name]);
}

/**
 * The facts of every runnable, unwrapped entry in `files`, by entryKeyOf. A file that does not read
 * or parse is left out (the inventory reports it).
 */
export function unwrappedEntryFacts(
  adapters: readonly ClientAdapter[],
  machine: ClientEnvironment,
  files: ReadonlySet<string>,
  identity: (launch: RegisteredLaunch, entry: ClientEntry) => ServerIdentity,
): Map<string, EntryFacts> {
  const out = new Map<string, EntryFacts>();
  if (files.size === 0) return out;
  for (const adapter of adapters) {
    for (const location of adapter.discover(machine)) {
      if (!files.has(location.path)) continue;
      const text = machine.readText(location.path);
      if (text === undefined) continue;
      let entries: readonly ClientEntry[];
      try {
        entries = adapter.read(location, text).entries;
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.wrappedId !== undefined || 'problem' in entry.launch) continue;
        const secrets = entry.literals.filter((l) => isSecret(l.key, l.value, adapter.expandsVariables)).map((l) => ({ name: l.key, target: l.field }));
        let facts: EntryFacts;
        try {
          facts = { identity: identity(registeredLaunch(entry.launch, new Set(secrets.map((s) => s.name))), entry), secrets };
        } catch {
          continue;
        }
        out.set(entryKeyOf({ client: adapter.client, file: location.path, scope: entry.scope, projectDir: entry.projectDir, name: entry.name }), facts);
      }
    }
  }
  return out;
}

/** The launch as the registry would keep it: no environment, no secret headers. */
function registeredLaunch(launch: EntryLaunch, secretNames: ReadonlySet<string>): RegisteredLaunch {
  if (launch.transport === 'stdio')
    return { transport: 'stdio', command: launch.command, args: launch.args, ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}) };
  const headers = Object.fromEntries(Object.entries(launch.headers).filter(([k]) => !secretNames.has(k)));
  return { transport: launch.transport, url: launch.url, headers };
}
