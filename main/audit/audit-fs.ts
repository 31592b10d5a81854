import { open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An open segment: the writer only appends and syncs. */
export interface AuditFile {
  write(data: Buffer): Promise<void>;
  /** fdatasync: the appended bytes (and the size) are on disk when it resolves. */
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/** The durability-relevant file operations of the audit log; tests wrap it to count syncs. */
export interface AuditFileSystem {
  /** Opens for appending, creating the file with mode 0600. */
  openAppend(path: string): Promise<AuditFile>;
  /** fsyncs a directory so that a created, renamed or deleted entry survives a crash. */
  syncDir(dir: string): Promise<void>;
}

export class NodeAuditFileSystem implements AuditFileSystem {
  async openAppend(path: string): Promise<AuditFile> {
    return new NodeAuditFile(await open(path, 'a', 0o600));
  }

  async syncDir(dir: string): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (error) {
      // Windows cannot open or fsync a directory; its metadata journal covers the entry.
      if (process.platform !== 'win32') throw error;
    } finally {
      await handle?.close();
    }
  }
}

class NodeAuditFile implements AuditFile {
  constructor(private readonly handle: FileHandle) {}

  async write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * Replaces `path` with `text` atomically: a temp file beside it (0600), renamed over it. With
 * `durable`, the temp file is fsynced before the rename and the directory after it.
 */
export async function replaceFile(path: string, text: string, durable: false | AuditFileSystem): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  if (durable) {
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await rename(temp, path);
  if (durable) await durable.syncDir(dirname(path));
}
