/**
 * Everything the proxy says to the client goes through here, one whole line at a time. While a
 * long server line is being streamed through, the proxy's own lines wait, so they never land in
 * the middle of it. `onBackpressure(true)` asks the caller to stop reading from the server.
 */
const NEWLINE = Buffer.from('\n');

export class ClientWriter {
  private streaming = false;
  private queued: Buffer[] = [];
  private blocked = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly onBackpressure: (blocked: boolean) => void,
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

  streamChunk(chunk: Buffer): void {
    this.write(chunk);
  }

  endStream(): void {
    this.write(NEWLINE);
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
}
