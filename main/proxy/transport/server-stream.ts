/**
 * Splits the server's byte stream into lines, but does not hold long lines whole: a line that
 * outgrows `headBytes` is streamed through to the client as it arrives (unless the caller asks
 * to buffer it, e.g. because a `tools/list` answer that must be filtered is pending). Memory
 * stays bounded whatever the size of a tool result, and large results add no parse time.
 * A streamed line passes a TopLevelScanner on its way: the client gets every byte of it but the
 * one that closes the message, and the caller decides at its end (`endStream`) what ends it,
 * once it knows from the scanner whose answer the line is.
 * A chunk pushed in may be lent (./server-output.ts): then what outlives `push` is copied, and
 * the sink's `onLine` and `streamChunk` get views it must not keep.
 */
import { deliverLine, LineSplitter, type LineSink } from '../../common/line-splitter.js';
import { TopLevelScanner } from './top-level-scanner.js';

const TAIL_BYTES = 512;

export type ServerStreamSink = LineSink & {
  /** A line outgrew the head buffer: stream it through (true) or keep buffering it (false)? */
  shouldStream(head: Buffer): boolean;
  beginStream(head: Buffer): void;
  /** `lent`: the chunk is valid only during the call. */
  streamChunk(chunk: Buffer, lent: boolean): void;
  /**
   * The streamed line ended (or the stream did, mid-line). `head` and `tail` are its first and last
   * bytes; `shape` what its scan found. The closing byte has not been passed on.
   */
  endStream(head: Buffer, tail: Buffer, size: number, shape: TopLevelScanner): void;
};

export class ServerStream {
  private readonly buffered: LineSplitter;
  private headChunks: Buffer[] = [];
  private headSize = 0;
  private mode: 'head' | 'stream' | 'buffer' = 'head';
  private streamHead: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);
  private streamSize = 0;
  private scanner = new TopLevelScanner();
  /** Whether the chunk being pushed is lent. */
  private lent = false;

  constructor(
    private readonly headBytes: number,
    maxLineBytes: number,
    private readonly sink: ServerStreamSink,
  ) {
    this.buffered = new LineSplitter(maxLineBytes, sink);
  }

  push(chunk: Buffer, lent = false): void {
    this.lent = lent;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), newline !== -1);
      start = end + 1;
    }
  }

  end(): void {
    if (this.mode === 'stream') this.finishStream();
    else if (this.mode === 'buffer') this.buffered.end();
    else if (this.headSize > 0) deliverLine(Buffer.concat(this.headChunks), this.sink);
    this.headChunks = [];
    this.headSize = 0;
    this.mode = 'head';
  }

  /** One piece of a line; `complete` when a newline followed it. */
  private take(part: Buffer, complete: boolean): void {
    switch (this.mode) {
      case 'head':
        if (this.headSize + part.length <= this.headBytes) {
          if (complete) {
            const line = this.headChunks.length === 0 ? part : Buffer.concat([...this.headChunks, part]);
            this.headChunks = [];
            this.headSize = 0;
            deliverLine(line, this.sink);
          } else if (part.length > 0) {
            this.headChunks.push(this.kept(part));
            this.headSize += part.length;
          }
          return;
        }
        this.leaveHead(part, complete);
        return;
      case 'stream':
        this.streamPart(part);
        if (complete) this.finishStream();
        return;
      case 'buffer':
        this.buffered.push(this.kept(part));
        if (complete) {
          this.buffered.push(NEWLINE);
          this.mode = 'head';
        }
        return;
    }
  }

  private leaveHead(part: Buffer, complete: boolean): void {
    const head = Buffer.concat([...this.headChunks, part]);
    this.headChunks = [];
    this.headSize = 0;
    if (this.sink.shouldStream(head)) {
      this.mode = 'stream';
      this.streamHead = head.subarray(0, TAIL_BYTES);
      this.streamSize = 0;
      this.tail = Buffer.alloc(0);
      this.scanner = new TopLevelScanner();
      this.sink.beginStream(head.subarray(0, this.scanner.scan(head)));
      this.noteStreamed(head);
      if (complete) this.finishStream();
    } else {
      this.mode = 'buffer';
      this.buffered.push(head);
      if (complete) {
        this.buffered.push(NEWLINE);
        this.mode = 'head';
      }
    }
  }

  private streamPart(part: Buffer): void {
    if (part.length === 0) return;
    const passed = this.scanner.scan(part);
    if (passed > 0) this.sink.streamChunk(passed === part.length ? part : part.subarray(0, passed), this.lent);
    this.noteStreamed(part);
  }

  private noteStreamed(part: Buffer): void {
    this.streamSize += part.length;
    this.tail = part.length >= TAIL_BYTES ? this.kept(part.subarray(part.length - TAIL_BYTES)) : Buffer.concat([this.tail, part]).subarray(-TAIL_BYTES);
  }

  /** `part`, or a copy of it if it is lent. */
  private kept(part: Buffer): Buffer {
    return this.lent ? Buffer.from(part) : part;
  }

  private finishStream(): void {
    this.mode = 'head';
    this.sink.endStream(this.streamHead, this.tail, this.streamSize, this.scanner);
  }
}

const NEWLINE = Buffer.from('\n');
