import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';

/**
 * Audit events a proxy could not hand to the service, kept in a file of its own (0600, fsync'ed)
 * until the service takes them. The proxy replays it when the service comes back; the service
 * ingests the spools of proxies that ended meanwhile. Event ids make a replay harmless.
 */
export class Spool {
  readonly path: string;
  private fd: number | undefined;

  constructor(dir: string, sessionId: string) {
    this.path = join(dir, `${sessionId}.jsonl`);
    this.dir = dir;
  }

  private readonly dir: string;

  append(events: readonly ProxyAuditEvent[]): void {
    if (events.length === 0) return;
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
    }
    writeSync(this.fd, events.map((e) => JSON.stringify(e) + '\n').join(''));
    fsyncSync(this.fd);
  }

  /** Everything spooled so far; a torn last line (a crash mid-write) is left out. */
  read(): ProxyAuditEvent[] {
    return readSpoolFile(this.path);
  }

  remove(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}

export function readSpoolFile(path: string): ProxyAuditEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const events: ProxyAuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as ProxyAuditEvent);
    } catch {
      // torn line from a crash: the event was never acknowledged to anyone
    }
  }
  return events;
}
