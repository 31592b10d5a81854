import { join } from 'node:path';
import { z } from 'zod';
import { LastFetch } from '../../shared/managed-status.js';
import { readJsonFileSync, writeFileAtomicSync } from './atomic-file.js';

/**
 * What the service last did for central management (issue 17), for `mcp-guard sync status`,
 * `mcp-guard policy show` and the proxies' stale flag when the service is not asked:
 * `sync-status.json` in the guard's home (0600, atomic). Display only: nothing here decides a
 * call (the signed bundle in last-good-policy.json does, verified again by whoever loads it).
 */

export const SYNC_STATUS_FILE = 'sync-status.json';

export const SinkState = z.strictObject({
  id: z.string(),
  kind: z.string(),
  lag: z.number().int().nonnegative(),
  lastShippedId: z.string().optional(),
  lastShippedAt: z.string().optional(),
  lastError: z.strictObject({ at: z.string(), message: z.string() }).optional(),
  retryAt: z.string().optional(),
});

export const SyncStatusFile = z.strictObject({
  format: z.literal(1),
  lastFetch: LastFetch.optional(),
  nextFetchAt: z.string().optional(),
  sinks: z.array(SinkState).max(16).optional(),
  writtenAt: z.string(),
});
export type SyncStatusFile = z.infer<typeof SyncStatusFile>;

const LIMIT = { what: 'the sync status', maxBytes: 256 * 1024, fix: 'remove it; the service writes it again' };

export class SyncStatusStore {
  readonly file: string;

  constructor(home: string) {
    this.file = join(home, SYNC_STATUS_FILE);
  }

  /** The last status written, or undefined when there is none or it does not parse (it is only for display). */
  readSync(): SyncStatusFile | undefined {
    const read = readJsonFileSync(this.file, LIMIT);
    if (read.state !== 'parsed') return undefined;
    const parsed = SyncStatusFile.safeParse(read.value);
    return parsed.success ? parsed.data : undefined;
  }

  writeSync(status: Omit<SyncStatusFile, 'format'>): void {
    writeFileAtomicSync(this.file, JSON.stringify(SyncStatusFile.parse({ format: 1, ...status })) + '\n');
  }
}
