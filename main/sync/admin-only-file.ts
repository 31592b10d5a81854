import { lstatSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What the check needs of a file's status: its owner and its mode bits. */
export type OwnerAndMode = { uid: number; mode: number; isDirectory(): boolean; isSymbolicLink(): boolean };

export type AdminOnlyOptions = {
  /** The administrator's uid: root (0) on Linux and macOS. Injected so tests (run as root) can play a non-root owner. */
  adminUid: number;
  /** The status of a path without following a final symlink (lstat). */
  lstat: (path: string) => OwnerAndMode;
  /** The path with every symlink resolved. */
  realpath: (path: string) => string;
  platform: NodeJS.Platform;
};

export const defaultAdminOnlyOptions = (): AdminOnlyOptions => ({
  adminUid: 0,
  lstat: lstatSync,
  realpath: (p) => realpathSync.native(p),
  platform: process.platform,
});

/** The verdict on one file: absent, admin-only, refused (with every reason), or not checkable on this OS. */
export type AdminOnlyVerdict =
  { state: 'absent' } | { state: 'admin-only' } | { state: 'not-checked'; note: string } | { state: 'writable-by-others'; reasons: string[] };

const S_ISVTX = 0o1000;

/**
 * Whether a non-admin user could change `file`: on POSIX, the file and every directory above it up
 * to the root must be owned by the admin and writable by neither group nor others; a directory
 * writable by group or others with the sticky bit (`/tmp`) is accepted, because others cannot replace an
 * entry in it that the admin owns (and that entry is checked in turn). The chain is checked for the
 * path as given and for the path with its symlinks resolved, so neither a symlink nor its target
 * can sit where a user can swap it. Windows ACLs are not checked yet: the verdict says so.
 */
export function checkAdminOnlySync(file: string, options: AdminOnlyOptions): AdminOnlyVerdict {
  if (options.platform === 'win32') return { state: 'not-checked', note: 'who may write the file is not checked on Windows yet (its ACL is not read)' };
  const given = resolve(file);
  try {
    options.lstat(given);
  } catch (error) {
    if (isMissing(error)) return { state: 'absent' };
    throw error;
  }
  let real: string;
  try {
    real = options.realpath(given);
  } catch (error) {
    // A dangling symlink: nothing to read, as for a missing file.
    if (isMissing(error)) return { state: 'absent' };
    throw error;
  }
  const reasons = new Set<string>();
  for (const path of chain(given)) for (const r of problemsOf(path, options)) reasons.add(r);
  if (real !== given) for (const path of chain(real)) for (const r of problemsOf(path, options)) reasons.add(r);
  return reasons.size === 0 ? { state: 'admin-only' } : { state: 'writable-by-others', reasons: [...reasons] };
}

/** `path` and each directory above it, the root last. */
function chain(path: string): string[] {
  const out = [path];
  for (let p = path, up = dirname(p); up !== p; p = up, up = dirname(p)) out.push(up);
  return out;
}

function problemsOf(path: string, options: AdminOnlyOptions): string[] {
  const stats = options.lstat(path);
  const what = stats.isDirectory() ? 'directory' : stats.isSymbolicLink() ? 'symlink' : 'file';
  const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
  const problems: string[] = [];
  if (stats.uid !== options.adminUid) {
    problems.push(
      `${what} ${path} is owned by uid ${stats.uid}, not the administrator (uid ${options.adminUid}): run \`chown ${options.adminUid} ${path}\` as root`,
    );
  }
  // A symlink's own mode bits mean nothing (0777 on Linux): who may replace it is its directory's matter.
  if (stats.isSymbolicLink()) return problems;
  const sticky = stats.isDirectory() && (stats.mode & S_ISVTX) !== 0;
  const writers = [(stats.mode & 0o020) !== 0 ? 'its group' : undefined, (stats.mode & 0o002) !== 0 ? 'others' : undefined].filter((w) => w !== undefined);
  if (writers.length > 0 && !sticky) {
    problems.push(`${what} ${path} is writable by ${writers.join(' and ')} (mode ${mode}): run \`chmod go-w ${path}\` as root`);
  }
  return problems;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
