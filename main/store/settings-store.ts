/**
 * The app's own settings, `<guard home>/settings.json` (shared/settings.ts `SettingsDocument`):
 * start at login, and what `mcp-guard serve` does on drift when started without --drift. Parsed
 * with its schema at every read; a file that does not parse is reported with its JSON path and left
 * as it is (a change is refused until it is fixed or removed), never silently replaced by defaults.
 */
import { SettingsDocument } from '../../shared/settings.js';
import { formatFileProblem, readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import type { ReadLimit } from './read-bounded.js';

const SETTINGS_LIMIT: ReadLimit = { what: 'settings', maxBytes: 64 * 1024, fix: 'remove it (the settings go back to their defaults) and set them again' };

export type SettingsRead = { state: 'ok'; settings: SettingsDocument; exists: boolean } | { state: 'bad'; problems: FileProblem[] };

export const DEFAULT_SETTINGS: SettingsDocument = { version: 1 };

export class SettingsStore {
  constructor(readonly file: string) {}

  /** The settings on disk; a missing file is the defaults. */
  readSync(): SettingsRead {
    const read = readJsonFileSync(this.file, SETTINGS_LIMIT);
    if (read.state === 'missing') return { state: 'ok', settings: DEFAULT_SETTINGS, exists: false };
    if (read.state === 'bad') return read;
    const parsed = SettingsDocument.safeParse(read.value);
    if (parsed.success) return { state: 'ok', settings: parsed.data, exists: true };
    return {
      state: 'bad',
      problems: parsed.error.issues.map((i) => ({
        file: this.file,
        path: i.path.length === 0 ? '(root)' : i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.'),
        message: i.message,
      })),
    };
  }

  /**
   * Read-modify-write of some settings; refused (the file left untouched) when the file on disk
   * does not parse. Returns the settings as written.
   */
  updateSync(change: Partial<Omit<SettingsDocument, 'version'>>): SettingsDocument {
    const read = this.readSync();
    if (read.state === 'bad') throw new SettingsFileError(read.problems);
    const next = SettingsDocument.parse({ ...read.settings, ...change, version: 1 });
    writeFileAtomicSync(this.file, JSON.stringify(next, null, 2) + '\n');
    return next;
  }
}

/** The settings file does not parse; says where and what to do. */
export class SettingsFileError extends Error {
  constructor(readonly problems: readonly FileProblem[]) {
    super(`${problems.map(formatFileProblem).join('; ')}; fix the file or remove it (the settings then go back to their defaults), then try again`);
    this.name = 'SettingsFileError';
  }
}
