import { chmod, mkdir, unlink } from 'node:fs/promises';
import { AuditEventInput, type AuditEvent, type Sha256 } from '../../shared/audit.js';
import { NodeAuditFileSystem, type AuditFile, type AuditFileSystem } from './audit-fs.js';
import { sealLine } from './chain.js';
import { AuditIdGenerator } from './ids.js';
import { SecretScrubber } from './redaction.js';
import { applyRetention, type RetentionLimits } from './retention.js';
import { listSegments, readManifest, segmentAt, writeManifest, type AuditManifest, type Segment } from './segments.js';
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

/** What open found and did: a repaired torn line, a tail that does not verify, segments retention deleted. */
export type AuditOpenReport = { repaired?: TailState['repaired']; tailProblem?: AuditProblem; deleted: string[] };

export class AuditEventError extends Error {}
export class AuditLogClosedError extends Error {}

type Pending = { line: string; event: AuditEvent; resolve: (event: AuditEvent) => void; reject: (error: Error) => void };

/**
 * The append-only, hash-chained audit log over a directory of JSONL segments.
 *
 * `append` resolves only once the event's bytes are fdatasync'ed. Group commit: while one write +
 * fdatasync is in flight, later appends queue; the next batch writes them all with one write and
 * one fdatasync. Chain order is append-call order. After a write error the log refuses further
 * appends (the chain state is unknown); reopen it, which repairs the tail.
 */
export class AuditLog {
  readonly openReport: AuditOpenReport;
  private queue: Pending[] = [];
  private writing = false;
  private idleWaiters: Array<() => void> = [];
  private failure: Error | undefined;
  private closed = false;
  private scrubber: SecretScrubber;

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
    secretValues: Iterable<string>,
    report: AuditOpenReport,
  ) {
    this.scrubber = new SecretScrubber(secretValues);
    this.openReport = report;
  }

  /** Opens (creating it, 0700) the log in `dir`: repairs a torn last line, verifies the tail, applies retention. */
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

    const tail = await recoverTail(dir, manifest, segments, fs);
    let segment = tail.segment;
    let size = tail.size;
    let lines = tail.lines;
    if (tail.problem && tail.lines > 0) {
      // Leave the evidence untouched; continue the chain in a fresh segment.
      manifest = { ...manifest, lastSealed: { segment: segment.number, hash: tail.lastHash, lines: tail.lines } };
      segment = segmentAt(dir, segment.number + 1);
      size = 0;
      lines = 0;
    }
    const file = await fs.openAppend(segment.path);
    if (process.platform !== 'win32') await chmod(segment.path, 0o600);
    if (size === 0) await fs.syncDir(dir);
    if (tail.problem && tail.lines > 0) await writeManifest(dir, manifest, fs);

    const ids = options.ids ?? new AuditIdGenerator(now);
    const report: AuditOpenReport = { deleted: [], ...(tail.repaired ? { repaired: tail.repaired } : {}), ...(tail.problem ? { tailProblem: tail.problem } : {}) };
    const log = new AuditLog(dir, { segment, file, size, lines }, tail.lastHash, tail.lastHash, manifest, limits, fs, ids, now, options.onWarning ?? (() => undefined), options.secretValues ?? [], report);
    report.deleted.push(...(await log.retain()));
    return log;
  }

  /** Replaces the set of secret values to scrub (e.g. after the keychain changed). */
  setSecretValues(values: Iterable<string>): void {
    this.scrubber = new SecretScrubber(values);
  }

  /** Appends one event; resolves with the stored event once it is durable on disk. */
  async append(input: AuditEventInput): Promise<AuditEvent> {
    if (this.closed) throw new AuditLogClosedError(`audit log ${this.dir} is closed`);
    if (this.failure) throw new Error(`audit log ${this.dir}: an earlier write failed (${this.failure.message}); reopen the log`);
    const parsed = AuditEventInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AuditEventError(`audit event: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`);
    }
    const scrubbed = this.scrubber.scrubEvent(parsed.data);
    const unsealed = { ...scrubbed, id: parsed.data.id ?? this.ids.next(), time: parsed.data.time ?? new Date(this.now()).toISOString(), prev: this.lastHash };
    const { line, hash } = sealLine(unsealed);
    this.lastHash = hash;
    const event: AuditEvent = { ...unsealed, hash };
    return new Promise<AuditEvent>((resolve, reject) => {
      this.queue.push({ line: line + '\n', event, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        void this.drain();
      }
    });
  }

  /** Waits for queued appends, then closes the segment. Later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.writing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.active.file.close();
  }

  private async drain(): Promise<void> {
    // Starts at once: the write and sync of this batch run on the thread pool while later
    // appends are still being prepared on the main thread; those form the next batch.
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        if (this.failure) {
          for (const pending of batch) pending.reject(this.failure);
          continue;
        }
        try {
          if (this.active.size >= this.limits.maxSegmentBytes) await this.rotate();
          const data = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
          await this.active.file.write(data);
          await this.active.file.datasync();
          this.active.size += data.length;
          this.active.lines += batch.length;
          this.writtenHash = batch.at(-1)!.event.hash;
        } catch (error) {
          this.failure = new Error(`audit log ${this.active.segment.path}: ${error instanceof Error ? error.message : String(error)}`);
          for (const pending of batch) pending.reject(this.failure);
          continue;
        }
        for (const pending of batch) pending.resolve(pending.event);
      }
    } finally {
      this.writing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
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
