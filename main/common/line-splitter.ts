/**
 * Splits a byte stream into newline-delimited lines, holding each line until it is complete.
 * Lines longer than `maxLineBytes` are not kept: their first bytes go to `onOversize` (so the
 * caller can find an id to answer), the rest is skipped up to the next newline.
 * Chunks are collected in a list and joined once per line, so a multi-MB line costs one copy.
 */
export const OVERSIZE_HEAD_BYTES = 64 * 1024;

export type LineSink = {
  onLine(line: Buffer): void;
  onOversize(head: Buffer, size: number): void;
};

export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  private oversize = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        if (start < chunk.length) this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.size > 0 || this.oversize) this.flush();
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (!this.oversize && this.size + part.length > this.maxLineBytes) {
      this.oversize = true;
      const head = Buffer.concat(this.chunks.concat(part), this.size + part.length);
      this.chunks = [head.subarray(0, OVERSIZE_HEAD_BYTES)];
    } else if (!this.oversize) {
      this.chunks.push(part);
    }
    this.size += part.length;
  }

  private flush(): void {
    const { chunks, size, oversize } = this;
    this.chunks = [];
    this.size = 0;
    this.oversize = false;
    if (oversize) {
      this.sink.onOversize(chunks[0] ?? Buffer.alloc(0), size);
      return;
    }
    deliverLine(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), this.sink);
  }
}

/** Hands a complete line to the sink without its `\r`; blank lines are skipped, as JSON allows. */
export function deliverLine(line: Buffer, sink: LineSink): void {
  const trimmed = line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
  if (!isBlank(trimmed)) sink.onLine(trimmed);
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
