/**
 * Finds and reads the managed configuration (shared/managed-config.ts): the file at the OS's
 * admin-only location, or `MCP_GUARD_MANAGED_CONFIG` (for tests) unless the OS file locks
 * environment overrides. Never throws for a bad file and never falls back to something looser: a
 * file that is writable by a non-admin user, unreadable, or invalid is `refused` with every problem,
 * and nothing in it is in force.
 */
import { isAbsolute, resolve } from 'node:path';
import { ManagedConfig } from '../../shared/managed-config.js';
import { readJsonFileSync, type FileProblem } from '../store/atomic-file.js';
import { osManagedPolicyPath } from '../store/managed-policy-path.js';
import type { ReadLimit } from '../store/read-bounded.js';
import { checkAdminOnlySync, defaultAdminOnlyOptions, type AdminOnlyOptions } from './admin-only-file.js';
import { zodProblems } from './zod-problems.js';

export const MANAGED_CONFIG_ENV = 'MCP_GUARD_MANAGED_CONFIG';

/** A managed configuration is a few KiB; a cap keeps a huge file from being read at all. */
export const MANAGED_CONFIG_READ_LIMIT: ReadLimit = { what: 'the managed configuration', maxBytes: 256 * 1024, fix: 'ask your IT department to fix it' };

/** Which file was read and why that one. */
export type ManagedConfigSource = {
  file: string;
  from: 'os-location' | 'override';
  /** The OS location, whichever file was read. */
  osLocation: string;
  /** `MCP_GUARD_MANAGED_CONFIG` was set but not used, and why. */
  overrideIgnored?: { path: string; reason: string };
  /** What this OS offers that is not read yet (the macOS managed-preferences plist, the Windows policy registry key), and checks not made. */
  notes: string[];
};

export type ManagedConfigRead =
  | { state: 'absent'; source: ManagedConfigSource }
  | { state: 'ok'; source: ManagedConfigSource; config: ManagedConfig }
  | { state: 'refused'; source: ManagedConfigSource; problems: FileProblem[] };

export type ManagedConfigReaderOptions = {
  env: NodeJS.ProcessEnv;
  /** Defaults to the OS location of managed policy (main/store/managed-policy-path.ts), so the two never drift apart. */
  osLocation?: string;
  adminOnly?: Partial<AdminOnlyOptions>;
};

export type ManagedFileRead = { state: 'absent' } | { state: 'ok'; config: ManagedConfig } | { state: 'refused'; problems: FileProblem[] };

export class ManagedConfigReader {
  private readonly adminOnly: AdminOnlyOptions;
  private readonly osLocation: string;

  constructor(private readonly options: ManagedConfigReaderOptions) {
    this.adminOnly = { ...defaultAdminOnlyOptions(), ...options.adminOnly };
    this.osLocation = options.osLocation ?? osManagedPolicyPath(this.adminOnly.platform, options.env);
  }

  readSync(): ManagedConfigRead {
    const notes = this.notes();
    const osRead = this.readFileSync(this.osLocation, notes);
    const source: ManagedConfigSource = { file: this.osLocation, from: 'os-location', osLocation: this.osLocation, notes };
    const override = this.options.env[MANAGED_CONFIG_ENV];
    if (!override) return { ...osRead, source };
    const ignored = (reason: string): ManagedConfigRead => ({ ...osRead, source: { ...source, overrideIgnored: { path: override, reason } } });
    switch (osRead.state) {
      case 'refused':
        // Whether the OS file locks overrides is unknown: the override must not win over IT's file.
        return ignored(`the managed configuration at ${this.osLocation} is refused, so it cannot be told whether it allows overrides`);
      case 'ok':
        if (osRead.config.lockEnvironmentOverrides === true)
          return ignored(`the managed configuration at ${this.osLocation} sets lockEnvironmentOverrides: true`);
        break;
      case 'absent':
        break;
    }
    const file = isAbsolute(override) ? override : resolve(override);
    return { ...this.readFileSync(file, notes), source: { ...source, file, from: 'override' } };
  }

  private readFileSync(file: string, notes: string[]): ManagedFileRead {
    const problem = (message: string): ManagedFileRead => ({ state: 'refused', problems: [{ file, path: '(root)', message }] });
    let verdict;
    try {
      verdict = checkAdminOnlySync(file, this.adminOnly);
    } catch (error) {
      return problem(`cannot check who may write it (${(error as Error).message}); a managed configuration is read only once it is known to be admin-only`);
    }
    switch (verdict.state) {
      case 'absent':
        return { state: 'absent' };
      case 'writable-by-others':
        return {
          state: 'refused',
          problems: verdict.reasons.map((r) => ({ file, path: '(root)', message: `refused: a user who is not an administrator could change it: ${r}` })),
        };
      case 'not-checked':
        if (!notes.includes(verdict.note)) notes.push(verdict.note);
        break;
      case 'admin-only':
        break;
    }
    let read;
    try {
      read = readJsonFileSync(file, MANAGED_CONFIG_READ_LIMIT);
    } catch (error) {
      return problem(`cannot read it (${(error as Error).message}); check its permissions`);
    }
    if (read.state === 'missing') return { state: 'absent' };
    if (read.state === 'bad') return { state: 'refused', problems: read.problems };
    return parseManagedConfig(file, read.value);
  }

  private notes(): string[] {
    switch (this.adminOnly.platform) {
      case 'darwin':
        return ['the managed-preferences plist is not read yet: only the JSON file is'];
      case 'win32':
        return ['the policy registry key is not read yet: only the JSON file is'];
      default:
        return [];
    }
  }
}

/** Validates a parsed managed configuration; every problem names the file, the JSON path and the value. */
export function parseManagedConfig(file: string, value: unknown): ManagedFileRead {
  const parsed = ManagedConfig.safeParse(value, { reportInput: true });
  if (parsed.success) return { state: 'ok', config: parsed.data };
  return { state: 'refused', problems: zodProblems(parsed.error, file) };
}
