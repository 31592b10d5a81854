import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';
import type { Logger } from '../common/logger.js';
import { readSpoolFile, rejectedSpoolPath, type SpoolContents } from './spool.js';

export type OrphanSpoolDeps = {
  spoolDir: string;
  log: Logger;
  /** Appends the events to the audit log; resolves when they are durable. */
  record: (events: readonly ProxyAuditEvent[]) => Promise<void>;
  /** Whether the proxy that owns a spool (by the pid in its name) still runs: then it is left alone. */
  processRuns: (pid: number) => boolean;
};

/**
 * Ingests the spools left by proxies that ended while the service was away (file name:
 * `<pid>-<session>.jsonl`). A spool is a file anyone with the user's rights can write: a line that
 * is not an audit event is skipped and reported with its file and line, and such a spool (or one
 * that cannot be read) is kept aside as `*.rejected` (evidence for whoever looks into it, and not
 * ingested again), not deleted. Only failing to record good events fails: the audit log is broken.
 */
export async function ingestOrphanSpools(d: OrphanSpoolDeps): Promise<void> {
  let files: string[];
  try {
    files = readdirSync(d.spoolDir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return;
  }
  for (const file of files) {
    const pid = Number(file.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && d.processRuns(pid)) continue;
    const path = join(d.spoolDir, file);
    let spool: SpoolContents;
    try {
      spool = await readSpoolFile(path);
    } catch (error) {
      d.log.log('warn', 'audit spool: could not read it', { file: path, problem: message(error) });
      setAside(path, d.log);
      continue;
    }
    for (const { line, problem } of spool.rejected) d.log.log('warn', 'audit spool: skipped a line that is not an audit event', { file: path, line, problem });
    try {
      await d.record(spool.events);
    } catch (error) {
      throw new Error(`could not record the ${spool.events.length} events of the audit spool ${path}: ${message(error)}`);
    }
    if (spool.rejected.length > 0) setAside(path, d.log);
    else rmSync(path, { force: true });
    d.log.log('info', 'ingested the audit spool of an ended proxy', { file: path, events: spool.events.length, rejected: spool.rejected.length });
  }
}

function setAside(path: string, log: Logger): void {
  const aside = rejectedSpoolPath(path);
  try {
    renameSync(path, aside);
    log.log('warn', 'audit spool: kept it aside; look into it, then delete it', { file: aside });
  } catch (error) {
    log.log('error', 'audit spool: could not keep it aside; it is read again at the next start', { file: path, problem: message(error) });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
