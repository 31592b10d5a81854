import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';

/**
 * Audit events a proxy could not hand to the service, kept in a file of its own (0600) until the
 * service takes them. The proxy replays it when the service comes back; the service ingests the
 * spools of proxies that ended meanwhile. Event ids make a replay harmless.
 * The caller batches (a few milliseconds of events per append, off the call path); each batch is
 * one plain write, which survives the proxy being killed (the bytes are in the OS once written);
 * `flush()` also fdatasyncs them, at exit, against a machine crash.
 */
export class Spool {
  readonly path: string;
  private fd: number | undefined;

  constructor(
    private readonly dir: string,
    sessionId: string,
  ) {
    this.path = join(dir, `${sessionId}.jsonl`);
  }

  append(events: readonly ProxyAuditEvent[]): void {
    if (events.length === 0) return;
    let text = '';
    for (const event of events) text += JSON.stringify(event) + '\n';
    try {
      if (this.fd === undefined) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.fd = openSync(this.path, 'a', 0o600);
      }
      writeSync(this.fd, text);
    } catch (error) {
      process.stderr.write(`mcp-guard: could not write the audit spool ${this.path}: ${String(error)}\n`);
    }
  }

  /** Everything appended so far is on disk once this resolves. */
  flush(): Promise<void> {
    if (this.fd !== undefined) {
      try {
        fdatasyncSync(this.fd);
      } catch {
        // The bytes are written; a failed sync only weakens crash safety.
      }
    }
    return Promise.resolve();
  }

  /** Everything spooled so far; a torn last line (a crash mid-write) is left out. */
  read(): Promise<ProxyAuditEvent[]> {
    return Promise.resolve(readSpoolFile(this.path));
  }

  remove(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
    return Promise.resolve();
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
