import { chmod, mkdir, unlink } from 'node:fs/promises';
import { AuditEventInput, type AuditEvent, type Sha256 } from '../../shared/audit.js';
import { Emitter, type Event } from '../common/emitter.js';
import { NodeAuditFileSystem, type AuditFile, type AuditFileSystem } from './audit-fs.js';
import { sealLine } from './chain.js';
import { describeHead, describeLostHead, headLostAtOpen, HeadAnchorWriter, readHeadAnchor, writeHeadAnchor, type HeadPosition } from './head-anchor.js';
import { AuditIdGenerator } from './ids.js';
import { SecretScrubber } from './redaction.js';
import { applyRetention, type RetentionLimits } from './retention.js';
import { listSegments, readManifest, segmentAt, segmentName, writeManifest, type AuditManifest, type Segment } from './segments.js';
import { recoverTail, type AuditProblem, type TailState } from './tail-recovery.js';

export type AuditLogOptions = {
  /** Rotate to a new segment once the active one reaches this size (a segment may exceed it by one batch). Default 16 MiB. */
  maxSegmentBytes?: number;
  /** Retention: total size of all segments. Default 1 GiB. */
  maxTotalBytes?: number;
  /** Retention: age of a segment's newest write. Default 180 days. */
  maxAgeMs?: number;
  /** Values injected from the keychain; never stored (see SecretScrubber). */
  secretValues?: Iterable<string>;
  now?: () => number;
  fs?: AuditFileSystem;
  ids?: AuditIdGenerator;
  /** Retention failures do not fail appends; they are reported here. */
  onWarning?: (message: string) => void;
};

/**
 * What open found and did: a repaired torn line, a tail that does not verify (or falls short of
 * the head anchor), segments retention deleted, a head anchor it had to write for a log without one.
 */
export type AuditOpenReport = {
  repaired?: TailState['repaired'];
  tailProblem?: AuditProblem;
  deleted: string[];
  anchored?: { reason: 'missing' | 'unreadable'; head: string };
};

export class AuditEventError extends Error {}
export class AuditLogClosedError extends Error {}

type Pending = { line: string; event: AuditEvent; resolve: (event: AuditEvent) => void; reject: (error: Error) => void };
type Batch = { pending: Pending[]; head: HeadPosition | undefined };

/**
 * How many written batches may wait for their fdatasync at once. While one sync runs, the next
 * batch is already written and synced; each sync covers its own batch and everything written
 * before it on the fd. Batches still resolve strictly in order.
 */
const SYNCS_IN_FLIGHT = 3;

/**
 * The append-only, hash-chained audit log over a directory of JSONL segments.
 *
 * `append` resolves only once the event's bytes are fdatasync'ed. Group commit, pipelined: the
 * appends queued while the writer is busy form the next batch, written with one write and synced
 * with one fdatasync; that write does not wait for the previous batch's sync (up to
 * SYNCS_IN_FLIGHT syncs run at once), but a batch resolves only after its own sync and every
 * earlier batch's succeeded. Chain order is append-call order. After a write or sync error the log
 * refuses further appends (the chain state is unknown) and rejects every later batch, even one
 * whose own sync succeeded; reopen it, which repairs the tail.
 */
export class AuditLog {
  readonly openReport: AuditOpenReport;
  private queue: Pending[] = [];
  /** The writer loop runs (or is about to): it writes batches one after another, in append order. */
  private writing = false;
  /** One promise per written batch not yet settled, oldest first; each settles after the one before. */
  private syncing: Array<Promise<void>> = [];
  /** Set by the first batch that failed, in settle order: every later batch is rejected with it. */
  private broken: Error | undefined;
  private timeMs = Number.NaN;
  private timeIso = '';
  private idleWaiters: Array<() => void> = [];
  private failure: Error | undefined;
  private closed = false;
  private scrubber: SecretScrubber;
  private readonly appended = new Emitter<readonly AuditEvent[]>();
  /** Each batch of events once it is durable on disk, in append order (the Activity page's index follows the log by it). */
  readonly onDidAppend: Event<readonly AuditEvent[]> = this.appended.event;

