import { unwatchFile, watchFile } from 'node:fs';
import type { ManagedPolicyStatus } from '../../shared/managed-status.js';
import type { PolicyDocument } from '../../shared/policy.js';
import { canonicalJson, sha256Hex } from '../common/canonical-json.js';
import { parsePolicyText } from '../policy/parse-policy.js';
import { PolicyEngine } from '../policy/policy-engine.js';
import { formatFileProblem, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import type { PolicySnapshot, PolicySource } from './policy-source.js';
import { FileRefusedError, readBoundedTextIfExistsSync, type ReadLimit } from './read-bounded.js';

/**
 * How much policy MCP Guard reads from one file. People write policy, with globs
 * (`mcp__github__*`) covering many tools: even a large organisation's managed file is tens of KiB,
 * so 4 MiB is far beyond any real one while keeping a load (read, parse, validate) well under a second.
 */
export const POLICY_READ_LIMIT: ReadLimit = {
  what: 'policy',
  maxBytes: 4 * 1024 * 1024,
  fix: 'shorten it (one rule with a glob like "mcp__github__*" covers many tools)',
};

/** What a bad file turns into when no earlier good version is in force: everything denied, saying why. */
export function lockdownPolicy(file: string): PolicyDocument {
  return {
    version: 1,
    rules: [
      {
        id: 'policy-file-unreadable',
        tool: 'mcp__*',
        action: 'deny',
        allowGrants: false,
        reason: `policy file ${file} is invalid; fix it (mcp-guard policy check ${file}) and every call is decided by it again`,
      },
    ],
  };
}

type Layer = { file: string; doc: PolicyDocument | undefined; problems: FileProblem[]; lockdown: boolean };

/**
 * The managed layer as decided elsewhere (main/sync/managed-layer.ts: IT's managed configuration
 * and signed bundle): its document, problems and status, handed in by `setManaged`.
 */
export type ManagedLayerUpdate = { doc: PolicyDocument | undefined; problems: FileProblem[]; status: ManagedPolicyStatus };

/**
 * Loads the user policy ($MCP_GUARD_HOME/policy.json; missing = defaults) and the managed policy:
 * a plain file (`managedPolicy`), or, with `managedExternal`, the layer main/sync decides from the
 * managed configuration and the signed bundle (`setManaged`; until then every call is denied).
 * A file that fails to parse or validate is reported and the previous good value stays in force;
 * with no previous value the layer denies everything rather than fall back to something looser.
 * When the managed status locks `userRules: false`, the user file's rules are not in force.
 * Implements PolicySource, reloading within a second of a change.
 */
export class PolicyStore implements PolicySource {
  private readonly layers: { user: Layer; managed: Layer };
  private snapshot: PolicySnapshot | undefined;
  /** Watchers told of a save through saveUserSync too (the file watch then sees nothing new to report). */
  private readonly watchers = new Set<() => void>();
  private readonly external: boolean;
  private managedState: ManagedPolicyStatus | undefined;

  /** `managedPolicy` names the managed layer: its file, or (with `managedExternal`) where it comes from, for messages. */
  constructor(files: { userPolicy: string; managedPolicy: string; managedExternal?: boolean }) {
    this.layers = { user: newLayer(files.userPolicy), managed: newLayer(files.managedPolicy) };
    this.external = files.managedExternal === true;
    if (this.external) {
      this.layers.managed.doc = lockdownPolicy(files.managedPolicy);
      this.layers.managed.lockdown = true;
    }
  }

  /** Puts the managed layer decided by main/sync in force (only for a store made with `managedExternal`). */
  setManaged(update: ManagedLayerUpdate): void {
    if (!this.external) throw new Error('setManaged: this policy store reads its managed layer from a file');
    const before = this.stateKey() + JSON.stringify(this.managedState);
    Object.assign(this.layers.managed, { doc: update.doc, problems: update.problems, lockdown: false });
    this.managedState = update.status;
    if (before === this.stateKey() + JSON.stringify(this.managedState)) return;
    this.snapshot = undefined;
    for (const onChange of [...this.watchers]) onChange();
  }

  /** What main/sync said of the managed layer in force (absent for a plain file). */
  get managedStatus(): ManagedPolicyStatus | undefined {
    return this.managedState;
  }

  /** Re-reads the files; returns whether the effective policy changed. */
  reloadSync(): boolean {
    const before = JSON.stringify([this.layers.user.doc, this.layers.managed.doc]);
    for (const layer of this.external ? [this.layers.user] : [this.layers.user, this.layers.managed]) loadLayerSync(layer);
    const changed = this.snapshot === undefined || before !== JSON.stringify([this.layers.user.doc, this.layers.managed.doc]);
    if (changed) this.snapshot = undefined;
    return changed;
  }

  get user(): PolicyDocument | undefined {
    return this.layers.user.doc;
  }

  get managed(): PolicyDocument | undefined {
    return this.layers.managed.doc;
  }

  get problems(): FileProblem[] {
    return [...this.layers.managed.problems, ...this.layers.user.problems];
  }

  get files(): { user: string; managed: string } {
    return { user: this.layers.user.file, managed: this.layers.managed.file };
  }

  current(): PolicySnapshot {
    if (!this.snapshot) {
      if (this.layers.user.doc === undefined && this.layers.managed.doc === undefined) this.reloadSync();
      this.snapshot = {
        engine: new PolicyEngine({ managed: this.managed, user: this.userInForce }),
        versions: {
          ...revisionOf('userRevision', this.user),
          ...revisionOf('managedRevision', this.managed),
          ...(this.managedState?.bundle ? { managedVersion: this.managedState.bundle.version } : {}),
        },
        problems: this.problems.map(formatFileProblem),
        ...(this.managedState ? { managed: this.managedState } : {}),
      };
    }
    return { ...this.snapshot, problems: this.problems.map(formatFileProblem) };
  }

  /**
   * The user file as in force. When IT locks `userRules: false`, only the user's deny rules stay:
   * a deny can only narrow what the managed layer lets through, an allow or ask could widen it.
   */
  get userInForce(): PolicyDocument | undefined {
    const user = this.user;
    if (!user || !this.userRulesLocked) return user;
    const { rules, servers, ...rest } = user;
    const denyRules = rules?.filter((r) => r.action === 'deny') ?? [];
    const denyServers = servers?.filter((s) => s.action === 'deny') ?? [];
    return { ...rest, ...(denyRules.length > 0 ? { rules: denyRules } : {}), ...(denyServers.length > 0 ? { servers: denyServers } : {}) };
  }

  /** Whether IT's managed configuration locks user rules (`locked.userRules: false`). */
  get userRulesLocked(): boolean {
    return this.managedState?.locked?.userRules === false;
  }

  watch(onChange: () => void): () => void {
    const files = this.external ? [this.layers.user.file] : [this.layers.user.file, this.layers.managed.file];
    // What this watcher last reported: a change another caller loaded first (a reloadSync, a save)
    // is still news to it. A new problem (a bad edit, the last good policy still in force) is news too.
    let seen = this.stateKey();
    const report = () => {
      const now = this.stateKey();
      if (now === seen) return;
      seen = now;
      onChange();
    };
    const listener = () => {
      this.reloadSync();
      report();
    };
    for (const file of files) watchFile(file, { interval: 400, persistent: false }, listener);
    this.watchers.add(report);
    return () => {
      this.watchers.delete(report);
      files.forEach((file) => unwatchFile(file, listener));
    };
  }

  private stateKey(): string {
    return JSON.stringify([this.layers.user.doc, this.layers.managed.doc, this.problems]);
  }

  /** Validates and writes the user policy atomically (0600 in a 0700 dir); returns problems instead of writing a bad one. */
  saveUserSync(doc: PolicyDocument): FileProblem[] {
    const text = JSON.stringify(doc, null, 2) + '\n';
    const parsed = parsePolicyText(text);
    if (!parsed.ok) return parsed.problems.map((p) => ({ file: this.layers.user.file, ...p }));
    const added = this.userRulesLocked ? addedWideningRules(this.user, parsed.policy) : [];
    if (added.length > 0) {
      return added.map((path) => ({
        file: this.layers.user.file,
        path,
        message: "IT's managed configuration does not let users add allow or ask rules (locked.userRules: false); only deny rules can be added",
      }));
    }
    writeFileAtomicSync(this.layers.user.file, text);
    this.layers.user.doc = parsed.policy;
    this.layers.user.problems = [];
    this.snapshot = undefined;
    for (const onChange of [...this.watchers]) onChange();
    return [];
  }
}

/** A layer's revision in force (the status line's "which policy"): absent for a layer without a file. */
function revisionOf<K extends string>(key: K, doc: PolicyDocument | undefined): Partial<Record<K, string>> {
  return doc === undefined ? {} : ({ [key]: sha256Hex(canonicalJson(doc)).slice(0, 12) } as Partial<Record<K, string>>);
}

function newLayer(file: string): Layer {
  return { file, doc: undefined, problems: [], lockdown: false };
}

function loadLayerSync(layer: Layer): void {
  let text: string | undefined;
  try {
    text = readBoundedTextIfExistsSync(layer.file, POLICY_READ_LIMIT);
  } catch (error) {
    // A file refused unread (a device, a FIFO, over the cap) is a bad file like any other.
    if (!(error instanceof FileRefusedError)) throw error;
    return keepOrLockDown(layer, [{ path: '(root)', message: error.reason }]);
  }
  if (text === undefined) {
    layer.doc = undefined;
    layer.problems = [];
    layer.lockdown = false;
    return;
  }
  const parsed = parsePolicyText(text);
  if (parsed.ok) {
    layer.doc = parsed.policy;
    layer.problems = [];
    layer.lockdown = false;
    return;
  }
  keepOrLockDown(layer, parsed.problems);
}

/** A bad file: the previous good policy stays in force; with none, the layer denies everything. */
function keepOrLockDown(layer: Layer, problems: ReadonlyArray<{ path: string; message: string }>): void {
  if (layer.doc === undefined) {
    layer.doc = lockdownPolicy(layer.file);
    layer.lockdown = true;
  }
  const kept = layer.lockdown ? 'denying every call until it is fixed' : 'keeping the previous policy in force';
  layer.problems = problems.map((p) => ({ file: layer.file, path: p.path, message: `${p.message}; ${kept}` }));
}

/** The allow and ask entries of `next` (rules and server rules) that `current` does not have, as paths (`rules[2]`). */
function addedWideningRules(current: PolicyDocument | undefined, next: PolicyDocument): string[] {
  const added: string[] = [];
  for (const key of ['rules', 'servers'] as const) {
    const had = new Set((current?.[key] ?? []).map((entry) => canonicalJson(entry)));
    (next[key] ?? []).forEach((entry, i) => {
      if (entry.action !== 'deny' && !had.has(canonicalJson(entry))) added.push(`${key}[${i}]`);
    });
  }
  return added;
}
