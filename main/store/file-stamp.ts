import { statSync } from 'node:fs';

/**
 * Inode, size and mtime (ns) of a file: what changes when another writer replaces or rewrites it,
 * without reading it. Undefined when it is not there.
 */
export function fileStampSync(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return undefined;
  }
}
