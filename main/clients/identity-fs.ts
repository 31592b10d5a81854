/**
 * The file system as server identity sees it (./server-identity.ts): read a small JSON file, stat a
 * path, hash a file, find a name on PATH, list a directory. Synchronous, because identity is
 * computed at wrap time and by `mcp-guard run` before it spawns the server, where nothing else
 * waits; every read is bounded. What cannot be read counts as absent: identity is best-effort local
 * knowledge, and what it misses shows up as a risk hint (an unhashed file, an unresolved version).
 */
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sha256FileSync } from '../store/file-hash.js';
import { readBoundedTextIfExistsSync } from '../store/read-bounded.js';

export type IdentityStat = { kind: 'file' | 'directory' | 'other'; size: number };

export interface IdentityFs {
  /** The UTF-8 text of a regular file (package.json, a lock file, .npmrc), or undefined. */
  readText(path: string): string | undefined;
  /** What is at `path` (symlinks followed), or undefined when nothing is. */
  stat(path: string): IdentityStat | undefined;
  /** SHA-256 (lowercase hex) of a regular file of at most `maxBytes`, or undefined (missing, not a file, bigger). */
  sha256File(path: string, maxBytes: number): string | undefined;
  /** The real path (symlinks resolved) of the executable `name` would run as found on PATH, or undefined. */
  which(name: string): string | undefined;
  /** The names in a directory, or none when it cannot be listed. */
  readDir(path: string): string[];
}

/** Lock files of large monorepos run to tens of MiB; anything past this is not one npm wrote. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** The real file system, with PATH (and, on Windows, PATHEXT) taken from `env`. */
export function nodeIdentityFs(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): IdentityFs {
  return {
    readText: (path) => {
      try {
        return readBoundedTextIfExistsSync(path, { what: 'package data', maxBytes: MAX_TEXT_BYTES, fix: 'none needed: the guard ignores it' });
      } catch {
        return undefined;
      }
    },
    stat: (path) => {
      try {
        const stats = statSync(path);
        return { kind: stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other', size: stats.size };
      } catch {
        return undefined;
      }
    },
    sha256File: (path, maxBytes) => sha256FileSync(path, maxBytes),
    which: (name) => whichSync(name, env, platform),
    readDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
  };
}

function whichSync(name: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string | undefined {
  const windows = platform === 'win32';
  const path = windows ? (env['Path'] ?? env['PATH']) : env['PATH'];
  const extensions = windows ? ['', ...(env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  for (const dir of (path ?? '').split(windows ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!windows) accessSync(candidate, constants.X_OK);
        return realpathSync(candidate);
      } catch {
        continue;
      }
    }
  }
  return undefined;
}

/** Where the launch runs: the client's working directory for it, the project it belongs to, the user's home and environment. */
export type IdentityWhere = { cwd?: string; projectDir?: string; home: string; env: Readonly<Record<string, string | undefined>> };
