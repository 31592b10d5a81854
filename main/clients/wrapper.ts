/**
 * `mcp-guard wrap` and `unwrap`: for each client file, the entries to change, then the keychain,
 * the registry and the file, in the order that leaves nothing half done. Wrap stores the secrets
 * first (a keychain that refuses stops it before any file is touched), then the records, then the
 * file (merged again if the client rewrote it meanwhile); a failed file write takes back the
 * records and secrets of that file. Unwrap reads the secrets back first, restores the file, and
 * only then forgets the records and keychain items.
 */
import type { ClientName, RegisteredLaunch, ServerIdentity, ServerRecord } from '../../shared/server-registry.js';
import { OAUTH_CLIENT_ITEM, OAUTH_TOKENS_ITEM } from '../secrets/keychain.js';
import type { ServerRegistry } from '../store/server-registry.js';
import {
  ConfigSyntaxError,
  type ClientAdapter,
  type ClientEntry,
  type ClientEnvironment,
  type ConfigDocument,
  type ConfigLocation,
  type EntryEdit,
  type EntryLaunch,
} from './client-adapter.js';
import { configDiff, mask } from './config-diff.js';
import { readConfigTextSync, replaceConfigFileSync, type ConfigBackups } from './config-file.js';
import { EntryNotWrapped, planWrap, restoredText, type WrapPlan } from './wrap-plan.js';

/** The keychain as wrap needs it (main/secrets/keychain.ts). */
export interface WrapSecrets {
  setSync(serverId: string, name: string, value: string): void;
  getSync(serverId: string, name: string): string | undefined;
  deleteSync(serverId: string, name: string): void;
}

export type WrapSelection = { clients?: readonly ClientName[]; server?: string; dryRun: boolean; /** Only these files. */ files?: readonly string[] };

export type WrapNote = { file: string; server?: string; message: string };

export type WrapResult = {
  /** Servers wrapped (or, for unwrap, restored), by id. */
  changed: string[];
  /** Per file that changed (or would): the diff, secrets masked. */
  diffs: { file: string; diff: string }[];
  /** Entries left as they are, and why (already wrapped, nothing the guard can run…). */
  skipped: WrapNote[];
  /** Files or servers that failed; everything of theirs is as it was. */
  errors: WrapNote[];
};

export type WrapperDeps = {
  adapters: readonly ClientAdapter[];
  machine: ClientEnvironment;
  registry: ServerRegistry;
  secrets: WrapSecrets;
  backups: ConfigBackups;
  /** The absolute path of the guard's launcher: the `command` of every wrapped entry. */
  launcher: string;
  identity: (launch: RegisteredLaunch, entry: ClientEntry) => ServerIdentity;
  now: () => Date;
  /** An audit event for each server wrapped or unwrapped. */
  audit: (kind: 'server-wrapped' | 'server-unwrapped', record: ServerRecord) => void;
};

/** The audit event of a wrap or unwrap (without id and time): the CLI spools it, the service records it. */
export function wrapAuditEvent(kind: 'server-wrapped' | 'server-unwrapped', record: ServerRecord) {
  return {
    kind,
    server: { name: record.name, ...(record.identity.package ? { package: record.identity.package } : {}) },
    detail: {
      serverId: record.id,
      client: record.client,
      scope: record.scope,
      file: record.file,
      identity: record.identity,
      secrets: record.secrets.map((s) => s.name),
    },
  };
}

/** Attempts at writing a file that keeps changing under us before giving up on it. */
const MERGE_ATTEMPTS = 50;

export class Wrapper {
  constructor(private readonly d: WrapperDeps) {}

  wrap(sel: WrapSelection): WrapResult {
    const result: WrapResult = { changed: [], diffs: [], skipped: [], errors: [] };
    for (const { adapter, location } of this.locations(sel)) {
      try {
        this.wrapFile(adapter, location, sel, result);
      } catch (error) {
        result.errors.push({ file: location.path, message: messageOf(error) });
      }
    }
    return result;
  }

