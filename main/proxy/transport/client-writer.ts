/**
 * Everything the proxy says to the client goes through here, one whole line at a time. While a
 * long server line is being streamed through, the proxy's own lines wait, so they never land in
 * the middle of it. `onBackpressure(true)` asks the caller to stop reading from the server.
 *
 * The chunks of a streamed line go straight to the descriptor behind `out` when nothing is queued
 * in `out` (one write(2), none of the stream's bookkeeping); what the descriptor cannot take at
 * once (it is non-blocking: the client is busy) is queued in `out`, as a copy if the chunk is lent
 * (./server-output.ts). Fresh chunks and copies are garbage that V8 frees only when it collects
 * (./release-memory.ts), so a minor collection follows every megabyte of them. The proxy's own
 * lines and whole server lines go through `out` (measured: its write path is the quicker one
 * while V8 has not yet optimised the proxy's first calls).
 */
import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { minorCollector } from './release-memory.js';

const NEWLINE = Buffer.from('\n');
const COLLECT_EVERY_BYTES = 1024 * 1024;

export class ClientWriter {
  private streaming = false;
  private queued: Buffer[] = [];
  private blocked = false;
  private garbageSinceCollect = 0;
  private readonly collect = minorCollector();

  constructor(
    private readonly out: Writable,
    private readonly onBackpressure: (blocked: boolean) => void,
    /** The descriptor behind `out`, if bytes may be written to it directly (not on Windows, where pipe writes block). */
    private readonly fd?: number,
  ) {
    out.on('drain', () => {
      if (!this.blocked) return;
      this.blocked = false;
      this.onBackpressure(false);
    });
  }

  writeLine(line: Buffer | string): void {
    const bytes = Buffer.concat([typeof line === 'string' ? Buffer.from(line) : line, NEWLINE]);
    if (this.streaming) this.queued.push(bytes);
    else this.write(bytes);
  }

  beginStream(first: Buffer): void {
    this.streaming = true;
    this.write(first);
  }

  /** `lent`: the chunk is valid only during this call. */
  streamChunk(chunk: Buffer, lent: boolean): void {
    const written = this.out.writableLength === 0 ? this.writeNow(chunk) : 0;
    if (written < chunk.length) this.write(lent ? Buffer.from(chunk.subarray(written)) : chunk.subarray(written));
    this.noteGarbage(lent ? chunk.length - written : chunk.length);
  }

  /** The streamed line ends with `last` (its closing byte, or what withholds it) and a newline. */
  endStream(last: Buffer): void {
    this.write(Buffer.concat([last, NEWLINE]));
    this.streaming = false;
    const queued = this.queued;
    this.queued = [];
    for (const bytes of queued) this.write(bytes);
  }

  private write(bytes: Buffer): void {
    if (this.out.write(bytes) || this.blocked) return;
    this.blocked = true;
    this.onBackpressure(true);
  }

  private noteGarbage(bytes: number): void {
    this.garbageSinceCollect += bytes;
    if (this.garbageSinceCollect < COLLECT_EVERY_BYTES) return;
    this.garbageSinceCollect = 0;
    this.collect();
  }

  /** Bytes the descriptor took at once; 0 when it is full (EAGAIN) or failed (the stream then reports why). */
  private writeNow(bytes: Buffer): number {
    if (this.fd === undefined) return 0;
    try {
      return writeSync(this.fd, bytes);
    } catch {
      return 0;
    }
  }
}
