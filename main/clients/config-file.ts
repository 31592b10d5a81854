/**
 * A client's config file on disk, read within a cap and written the way a client's own file must
 * be: atomically (a temp file in the same directory, fsync, rename), with the original's mode and
 * owner, and only if nobody changed it since it was read (the caller merges and tries again: Claude
 * Code rewrites ~/.claude.json while it runs). Backups of what was replaced go in the guard's home.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readBoundedTextIfExistsSync, type ReadLimit } from '../store/read-bounded.js';
import { writeFileAtomicSync } from '../store/atomic-file.js';
import { fileStampSync } from '../store/file-stamp.js';

/** ~/.claude.json keeps every project's history; tens of MiB are seen in the wild. */
const CONFIG_LIMIT: ReadLimit = { what: 'client config file', maxBytes: 64 * 1024 * 1024, fix: 'check that this is the client config file you meant' };

export function readConfigTextSync(path: string): string | undefined {
  return readBoundedTextIfExistsSync(path, CONFIG_LIMIT);
}

/**
 * Writes `text` to `path` if the file still holds `expected` (undefined: does not exist). Returns
 * false, writing nothing, when it changed meanwhile. The comparison is made after the temp file is
 * complete and just before the rename, so the window in which another writer's change can be lost
 * is that of one read.
 */
export function replaceConfigFileSync(path: string, expected: string | undefined, text: string): boolean {
  const dir = dirname(path);
  let mode = 0o600;
  let owner: { uid: number; gid: number } | undefined;
  if (expected !== undefined) {
    const stat = statSync(path);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const temp = join(dir, `.${basename(path)}.mcp-guard-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (owner && process.getuid && (owner.uid !== process.getuid() || owner.gid !== process.getgid!())) chownSync(temp, owner.uid, owner.gid);
    // The content is compared first, then (as late as can be) the file's identity: a writer that
    // replaced or rewrote it since shows in its inode, size or mtime, checked just before the rename.
    const before = expected === undefined ? undefined : fileStampSync(path);
    if (readConfigTextSync(path) !== expected || (before !== undefined && fileStampSync(path) !== before)) {
      unlinkSync(temp);
      return false;
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
  return true;
}
// Between that last stat and the rename, a few microseconds, a writer's own rename would still be
// lost: POSIX has no compare-and-rename (Linux's renameat2 RENAME_EXCHANGE is not in Node).

function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** How many backups of one file are kept; older ones are removed. */
const BACKUPS_PER_FILE = 10;

/**
 * Backups of client files before the guard rewrote them, in `<home>/backups/`, newest
 * `BACKUPS_PER_FILE` per file. What is saved has its secrets already cut out by the caller: a
 * backup must not become a second plaintext copy of what just moved to the keychain.
 */
export class ConfigBackups {
  constructor(readonly dir: string) {}

  saveSync(path: string, text: string, now: Date): string {
    const prefix = path.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '');
    const file = join(this.dir, `${prefix}.${now.toISOString().replace(/[:.]/g, '-')}.bak`);
    writeFileAtomicSync(file, text);
    const older = readdirSync(this.dir)
      .filter((f) => f.startsWith(prefix + '.') && f.endsWith('.bak'))
      .sort()
      .slice(0, -BACKUPS_PER_FILE);
    for (const f of older) rmSync(join(this.dir, f), { force: true });
    return file;
  }
}
