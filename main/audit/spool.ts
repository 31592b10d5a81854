import { closeSync, fdatasyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
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
  /** The last read found lines that are not audit events: remove() keeps the file aside instead. */
  private rejectedSeen = false;

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

  /** Every audit event spooled so far; lines that are not one are reported and left out, and so is a torn last line. */
  async read(): Promise<ProxyAuditEvent[]> {
    try {
      const { events, rejected } = await readSpoolFile(this.path);
      for (const r of rejected) process.stderr.write(`mcp-guard: audit spool ${this.path}:${r.line}: ${r.problem}; skipped it\n`);
      this.rejectedSeen ||= rejected.length > 0;
      return events;
    } catch (error) {
      process.stderr.write(`mcp-guard: could not read the audit spool ${this.path}: ${String(error)}\n`);
      return [];
    }
  }

  /** Deletes the spool, or keeps it aside as `*.rejected` when it held lines that are not events. */
  remove(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.rejectedSeen) {
      this.rejectedSeen = false;
      try {
        renameSync(this.path, rejectedSpoolPath(this.path));
        return Promise.resolve();
      } catch {
        // Gone already, or cannot be renamed: delete it as before.
      }
    }
    rmSync(this.path, { force: true });
    return Promise.resolve();
  }
}

/** A spool line that is not an audit event: its 1-based line number and why. */
export type SpoolRejection = { line: number; problem: string };
export type SpoolContents = { events: ProxyAuditEvent[]; rejected: SpoolRejection[] };

/** Where a spool holding lines that are not events is kept (not `.jsonl`: nothing ingests it again). */
export function rejectedSpoolPath(path: string): string {
  return `${path}.rejected`;
}

/**
 * Reads a spool file. Every line must be an audit event (ProxyAuditEvent); a line that is not is
 * rejected with its line number and the field at fault. A torn last line (no newline, not JSON: a
 * proxy killed mid-write, never acknowledged to anyone) is left out silently. A missing file is
 * empty; anything but a regular file (a FIFO would block the read) is an error, as is a failed read.
 * The schema (zod) is loaded only when there is a line to check, so the proxy's start path, which
 * reads its spool at every connect and nearly always finds none, does not load it.
 */
export async function readSpoolFile(path: string): Promise<SpoolContents> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return { events: [], rejected: [] };
  if (!info.isFile()) throw new Error(`${path}: not a regular file`);
  const lines = (await readFile(path, 'utf8')).split('\n');
  // The text after the last newline: empty, or a last line whose write did not finish.
  const last = lines.pop() ?? '';
  const events: ProxyAuditEvent[] = [];
  const rejected: SpoolRejection[] = [];
  if (lines.every((l) => l.trim() === '') && last.trim() === '') return { events, rejected };

  const { ProxyAuditEvent } = await import('../../shared/proxy-protocol.js');
  const check = (text: string, number: number, torn: boolean): void => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      if (!torn) rejected.push({ line: number, problem: 'not valid JSON' });
      return;
    }
    const parsed = ProxyAuditEvent.safeParse(raw);
    if (parsed.success) {
      events.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0];
    rejected.push({ line: number, problem: `not an audit event: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}` });
  };
  lines.forEach((text, i) => {
    if (text.trim() !== '') check(text, i + 1, false);
  });
  if (last.trim() !== '') check(last, lines.length + 1, true);
  return { events, rejected };
}
