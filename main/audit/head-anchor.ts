import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Sha256 } from '../../shared/audit.js';
import { replaceFile, type AuditFileSystem } from './audit-fs.js';
import { segmentName, type AuditManifest } from './segments.js';

/**
 * The head anchor, `head.json` in the audit directory: where the chain's newest durable event is
 * (its segment, its line there, its hash). The manifest only knows sealed segments; this lets
 * verify see events deleted from the end of the active segment, or the segment deleted whole.
 *
 * It is a file of its own (not a line of a segment, which a truncation would take with it), and it
 * lives in the audit directory rather than beside it: a copied or backed-up directory, and
 * `audit verify --dir`, carry it along, and a same-user attacker can delete a file beside the
 * directory just as easily, so placing it elsewhere on the same disk would protect nothing more.
 *
 * The log rewrites it after each group commit's fdatasync, so it never names an event that is not
 * durable; a crash before the rewrite only leaves it behind the head, which verify accepts.
 */
export const HEAD_NAME = 'head.json';

export const HeadAnchor = z.object({
  version: z.literal(1),
  segment: z.number().int().positive(),
  /** The event's 1-based line in its segment: its sequence number within the segment. */
  /** 0: the log had no event when it was anchored (a new log), so any chain reaches it. */
  line: z.number().int().nonnegative(),
  hash: Sha256,
});
export type HeadAnchor = z.infer<typeof HeadAnchor>;
export type HeadPosition = Omit<HeadAnchor, 'version'>;

export type HeadAnchorRead = { kind: 'missing' } | { kind: 'unreadable'; problem: string } | { kind: 'found'; anchor: HeadAnchor };

export async function readHeadAnchor(dir: string): Promise<HeadAnchorRead> {
  let text: string;
  try {
    text = await readFile(join(dir, HEAD_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', problem: 'not valid JSON' };
  }
  const parsed = HeadAnchor.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'unreadable', problem: `${issue?.path.join('.') || '(anchor)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'found', anchor: parsed.data };
}

/**
 * Replaces the anchor atomically (temp file, rename). With `durable`, also fsyncs the file and the
 * directory; the writer does that at open and close, not per commit (see HeadAnchorWriter).
 */
export async function writeHeadAnchor(dir: string, head: HeadPosition, durable: false | AuditFileSystem): Promise<void> {
  const anchor: HeadAnchor = { version: 1, segment: head.segment, line: head.line, hash: head.hash };
  await replaceFile(join(dir, HEAD_NAME), JSON.stringify(anchor) + '\n', durable);
}

/**
 * At most one anchor write per this many milliseconds. A rename dirties the directory, which the
 * next segment fdatasync then commits to the journal too: one per commit cost a third of the
 * single-appender rate (bench:audit). The anchor lags a running log by at most this long.
 */
const ANCHOR_INTERVAL_MS = 20;

/**
 * Keeps the anchor at the newest committed head, one write at a time, newest wins: heads that
 * arrive while a write runs or within ANCHOR_INTERVAL_MS of the last are coalesced into the next
 * one, so the anchor never moves backwards and never holds up a commit.
 *
 * The new anchor is renamed into place but not fsynced (close() does fsync it). That is safe
 * because it only ever names events that are already fdatasync'ed: if the machine loses the
 * rename, the old anchor is behind the head, which verify accepts. What fsyncing would add is that
 * the anchor could not fall behind after a power loss; the cost would be a second sync per write,
 * and the events that power loss takes out of the anchor's view are the last few milliseconds'.
 * Replace-by-rename is ordered after the new file's data on the file systems we run on (ext4's
 * auto_da_alloc, APFS, NTFS); open rewrites an anchor that a crash left unreadable, and says so.
 */
export class HeadAnchorWriter {
  private next: HeadPosition | undefined;
  private newest: HeadPosition | undefined;
  private closing = false;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly fs: AuditFileSystem,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** A commit made `head` durable. */
  advance(head: HeadPosition): void {
    this.newest = head;
    this.next = head;
    this.writing ??= this.writeLoop();
  }

  /** Waits for the write in progress, then writes the newest head durably (at close). */
  async close(): Promise<void> {
    this.closing = true;
    while (this.writing) await this.writing;
    if (this.newest) await writeHeadAnchor(this.dir, this.newest, this.fs).catch((error: unknown) => this.warn(error));
  }

  private async writeLoop(): Promise<void> {
    while (this.next) {
      const head = this.next;
      this.next = undefined;
      const started = Date.now();
      try {
        await writeHeadAnchor(this.dir, head, false);
      } catch (error) {
        this.warn(error);
      }
      const wait = ANCHOR_INTERVAL_MS - (Date.now() - started);
      // Not unref'd: close() may be waiting on this, and it keeps the process up 20 ms at most.
      if (this.next && wait > 0 && !this.closing) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.writing = undefined;
  }

  private warn(error: unknown): void {
    this.onWarning(
      `audit head anchor ${join(this.dir, HEAD_NAME)}: could not write it (${error instanceof Error ? error.message : String(error)}); it lags the log until a later commit writes it`,
    );
  }
}

/** The anchor's place, for messages: `audit-000003.jsonl line 120`. */
export function describeHead(head: HeadPosition): string {
  return `${segmentName(head.segment)} line ${head.line}`;
}

/** "line 8 is missing" or "lines 8–10 are missing". */
export function missingLines(from: number, through: number): string {
  return from === through ? `line ${from} is missing` : `lines ${from}–${through} are missing`;
}

export type LostHead = NonNullable<AuditManifest['lostHeads']>[number];

/**
 * At open: what of the anchored head the log no longer reaches, or undefined when it does. An
 * anchor in an older segment than the tail lags (a crash after rotation): verify checks it there.
 */
export function headLostAtOpen(anchor: HeadAnchor, tail: { segment: number; lines: number; hashAtLine?: string }): LostHead | undefined {
  const lost = { segment: anchor.segment, line: anchor.line, hash: anchor.hash };
  if (anchor.segment < tail.segment) return undefined;
  if (anchor.line === 0 && anchor.segment === tail.segment) return undefined;
  if (anchor.segment > tail.segment) return { ...lost, found: 0 };
  if (anchor.line <= tail.lines && tail.hashAtLine === anchor.hash) return undefined;
  return { ...lost, found: tail.lines };
}

/** What a lost head means, for open's report and verify. */
export function describeLostHead(lost: LostHead): string {
  if (lost.found < lost.line) {
    return `truncated: ends at line ${lost.found}, but the head anchor (${HEAD_NAME}) records line ${lost.line} (${lost.hash}): ${missingLines(lost.found + 1, lost.line)} (events deleted from the end of the log?)`;
  }
  return `line ${lost.line} does not have the hash the head anchor (${HEAD_NAME}) records (${lost.hash}): the newest events were rewritten`;
}
