import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

/**
 * Creates (or checks) a directory only this OS user can enter: 0700, owned by us, not a link.
 * A directory that fails the check is refused, never "fixed": someone else made it.
 */
export function ensurePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory (a link or file is in its place); remove it and start again`);
  if (process.platform === 'win32') return;
  if (stat.uid !== process.getuid!()) throw new Error(`${dir} belongs to user id ${stat.uid}, not to you; remove it and start again`);
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
