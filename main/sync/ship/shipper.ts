import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../../shared/audit.js';
import type { ServiceEvent } from '../../audit/audit-intake.js';
import { scanAuditLog, type AuditPosition, type AuditRecord } from '../../audit/query.js';
import { listSegments, readLines, readManifest } from '../../audit/segments.js';
import type { Logger } from '../../common/logger.js';
import { formatFileProblem } from '../../store/atomic-file.js';
import type { ShipCursorStore } from '../../store/ship-cursors.js';
import type { SendResult, Sink, SinkStatus } from './sink.js';

/**
 * Ships the local hash-chained log to one sink (issue 17): from its durable cursor, in log order,
 * in batches closed by count, bytes or time, each sent until the collector takes it. Transient
 * failures back off exponentially with full jitter (or wait the collector's `Retry-After`); a
 * batch refused for good is split on 413 down to one event, and an event refused alone is recorded
 * as `ship-rejected` and passed, so one bad event never stops the stream. The cursor moves only
 * after delivery, so a restart resumes after the last delivered event (at least once). Each sink
 * has its own loop: a slow or dead sink never holds up another, nor the calls (it reads the files
 * the log writes; it never waits on the log's writer).
 */

export type ShipperOptions = {
  auditDir: string;
  sink: Sink;
  kind: string;
  cursors: ShipCursorStore;
  log: Logger;
  /** Records `ship-rejected` and `ship-gap` events (the service's `note`). */
  record: (event: ServiceEvent) => Promise<void>;
  /** Subscribes to the log's appends, for the queue's length. */
  onAppend?: (listener: (events: readonly AuditEvent[]) => void) => () => void;
  maxEvents?: number;
  maxBytes?: number;
  maxWaitMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  pollMs?: number;
  random?: () => number;
};

export class Shipper {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private lag = 0;
  private state: Omit<SinkStatus, 'id' | 'kind' | 'lag'> = {};
  private stopAppends: (() => void) | undefined;

  constructor(private readonly o: ShipperOptions) {}

  start(): void {
    this.running ??= this.run().catch((error: unknown) => this.o.log.log('error', `audit shipping to ${this.o.sink.id} stopped: ${String(error)}`));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.stopAppends?.();
    await this.running;
    await this.o.sink.close();
  }