  private constructor(
    readonly dir: string,
    private active: { segment: Segment; file: AuditFile; size: number; lines: number },
    /** Hash of the newest event handed to `append` (queued or written). */
    private lastHash: Sha256,
    /** Hash of the newest event on disk. */
    private writtenHash: Sha256,
    private manifest: AuditManifest,
    private readonly limits: RetentionLimits & { maxSegmentBytes: number },
    private readonly fs: AuditFileSystem,
    private readonly ids: AuditIdGenerator,
    private readonly now: () => number,
    private readonly onWarning: (message: string) => void,
    private readonly anchor: HeadAnchorWriter,
    secretValues: Iterable<string>,
    report: AuditOpenReport,
  ) {
    this.scrubber = new SecretScrubber(secretValues);
    this.openReport = report;
  }

  /**
   * Opens (creating it, 0700) the log in `dir`: repairs a torn last line, verifies the tail and that
   * it reaches the head anchor, applies retention. A tail that does not verify or falls short of
   * the anchor is left as evidence (recorded in the manifest) and the chain goes on in a new segment.
   */
  static async open(dir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    const fs = options.fs ?? new NodeAuditFileSystem();
    const now = options.now ?? Date.now;
    const limits = {
      maxSegmentBytes: options.maxSegmentBytes ?? 16 * 1024 * 1024,
      maxTotalBytes: options.maxTotalBytes ?? 1024 * 1024 * 1024,
      maxAgeMs: options.maxAgeMs ?? 180 * 24 * 3600 * 1000,
    };
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') await chmod(dir, 0o700);
    let manifest = await readManifest(dir);
    let segments = await listSegments(dir);
    // Segments older than the manifest's first are retention's leftovers from a crash.
    for (const stale of segments.filter((s) => s.number < manifest.first.segment)) await unlink(stale.path).catch(() => undefined);
    segments = segments.filter((s) => s.number >= manifest.first.segment);

    const anchorRead = await readHeadAnchor(dir);
    const anchor = anchorRead.kind === 'found' ? anchorRead.anchor : undefined;
    const tail = await recoverTail(dir, manifest, segments, fs, anchor && anchor.segment === segments.at(-1)?.number ? anchor.line : undefined);
    const lost =
      anchor && headLostAtOpen(anchor, { segment: tail.segment.number, lines: tail.lines, ...(tail.hashAtLine ? { hashAtLine: tail.hashAtLine } : {}) });
    const problem =
      tail.problem ?? (lost && { file: segmentName(lost.segment), ...(lost.found >= lost.line ? { line: lost.line } : {}), problem: describeLostHead(lost) });
    let segment = tail.segment;
    let size = tail.size;
    let lines = tail.lines;
    const setAside = (tail.problem && tail.lines > 0) || lost !== undefined;
    if (setAside) {
      // Leave the evidence untouched; continue the chain in a fresh segment.
      manifest = { ...manifest, lastSealed: { segment: segment.number, hash: tail.lastHash, lines: tail.lines } };
      if (lost) manifest.lostHeads = [...(manifest.lostHeads ?? []), lost];
      segment = segmentAt(dir, segment.number + 1);
      size = 0;
      lines = 0;
    }
    const file = await fs.openAppend(segment.path);
    if (process.platform !== 'win32') await chmod(segment.path, 0o600);
    if (size === 0) await fs.syncDir(dir);
    if (setAside) await writeManifest(dir, manifest, fs);

    // A log written before the anchor existed (or whose anchor was deleted or torn): anchor its head now.
    let anchored: AuditOpenReport['anchored'];
    const head: HeadPosition | undefined =
      tail.lines > 0
        ? { segment: tail.segment.number, line: tail.lines, hash: tail.lastHash }
        : manifest.lastSealed && manifest.lastSealed.lines > 0
          ? { segment: manifest.lastSealed.segment, line: manifest.lastSealed.lines, hash: manifest.lastSealed.hash }
          : undefined;
    if (anchorRead.kind !== 'found' && head) {
      await writeHeadAnchor(dir, head, fs);
      anchored = { reason: anchorRead.kind, head: describeHead(head) };
    } else if (anchorRead.kind === 'missing' && !head) {
      // A new log is anchored before its first event, durably: a crash right after that event's
      // sync, before the writer's first anchor, leaves an anchor behind the head, not none.
      await writeHeadAnchor(dir, { segment: segment.number, line: 0, hash: tail.lastHash }, fs);
    }

    const ids = options.ids ?? new AuditIdGenerator(now);
    const report: AuditOpenReport = {
      deleted: [],
      ...(tail.repaired ? { repaired: tail.repaired } : {}),
      ...(problem ? { tailProblem: problem } : {}),
      ...(anchored ? { anchored } : {}),
    };
    const onWarning = options.onWarning ?? (() => undefined);
    const anchorWriter = new HeadAnchorWriter(dir, fs, onWarning);
    const log = new AuditLog(
      dir,
      { segment, file, size, lines },
      tail.lastHash,
      tail.lastHash,
      manifest,
      limits,
      fs,
      ids,
      now,
      onWarning,
      anchorWriter,
      options.secretValues ?? [],
      report,
    );
    report.deleted.push(...(await log.retain()));
    return log;
  }

