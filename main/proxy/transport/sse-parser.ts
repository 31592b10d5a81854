/** One dispatched Server-Sent Event. `id` is the stream's last event id after this event (if any was ever set). */
export type SseEvent = { event: string; data: string; id: string | undefined };

export interface SseSink {
  onEvent(event: SseEvent): void;
  /** The server asked for a reconnection delay (`retry:` field), in milliseconds. */
  onRetry(ms: number): void;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML, "event stream interpretation"): lines end
 * in CRLF, LF or CR (also when split across chunks); `data` lines join with LF; `:` lines are
 * comments; `id` containing NUL is ignored; `retry` takes digits only. Text of a line arriving in
 * many chunks is kept as parts and joined once, so one huge event costs linear time.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private parts: string[] = [];
  private skipLf = false;
  private data: string[] = [];
  private hasData = false;
  private eventType = '';
  private lastId: string | undefined;
  private firstChunk = true;

  constructor(
    private readonly sink: SseSink,
    lastEventId?: string,
  ) {
    this.lastId = lastEventId;
  }

  get lastEventId(): string | undefined {
    return this.lastId;
  }

  push(chunk: Uint8Array): void {
    let text = this.decoder.decode(chunk, { stream: true });
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.scan(text);
  }

  /** The stream ended: an event without its closing blank line is discarded, as the spec says. */
  end(): void {
    this.scan(this.decoder.decode());
    this.parts = [];
  }

  private scan(text: string): void {
    let start = 0;
    if (this.skipLf && text.length > 0) {
      if (text.charCodeAt(0) === 0x0a) start = 1;
      this.skipLf = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      this.parts.push(text.slice(start, i));
      const line = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
      this.parts = [];
      this.line(line);
      if (c === 0x0d) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          this.skipLf = true;
        }
      }
      start = i + 1;
    }
    if (start < text.length) this.parts.push(text.slice(start));
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 0x3a) return; // ':' comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.sink.onRetry(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const { hasData, eventType } = this;
    const data = this.data.length === 1 ? this.data[0]! : this.data.join('\n');
    this.data = [];
    this.hasData = false;
    this.eventType = '';
    if (!hasData) return;
    this.sink.onEvent({ event: eventType === '' ? 'message' : eventType, data, id: this.lastId });
  }
}