  unwrap(sel: WrapSelection): WrapResult {
    const result: WrapResult = { changed: [], diffs: [], skipped: [], errors: [] };
    const { records, problems } = this.d.registry.listSync();
    for (const p of problems) result.errors.push({ file: p.file, message: `${p.path}: ${p.message}` });
    const byFile = new Map<string, ServerRecord[]>();
    for (const r of records) {
      if (sel.clients && !sel.clients.includes(r.client)) continue;
      if (sel.server !== undefined && r.name !== sel.server && r.id !== sel.server) continue;
      byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
    }
    for (const [file, list] of byFile) {
      try {
        this.unwrapFile(file, list, sel, result);
      } catch (error) {
        result.errors.push({ file, message: messageOf(error) });
      }
    }
    return result;
  }

  private wrapFile(adapter: ClientAdapter, location: ConfigLocation, sel: WrapSelection, result: WrapResult): void {
    const text = readConfigTextSync(location.path);
    if (text === undefined) return;
    const doc = adapter.read(location, text);
    const plans: { entry: ClientEntry; plan: WrapPlan }[] = [];
    for (const entry of doc.entries) {
      if (sel.server !== undefined && entry.name !== sel.server) continue;
      if (entry.wrappedId !== undefined) {
        result.skipped.push({ file: location.path, server: entry.name, message: `already wrapped (${entry.wrappedId})` });
        continue;
      }
      if ('problem' in entry.launch) {
        result.skipped.push({ file: location.path, server: entry.name, message: `not wrapped: ${entry.launch.problem}` });
        continue;
      }
      try {
        const plan = planWrap({
          adapter,
          location,
          entry: entry as ClientEntry & { launch: EntryLaunch },
          launcher: this.d.launcher,
          identity: this.d.identity,
          now: this.d.now(),
        });
        plans.push({ entry, plan });
      } catch (error) {
        if (!(error instanceof EntryNotWrapped)) throw error;
        result.skipped.push({ file: location.path, server: entry.name, message: `not wrapped: ${error.message}` });
      }
    }
    if (plans.length === 0) return;
    const secretValues = plans.flatMap((p) => p.plan.secretValues.map((s) => s.value));
    const edits: EntryEdit[] = plans.map((p) => ({ address: p.entry.address, wrap: p.plan.wrapped }));
    const wrappedText = doc.edit(edits);
    result.diffs.push({ file: location.path, diff: configDiff(location.path, text, wrappedText, secretValues) });
    if (sel.dryRun) return;

    const stored: { id: string; name: string }[] = [];
    const written: string[] = [];
    try {
      for (const { plan } of plans) {
        for (const s of plan.secretValues) {
          this.d.secrets.setSync(plan.record.id, s.name, s.value);
          stored.push({ id: plan.record.id, name: s.name });
        }
      }
      const landed = (doc: ConfigDocument) =>
        plans.every((p) => doc.entries.some((e) => sameAddress(e.address, p.entry.address) && e.wrappedId === p.plan.record.id));
      this.writeMerged(
        adapter,
        location,
        text,
        plans.map((p) => p.entry),
        (fresh) => fresh.edit(edits),
        landed,
        (after) => {
          const wrappedDoc = adapter.read(location, after);
          for (const { plan } of plans) {
            const entry = wrappedDoc.entries.find((e) => sameAddress(e.address, plan.record.address));
            plan.record.wrapped = entry?.text ?? '';
            this.d.registry.writeSync(plan.record);
            written.push(plan.record.id);
          }
        },
        secretValues,
      );
    } catch (error) {
      for (const id of written) this.d.registry.removeSync(id);
      for (const s of stored) this.d.secrets.deleteSync(s.id, s.name);
      throw error;
    }
    for (const { plan } of plans) {
      result.changed.push(plan.record.id);
      this.d.audit('server-wrapped', plan.record);
    }
  }

