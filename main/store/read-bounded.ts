import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** What a file holds and how much of it MCP Guard will read; `fix` says what to do about a file over the cap. */
export type ReadLimit = { what: string; maxBytes: number; fix: string };

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/**
 * A file was refused before (or while) reading it: not a regular file, or over the cap. `reason`
 * says what it is, the cap, and what to do, without the file name (callers put that in front).
 */
export class FileRefusedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * The text of a file MCP Guard configures itself from (policy, pins, grants, settings), or
 * undefined when it does not exist. Opens it once (non-blocking, so a FIFO without a writer does
 * not stall the open), checks the opened descriptor (fstat: no window between the check and the
 * read in which the path could be swapped), refuses anything but a regular file, refuses more than
 * `limit.maxBytes`, and reads only from that descriptor, never more than the cap plus one byte
 * (a file that grows after the check, or that reports no size, is still caught). Throws
 * FileRefusedError for a refused file; other errors (permissions) are thrown as they come.
 */
export function readBoundedTextIfExistsSync(path: string, limit: ReadLimit): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new FileRefusedError(
        path,
        `${kindOf(stats)}, not a regular file; MCP Guard reads ${limit.what} only from a regular file of at most ${mib(limit.maxBytes)}: make it one (or remove it)`,
      );
    }
    if (stats.size > limit.maxBytes) throw overCap(path, stats.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit.maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > limit.maxBytes) throw overCap(path, total, limit, 'more than ');
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function overCap(path: string, size: number, limit: ReadLimit, more = ''): FileRefusedError {
  return new FileRefusedError(path, `${more}${(size / MiB).toFixed(1)} MiB, over the ${mib(limit.maxBytes)} cap for ${limit.what}; ${limit.fix}`);
}

function mib(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'a special file';
}