  status(): SinkStatus {
    return { id: this.o.sink.id, kind: this.o.kind, lag: Math.max(0, this.lag), ...this.state };
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const from = await this.startPosition();
    this.stopAppends = this.o.onAppend?.((events) => (this.lag += events.length));
    this.lag += await this.countFrom(from);
    const records = scanAuditLog(this.o.auditDir, { ...(from ? { from } : {}), follow: true, pollMs: this.o.pollMs ?? 200, signal: this.abort.signal });
    const it = records[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<AuditRecord>> | undefined;
    const maxEvents = this.o.maxEvents ?? 500;
    const maxBytes = this.o.maxBytes ?? 1024 * 1024;
    const maxWaitMs = this.o.maxWaitMs ?? 1000;
    while (!this.stopped) {
      const batch: AuditRecord[] = [];
      let bytes = 0;
      let closeAt: number | undefined;
      while (batch.length < maxEvents && bytes < maxBytes) {
        pending ??= it.next();
        const wait = closeAt === undefined ? undefined : closeAt - Date.now();
        if (wait !== undefined && wait <= 0) break;
        const next = await (wait === undefined ? pending : Promise.race([pending, sleep(wait).then(() => 'time' as const)]));
        if (next === 'time') break;
        pending = undefined;
        if (next.done) break;
        batch.push(next.value);
        bytes += next.value.line.length + 1;
        closeAt ??= Date.now() + maxWaitMs;
      }
      if (batch.length > 0) await this.deliver(batch);
      if (this.stopped) break;
    }
  }

  /** Complete lines from `from` to the end of the log, without parsing them: the queue at start. */
  private async countFrom(from: AuditPosition | undefined): Promise<number> {
    const manifest = await readManifest(this.o.auditDir);
    const start = from ?? { segment: manifest.first.segment, offset: 0, line: 1 };
    let count = 0;
    for (const segment of await listSegments(this.o.auditDir)) {
      if (segment.number < start.segment) continue;
      for await (const line of readLines(segment.path, segment.number === start.segment ? start.offset : 0)) if (line.complete && line.text !== '') count++;
      if (this.stopped) break;
    }
    return count;
  }

  /** The cursor's position; a missing one starts at the oldest retained event; one retention passed is a gap. */
  private async startPosition(): Promise<AuditPosition | undefined> {
    const read = this.o.cursors.readSync(this.o.sink.id);
    if (read.state === 'missing') return undefined;
    if (read.state === 'bad') {
      // Starting over sends everything again (receivers drop duplicates by id); skipping could lose events.
      this.o.log.log(
        'error',
        `audit shipping to ${this.o.sink.id}: ${read.problems.map(formatFileProblem).join('; ')}; starting from the oldest retained event`,
      );
      return undefined;
    }
    const { position, lastId } = read.cursor;
    const manifest = await readManifest(this.o.auditDir);
    const segments = await listSegments(this.o.auditDir);
    if (position.segment < manifest.first.segment || !segments.some((s) => s.number === position.segment)) {
      const message = `retention deleted events after ${lastId} before they were shipped to ${this.o.sink.id}; shipping resumes at the oldest retained event`;
      this.o.log.log('error', `audit shipping: ${message}`);
      await this.o.record({ kind: 'ship-gap', detail: { sink: this.o.sink.id, afterId: lastId, message } });
      return undefined;
    }
    return position;
  }

  private async deliver(batch: readonly AuditRecord[]): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const result: SendResult = await this.o.sink.send(batch.map((r) => r.event));
      if (result.ok) return this.delivered(batch);
      if (result.retry === 'never') {
        if (result.status === 413 && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await this.deliver(batch.slice(0, half));
          if (!this.stopped) await this.deliver(batch.slice(half));
          return;
        }
        await this.rejected(batch, result);
        return this.delivered(batch);
      }
      const delay = result.retryAfterMs ?? this.backoff(attempt);
      const at = new Date();
      this.state = { ...this.state, lastError: { at: at.toISOString(), message: result.message }, retryAt: new Date(at.getTime() + delay).toISOString() };
      if (attempt === 0) this.o.log.log('warn', `audit shipping to ${this.o.sink.id}: ${result.message}; retrying in ${Math.round(delay)} ms`);
      try {
        await sleep(delay, undefined, { signal: this.abort.signal });
      } catch {
        return; // stopped: the cursor stays before this batch
      }
    }
  }

  /** Full jitter: a random wait up to base·2^attempt, capped. */
  private backoff(attempt: number): number {
    const { baseMs, maxMs } = this.o.backoff ?? { baseMs: 500, maxMs: 60_000 };
    return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)) * (this.o.random ?? Math.random)();
  }

  private delivered(batch: readonly AuditRecord[]): void {
    const last = batch[batch.length - 1]!;
    const at = new Date().toISOString();
    this.o.cursors.writeSync(this.o.sink.id, { position: last.next, lastId: last.event.id, lastAt: at });
    this.lag -= batch.length;
    this.state = { lastShippedId: last.event.id, lastShippedAt: at };
  }

  private async rejected(batch: readonly AuditRecord[], result: Extract<SendResult, { ok: false }>): Promise<void> {
    const ids = batch.map((r) => r.event.id);
    this.o.log.log('error', `audit shipping to ${this.o.sink.id}: refused ${ids.length} event(s) for good: ${result.message}`);
    // A refusal of a refusal would loop: those are passed without a new event.
    if (batch.every((r) => r.event.kind === 'ship-rejected')) return;
    await this.o.record({
      kind: 'ship-rejected',
      detail: {
        sink: this.o.sink.id,
        ids: ids.slice(0, 100),
        count: ids.length,
        ...(result.status !== undefined ? { status: result.status } : {}),
        message: result.message,
      },
    });
  }
}
