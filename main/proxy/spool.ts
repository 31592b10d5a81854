import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';

/**
 * Audit events a proxy could not hand to the service, kept in a file of its own (0600) until the
 * service takes them. The proxy replays it when the service comes back; the service ingests the
 * spools of proxies that ended meanwhile. Event ids make a replay harmless.
 * Writes are batched off the call path. They survive the proxy being killed (the bytes are in the
 * OS once written); `flush()` also fdatasyncs them, at exit, against a machine crash.
 */
export class Spool {
  readonly path: string;
  private file: Promise<FileHandle> | undefined;
  private queued: ProxyAuditEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(
    private readonly dir: string,
    sessionId: string,
  ) {
    this.path = join(dir, `${sessionId}.jsonl`);
  }

  append(events: readonly ProxyAuditEvent[]): void {
    if (events.length === 0) return;
    this.queued.push(...events);
    if (this.scheduled) return;
    this.scheduled = true;
    this.writing = this.writing.then(() => this.writeQueued());
  }

  /** Resolves once everything appended so far is on disk. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.queued.length > 0) {
      this.writing = this.writing.then(() => this.writeQueued());
      await this.writing;
    }
    if (this.file) await (await this.file).datasync().catch(() => undefined);
  }

  /** Everything spooled so far; a torn last line (a crash mid-write) is left out. */
  async read(): Promise<ProxyAuditEvent[]> {
    await this.flush();
    return readSpoolFile(this.path);
  }

  async remove(): Promise<void> {
    await this.flush();
    const file = this.file;
    this.file = undefined;
    if (file) await (await file).close();
    rmSync(this.path, { force: true });
  }

  private async writeQueued(): Promise<void> {
    this.scheduled = false;
    const events = this.queued;
    this.queued = [];
    if (events.length === 0) return;
    try {
      if (!this.file) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.file = open(this.path, 'a', 0o600);
      }
      const file = await this.file;
      await file.appendFile(events.map((e) => JSON.stringify(e) + '\n').join(''));
    } catch (error) {
      process.stderr.write(`mcp-guard: could not write the audit spool ${this.path}: ${String(error)}\n`);
    }
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