  /** Replaces the set of secret values to scrub (e.g. after the keychain changed). */
  setSecretValues(values: Iterable<string>): void {
    this.scrubber = new SecretScrubber(values);
  }

  /** Appends one event; resolves with the stored event once it is durable on disk. */
  append(input: AuditEventInput): Promise<AuditEvent> {
    // Not async: one promise per event. What the executor throws becomes the rejection.
    return new Promise<AuditEvent>((resolve, reject) => {
      const { line, event } = this.seal(input);
      this.queue.push({ line, event, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // Not at once: appends made in this same turn (e.g. every appender a finished batch just
        // released) join the batch instead of trailing it in a second write and sync.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** Parses, scrubs and chains one event (in append order): the stored line, with its newline, and the event. */
  private seal(input: AuditEventInput): { line: string; event: AuditEvent } {
    if (this.closed) throw new AuditLogClosedError(`audit log ${this.dir} is closed`);
    if (this.failure) throw new Error(`audit log ${this.dir}: an earlier write failed (${this.failure.message}); reopen the log`);
    const parsed = AuditEventInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AuditEventError(`audit event: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`);
    }
    const scrubbed = this.scrubber.scrubEvent(parsed.data);
    // Same keys and order as `{ ...scrubbed, id, time, prev, hash }`, but V8 builds a spread with
    // added keys on a slow path (microseconds per event); the schema output has no `__proto__` key.
    const event = Object.assign({}, scrubbed) as Omit<AuditEvent, 'hash'> & { hash?: Sha256 };
    event.id = parsed.data.id ?? this.ids.next();
    event.time = parsed.data.time ?? this.isoNow();
    event.prev = this.lastHash;
    const { line, hash } = sealLine(event);
    this.lastHash = hash;
    event.hash = hash; // added after sealing, so the last key, as in the stored line
    return { line: `${line}\n`, event: event as AuditEvent };
  }

  /** Waits for queued appends, then closes the segment. Later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.writing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.syncing.at(-1);
    await this.active.file.close();
    await this.anchor.close();
  }

  /** The ISO time of `now()`; formatted once per millisecond, not once per event. */
  private isoNow(): string {
    const ms = this.now();
    if (ms !== this.timeMs) {
      this.timeIso = new Date(ms).toISOString();
      this.timeMs = ms;
    }
    return this.timeIso;
  }

  /**
   * The writer loop: writes queued appends as one batch, starts its fdatasync, and goes on with
   * the next batch without waiting for it (up to SYNCS_IN_FLIGHT). Writes are never concurrent,
   * so the file holds batches in append order; the main thread prepares later appends meanwhile.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        if (this.failure) {
          this.settle({ pending: this.takeQueue(), head: undefined }, Promise.resolve(this.failure));
          continue;
        }
        if (this.syncing.length >= SYNCS_IN_FLIGHT) {
          await this.syncing[0];
          continue;
        }
        if (this.active.size >= this.limits.maxSegmentBytes) {
          // Seal only what is durable: every batch written to this segment settles first.
          await this.syncing.at(-1);
          if (this.failure) continue;
          try {
            await this.rotate();
          } catch (error) {
            this.fail(error);
            continue;
          }
        }
        const pending = this.takeQueue();
        let line = '';
        for (const p of pending) line += p.line;
        const data = Buffer.from(line, 'utf8');
        try {
          await this.active.file.write(data);
        } catch (error) {
          this.settle({ pending, head: undefined }, Promise.resolve(this.fail(error)));
          continue;
        }
        this.active.size += data.length;
        this.active.lines += pending.length;
        const last = pending.at(-1);
        const head = last && { segment: this.active.segment.number, line: this.active.lines, hash: last.event.hash };
        this.settle(
          { pending, head },
          this.active.file.datasync().then(
            () => undefined,
            (error: unknown) => this.fail(error),
          ),
        );
      }
    } finally {
      this.writing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private takeQueue(): Pending[] {
    const batch = this.queue;
    this.queue = [];
    return batch;
  }

  /**
   * Resolves or rejects a written batch once `outcome` is known and every earlier batch has
   * settled; a batch that is durable moves the head anchor to its last event.
   */
  private settle(batch: Batch, outcome: Promise<Error | undefined>): void {
    const previous = this.syncing.at(-1);
    const settled = (async () => {
      await previous;
      const own = await outcome; // even when already broken: nothing settles while its sync still runs
      const error = this.broken ?? own;
      void this.syncing.shift(); // this batch's promise: every earlier one has already left the queue
      if (error) {
        this.broken = error;
        for (const pending of batch.pending) pending.reject(error);
        return;
      }
      if (batch.head) {
        this.writtenHash = batch.head.hash;
        this.anchor.advance(batch.head);
      }
      for (const pending of batch.pending) pending.resolve(pending.event);
      if (batch.pending.length > 0) this.appended.fire(batch.pending.map((p) => p.event));
    })();
    this.syncing.push(settled);
  }

  /** Marks the log failed (the first error wins) and returns the error appends are rejected with. */
  private fail(error: unknown): Error {
    this.failure ??= new Error(`audit log ${this.active.segment.path}: ${error instanceof Error ? error.message : String(error)}`);
    return this.failure;
  }

  /** Seals the active segment and continues the chain in the next one; then applies retention. */
  private async rotate(): Promise<void> {
    const sealed = this.active.segment;
    const next = segmentAt(this.dir, sealed.number + 1);
    const file = await this.fs.openAppend(next.path);
    await this.fs.syncDir(this.dir);
    await this.active.file.close();
    const lines = this.active.lines;
    this.active = { segment: next, file, size: 0, lines: 0 };
    this.manifest = { ...this.manifest, lastSealed: { segment: sealed.number, hash: this.writtenHash, lines } };
    await writeManifest(this.dir, this.manifest, this.fs);
    await this.retain();
  }

  private async retain(): Promise<string[]> {
    try {
      const result = await applyRetention(this.dir, await listSegments(this.dir), this.active.segment, this.manifest, this.limits, this.now(), this.fs);
      this.manifest = result.manifest;
      return result.deleted;
    } catch (error) {
      this.onWarning(`audit retention in ${this.dir}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }
}
