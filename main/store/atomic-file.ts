/**
 * The guard's small files on disk (policy, pins, grants, the head anchor to come): what is wrong
 * with one (FileProblem, naming file and JSON path), reading one as JSON within a cap, and writing
 * one so that a reader never sees it torn.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileRefusedError, readBoundedTextIfExistsSync, type ReadLimit } from './read-bounded.js';

/** One problem with a file on disk, naming the file and the JSON path. */
export type FileProblem = { file: string; path: string; message: string };

export function formatFileProblem(p: FileProblem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

/** A JSON file as read: missing, parsed (not yet validated), or refused or broken, saying why. */
export type JsonFileRead = { state: 'missing' } | { state: 'parsed'; value: unknown } | { state: 'bad'; problems: FileProblem[] };

/** Reads `file` within `limit` (./read-bounded.ts) and parses it as JSON; refusals and parse errors become problems. */
export function readJsonFileSync(file: string, limit: ReadLimit): JsonFileRead {
  let text: string | undefined;
  try {
    text = readBoundedTextIfExistsSync(file, limit);
  } catch (error) {
    // A file refused unread (a device, a FIFO, over the cap) is a bad file like any other.
    if (!(error instanceof FileRefusedError)) throw error;
    return { state: 'bad', problems: [{ file, path: '(root)', message: error.reason }] };
  }
  if (text === undefined) return { state: 'missing' };
  try {
    return { state: 'parsed', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { state: 'bad', problems: [{ file, path: '(root)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

export function fileExistsSync(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    // Present but unreadable (EACCES) still counts as present: the env override must not win.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

/**
 * Writes `text` so that readers see the old file or the new one, never a torn one: a temp file in
 * the same directory (0600), fsync, rename over the target, fsync the directory. The directory is
 * created 0700 when missing.
 */
export function writeFileAtomicSync(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  if (process.platform !== 'win32') {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
