/**
 * Drift: the service watches every client file it knows, and reports each server that appears
 * unwrapped (added by the user, or by an agent with `claude mcp add`) and each wrapped entry that
 * someone unwrapped. Polling (fs.watchFile): clients replace their files by rename, which inotify
 * watches of the old inode miss, and a second per file is well inside the 5 s the report may take.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { ClientName, ConfigScope } from '../../shared/server-registry.js';
import type { ClientAdapter, ClientEnvironment, ConfigLocation } from './client-adapter.js';

export type Drift = {
  kind: 'new-unwrapped' | 'unwrapped';
  client: ClientName;
  scope: ConfigScope;
  name: string;
  file: string;
  /** For `unwrapped`: the id the entry had. */
  id?: string;
};

export type DriftWatchOptions = {
  adapters: readonly ClientAdapter[];
  machine: ClientEnvironment;
  onDrift: (drift: Drift) => void;
  /** A file that no longer parses: reported, and compared again once it does. */
  onProblem: (message: string) => void;
  intervalMs?: number;
};

/** Per entry key (scope, name): the wrapped id, or null for an unwrapped entry the guard could run. */
type Snapshot = Map<string, { scope: ConfigScope; name: string; wrappedId: string | null }>;

export class DriftWatch {
  private readonly watched: { location: ConfigLocation; adapter: ClientAdapter; listener: () => void }[] = [];
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly o: DriftWatchOptions) {}

  start(): void {
    for (const adapter of this.o.adapters) {
      for (const location of adapter.discover(this.o.machine)) {
        if (this.watched.some((w) => w.location.path === location.path)) continue;
        this.snapshots.set(location.path, this.snapshot(adapter, location) ?? (new Map() as Snapshot));
        const listener = () => this.check(adapter, location);
        watchFile(location.path, { interval: this.o.intervalMs ?? 1000, persistent: false }, listener);
        this.watched.push({ location, adapter, listener });
      }
    }
  }

  stop(): void {
    for (const w of this.watched.splice(0)) unwatchFile(w.location.path, w.listener);
  }

  /** Compares the file with what it held, reports what drifted, and remembers it as it is now. */
  check(adapter: ClientAdapter, location: ConfigLocation): void {
    const now = this.snapshot(adapter, location);
    if (!now) return;
    const before: Snapshot = this.snapshots.get(location.path) ?? (new Map() as Snapshot);
    this.snapshots.set(location.path, now);
    for (const [key, entry] of now) {
      const was = before.get(key);
      if (entry.wrappedId !== null) continue;
      const base = { client: adapter.client, scope: entry.scope, name: entry.name, file: location.path };
      if (!was) this.o.onDrift({ kind: 'new-unwrapped', ...base });
      else if (was.wrappedId !== null) this.o.onDrift({ kind: 'unwrapped', ...base, id: was.wrappedId });
    }
  }

  private snapshot(adapter: ClientAdapter, location: ConfigLocation): Snapshot | undefined {
    const text = this.o.machine.readText(location.path);
    if (text === undefined) return new Map();
    try {
      const doc = adapter.read(location, text);
      const out: Snapshot = new Map();
      for (const e of doc.entries) {
        if (e.wrappedId === undefined && 'problem' in e.launch) continue;
        out.set(`${e.scope}\u0000${e.projectDir ?? ''}\u0000${e.name}`, { scope: e.scope, name: e.name, wrappedId: e.wrappedId ?? null });
      }
      return out;
    } catch (error) {
      this.o.onProblem(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}
