import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../../main/proxy/transport/sse-parser.js';

function parse(chunks: (string | Uint8Array)[], lastEventId?: string): { events: SseEvent[]; retries: number[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) }, lastEventId);
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  parser.end();
  return { events, retries, parser };
}

describe('the SSE parser of the HTTP upstream', () => {
  it('joins multi-line data with LF, takes event, id and retry fields, and skips comments', () => {
    const { events, retries } = parse([': keep-alive\n', 'event: message\nid: 7\nretry: 250\ndata: {"a":\ndata: 1}\n\n', 'data:no-space\n\n']);
    expect(events).toEqual([
      { event: 'message', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'no-space', id: '7' },
    ]);
    expect(retries).toEqual([250]);
  });

  it('treats CRLF, LF and CR as line ends, also when a CRLF is split between chunks', () => {
    const { events } = parse(['data: one\r', '\n\r', '\ndata: two\r\rdata: three\n\n']);
    expect(events.map((e) => e.data)).toEqual(['one', 'two', 'three']);
  });

  it('reassembles a UTF-8 character and a line split across chunks', () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo wörld"}\n\n');
    const { events } = parse([bytes.slice(0, 12), bytes.slice(12, 13), bytes.slice(13)]);
    expect(events).toEqual([{ event: 'message', data: '{"t":"héllo wörld"}', id: undefined }]);
  });

  it('drops an event cut off before its blank line, ignores ids with NUL and non-numeric retry', () => {
    const { events, retries, parser } = parse(['id: a\0b\nretry: 1s\ndata: ok\n\n', 'id: kept\ndata: unfinished\n'], 'start');
    expect(events).toEqual([{ event: 'message', data: 'ok', id: 'start' }]);
    expect(retries).toEqual([]);
    expect(parser.lastEventId).toBe('kept');
  });

  it('dispatches nothing for an event with an id and no data, yet remembers the id (the SDK priming event carries empty data)', () => {
    const { events, parser } = parse(['id: only\n\n', 'id: prime\nretry: 10\ndata: \n\n']);
    expect(events).toEqual([{ event: 'message', data: '', id: 'prime' }]);
    expect(parser.lastEventId).toBe('prime');
  });

  it('handles a 5 MB event arriving in 1 KB chunks in linear time', () => {
    const payload = 'x'.repeat(5 * 1024 * 1024);
    const text = `data: ${payload}\n\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 1024) chunks.push(text.slice(i, i + 1024));
    const started = performance.now();
    const { events } = parse(chunks);
    expect(events[0]!.data.length).toBe(payload.length);
    expect(performance.now() - started).toBeLessThan(2000); // quadratic rescanning would take tens of seconds
  });
});