  private unwrapFile(file: string, records: ServerRecord[], sel: WrapSelection, result: WrapResult): void {
    const first = records[0]!;
    const adapter = this.d.adapters.find((a) => a.client === first.client);
    if (!adapter) throw new Error(`no adapter for client "${first.client}"`);
    const location: ConfigLocation = {
      client: first.client,
      scope: first.scope === 'local' ? 'user' : first.scope,
      path: file,
      ...(first.projectDir && first.scope === 'project' ? { projectDir: first.projectDir } : {}),
    };
    const text = readConfigTextSync(file);
    const doc = text === undefined ? undefined : adapter.read(location, text);
    const restore: { record: ServerRecord; text: string; values: string[] }[] = [];
    for (const record of records) {
      const entry = doc?.entries.find((e) => sameAddress(e.address, record.address));
      if (!entry || entry.wrappedId !== record.id) {
        result.skipped.push({
          file,
          server: record.name,
          message: `the wrapped entry is no longer in ${file}; its record is kept (mcp-guard wrap puts it back in place)`,
        });
        continue;
      }
      const values: string[] = [];
      const original = restoredText(record.original, (name) => {
        const value = this.d.secrets.getSync(record.id, name);
        if (value === undefined)
          throw new Error(`${record.id}: the secret ${name} is not in the keychain; set it (mcp-guard secrets set ${record.id} ${name}) and unwrap again`);
        values.push(value);
        return value;
      });
      if (entry.text !== record.wrapped)
        result.skipped.push({ file, server: record.name, message: 'the wrapped entry was edited after wrapping; it is replaced by the original entry' });
      restore.push({ record, text: original, values });
    }
    if (restore.length === 0 || !doc || text === undefined) return;
    const edits: EntryEdit[] = restore.map((r) => ({ address: r.record.address, restore: r.text }));
    const secretValues = restore.flatMap((r) => r.values);
    result.diffs.push({ file, diff: configDiff(file, text, doc.edit(edits), secretValues) });
    if (sel.dryRun) return;
    const landed = (doc: ConfigDocument) => restore.every((r) => doc.entries.some((e) => sameAddress(e.address, r.record.address) && e.text === r.text));
    this.writeMerged(
      adapter,
      location,
      text,
      undefined,
      (fresh) => fresh.edit(edits),
      landed,
      () => undefined,
      [],
    );
    for (const { record } of restore) {
      for (const s of record.secrets) if (s.source.kind === 'keychain') this.d.secrets.deleteSync(record.id, s.name);
      // A remote server's OAuth sign-in belongs to the wrapped entry; the client signs in again on its own.
      if (record.launch.transport !== 'stdio') for (const item of [OAUTH_TOKENS_ITEM, OAUTH_CLIENT_ITEM]) this.d.secrets.deleteSync(record.id, item);
      this.d.registry.removeSync(record.id);
      result.changed.push(record.id);
      this.d.audit('server-unwrapped', record);
    }
  }

  /**
   * Writes `edit(document)` over the file, again on what is there now when it changed since it was
   * read; `planned` entries that changed meanwhile stop it (their plan is stale). `written` runs
   * before the rename (the registry must know an entry before a client can start it).
   */
  private writeMerged(
    adapter: ClientAdapter,
    location: ConfigLocation,
    text: string,
    planned: readonly ClientEntry[] | undefined,
    edit: (doc: ConfigDocument) => string,
    landed: (doc: ConfigDocument) => boolean,
    written: (after: string) => void,
    secrets: readonly string[],
  ): void {
    let current = text;
    let doc = adapter.read(location, current);
    let saved = false;
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const after = edit(doc);
      if (attempt === 0) written(after);
      if (!saved) {
        this.d.backups.saveSync(location.path, mask(current, secrets), this.d.now());
        saved = true;
      }
      if (replaceConfigFileSync(location.path, current, after)) {
        // A client that read the file before the rename and writes it after undoes the edit: check, and edit again.
        const check = readConfigTextSync(location.path);
        if (check === after || (check !== undefined && landed(adapter.read(location, check)))) return;
      }
      const fresh = readConfigTextSync(location.path);
      if (fresh === undefined) throw new Error('the file was removed while it was being written; nothing was changed');
      doc = adapter.read(location, fresh);
      for (const entry of planned ?? []) {
        const now = doc.entries.find((e) => sameAddress(e.address, entry.address));
        if (now?.text !== entry.text) throw new Error(`the entry "${entry.name}" changed while it was being wrapped; run mcp-guard wrap again`);
      }
      current = fresh;
    }
    throw new Error(`the file kept changing while it was being written (${MERGE_ATTEMPTS} attempts); close the client and run again`);
  }

  private *locations(sel: WrapSelection): Generator<{ adapter: ClientAdapter; location: ConfigLocation }> {
    for (const adapter of this.d.adapters) {
      if (sel.clients && !sel.clients.includes(adapter.client)) continue;
      for (const location of adapter.discover(this.d.machine)) if (!sel.files || sel.files.includes(location.path)) yield { adapter, location };
    }
  }
}

function sameAddress(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function messageOf(error: unknown): string {
  if (error instanceof ConfigSyntaxError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
