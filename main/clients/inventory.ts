/**
 * Every server of every client and scope, and where it stands: wrapped (and whether its record is
 * sound, its identity approved), unwrapped, not runnable by the guard, or unguarded (in no file the
 * guard can rewrite). `mcp-guard status` and the app's Servers page show this; nothing is left out.
 */
import type { ClientName, ConfigScope, ServerIdentity, ServerRecord } from '../../shared/server-registry.js';
import { currentIdentitySync, type ServerApprovalStore } from '../store/server-approvals.js';
import type { ServerRegistry } from '../store/server-registry.js';
import type { ClientAdapter, ClientEnvironment } from './client-adapter.js';

export type InventoryState = 'wrapped' | 'unwrapped' | 'unguarded' | 'not-runnable' | 'broken';

export type InventoryRow = {
  client: ClientName;
  scope: ConfigScope | 'elsewhere';
  name: string;
  file: string;
  /** The project of a `local` or `project` entry (two projects' entries of one name share a file). */
  projectDir?: string;
  state: InventoryState;
  id?: string;
  /** For wrapped servers: the identity the user approved is the record's. */
  approved?: boolean;
  record?: ServerRecord;
  /** For a wrapped server that is not approved: the identity approved before, if any (so what changed can be shown). */
  approvedIdentity?: ServerIdentity;
  /** Pinned tools of the server (by name) whose definitions changed and are held until approved; `instructions` for changed instructions. */
  changedTools?: string[];
  detail?: string;
};

/** What the pin file says of a server, by name: the tools (and instructions) changed since approval. */
export type PinChanges = (server: string) => string[] | undefined;

export function inventory(
  adapters: readonly ClientAdapter[],
  machine: ClientEnvironment,
  registry: ServerRegistry,
  approvals: ServerApprovalStore,
  pinChanges: PinChanges = () => undefined,
): { rows: InventoryRow[]; problems: string[] } {
  const rows: InventoryRow[] = [];
  const problems: string[] = [];
  for (const adapter of adapters) {
    for (const location of adapter.discover(machine)) {
      const text = machine.readText(location.path);
      if (text === undefined) continue;
      let doc;
      try {
        doc = adapter.read(location, text);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        continue;
      }
      for (const entry of doc.entries) {
        const changed = pinChanges(entry.name);
        const base = {
          client: adapter.client,
          scope: entry.scope,
          name: entry.name,
          file: location.path,
          ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}),
          ...(changed?.length ? { changedTools: changed } : {}),
        };
        if (entry.wrappedId !== undefined) {
          const id = entry.wrappedId;
          let read;
          try {
            read = registry.readSync(id);
          } catch (error) {
            read = {
              state: 'bad' as const,
              problems: [{ file: location.path, path: 'env.MCP_GUARD_SERVER_ID', message: error instanceof Error ? error.message : String(error) }],
            };
          }
          if (read.state === 'ok') {
            // As the next launch will see it: a local file the server runs is hashed again.
            const record = { ...read.record, identity: currentIdentitySync(read.record.identity) };
            const approved = approvals.isApprovedSync(id, record.identity);
            const before = approved ? undefined : approvals.approvedIdentitySync(id);
            rows.push({ ...base, state: 'wrapped', id, record, approved, ...(before ? { approvedIdentity: before } : {}) });
          } else
            rows.push({
              ...base,
              state: 'broken',
              id,
              detail:
                read.state === 'missing'
                  ? 'wrapped, but the guard has no record of it: it will not start (unwrap by hand, or wrap it again)'
                  : read.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
            });
        } else if ('problem' in entry.launch) {
          rows.push({ ...base, state: 'not-runnable', detail: entry.launch.problem });
        } else {
          rows.push({ ...base, state: 'unwrapped' });
        }
      }
      for (const u of doc.unguarded) rows.push({ client: u.client, scope: 'elsewhere', name: u.name, file: u.where, state: 'unguarded', detail: u.why });
    }
    for (const u of adapter.unguarded(machine))
      rows.push({ client: u.client, scope: 'elsewhere', name: u.name, file: u.where, state: 'unguarded', detail: u.why });
  }
  return { rows, problems };
}
