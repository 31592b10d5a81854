/** The SHA-256 of a file a server runs: at wrap (its identity) and at each launch (is it still that file). */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const HASH_CHUNK = 1024 * 1024;

/**
 * A bigger file is left unhashed (and the risk hints say so). Server binaries, even static Go or
 * Rust ones, are tens of MiB; hashing is synchronous and sits in front of every launch (about a
 * second per 256 MiB), and a file past this is more likely a data file or a disk image given as an
 * argument than the server itself.
 */
export const MAX_HASHED_BYTES = 256 * 1024 * 1024;

/**
 * Opens once, non-blocking (a FIFO without a writer does not stall the open), checks the opened
 * descriptor (no window in which the path could be swapped for something else), and reads at most
 * `maxBytes + 1` bytes, so a file that grows while it is read is still refused.
 */
export function sha256FileSync(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(HASH_CHUNK);
    let total = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) return undefined;
      hash.update(chunk.subarray(0, read));
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
