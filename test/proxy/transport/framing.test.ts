import { afterEach, describe, expect, it } from 'vitest';
import { classify, sniffId } from '../../../main/proxy/json-rpc.js';
import { LineSplitter } from '../../../main/common/line-splitter.js';
import { ServerStream } from '../../../main/proxy/transport/server-stream.js';
import { countingText, difference } from '../../fixtures/counting-text.js';
import type { RawPeer } from '../../helpers/raw-peer.js';
import { rawServer, startProxy } from '../../helpers/proxy.js';

function split(chunks: string[], max = 1000) {
  const lines: string[] = [];
  const oversize: Array<[string, number]> = [];
  const s = new LineSplitter(max, { onLine: (l) => lines.push(l.toString()), onOversize: (h, n) => oversize.push([h.toString().slice(0, 10), n]) });
  for (const c of chunks) s.push(Buffer.from(c));
  s.end();
  return { lines, oversize };
}

describe('newline-delimited framing', () => {
  it('joins lines split across chunks, drops \\r and blank lines, and keeps a last line without newline', () => {
    expect(split(['{"a"', ':1}\r\n\n  \n{"b":2}\n{"c"', ':3}']).lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('reports an oversized line with its head and size and goes on with the next line', () => {
    const { lines, oversize } = split(['{"id":9,' + 'x'.repeat(600), 'y'.repeat(600) + '}\n{"ok":1}\n']);
    expect(oversize).toEqual([['{"id":9,xx', 1209]]);
    expect(lines).toEqual(['{"ok":1}']);
  });

  it('finds the top-level id at the start or the very end of a message, never a nested one', () => {
    expect(sniffId('{"jsonrpc":"2.0","id":"a\\"b","result":{', '')).toBe('a"b');
    expect(sniffId('{"result":{"x":{"id":3}', ',"jsonrpc":"2.0","id":17}')).toBe(17);
    expect(sniffId('{"result":{', '"payload":{"id":3}}}')).toBeUndefined();
  });

  it('classifies requests, notifications, responses and says why a message is invalid', () => {
    expect(classify({ jsonrpc: '2.0', id: 1, method: 'x' }).kind).toBe('request');
    expect(classify({ jsonrpc: '2.0', method: 'x' }).kind).toBe('notification');
    expect(classify({ jsonrpc: '2.0', id: 'a', result: {} }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 1.5, method: 'x' })).toEqual({ kind: 'invalid', id: undefined, reason: '"id" must be a string or an integer' });
    expect(classify({ jsonrpc: '2.0', id: 1, result: {}, error: {} })).toMatchObject({ kind: 'invalid', id: 1 });
  });

  // The closing brace of a streamed line is held back until the line is known (top-level-scanner.ts).
  it('streams a long server line through in pieces unless asked to buffer it', () => {
    const events: string[] = [];
    let stream = true;
    const s = new ServerStream(16, 1000, {
      onLine: (l) => events.push(`line:${l.length}`),
      onOversize: () => events.push('oversize'),
      shouldStream: () => stream,
      beginStream: (h) => events.push(`begin:${h.length}`),
      streamChunk: (c) => events.push(`chunk:${c.length}`),
      endStream: (_h, tail, size) => events.push(`end:${size}:${tail.toString().slice(-3)}`),
    });
    s.push(Buffer.from('{"short":1}\n{"long":"' + 'x'.repeat(20)));
    s.push(Buffer.from('y'.repeat(10) + '"}\n'));
    stream = false;
    s.push(Buffer.from('{"buffered":"' + 'z'.repeat(30) + '"}\n'));
    expect(events).toEqual(['line:11', 'begin:29', 'chunk:11', 'end:41:y"}', 'line:45']);
  });

  it('copies what it keeps of a lent server chunk, since the reader reuses its buffer', () => {
    const lines: string[] = [];
    const ends: string[] = [];
    let stream = true;
    const s = new ServerStream(16, 1000, {
      onLine: (l) => lines.push(l.toString()),
      onOversize: () => lines.push('oversize'),
      shouldStream: () => stream,
      beginStream: () => undefined,
      streamChunk: () => undefined,
      endStream: (head, tail, size) => ends.push(`${head.toString().slice(0, 9)}…${tail.toString().slice(-8)}:${size}`),
    });
    // Each chunk is overwritten once pushed, as the next read overwrites the reader's buffer.
    const lend = (text: string) => {
      const chunk = Buffer.from(text);
      s.push(chunk, true);
      chunk.fill('#');
    };
    // A short line over two chunks (held in the head).
    lend('{"a":');
    lend('1}\n');
    // A long line that must be buffered whole, over three chunks.
    stream = false;
    lend('{"buffered":"' + 'z'.repeat(10));
    lend('z'.repeat(10));
    lend('z'.repeat(10) + '"}\n');
    // A long line streamed through, whose tail comes from a chunk of 512 bytes or more.
    stream = true;
    lend('{"long":"' + 'y'.repeat(20));
    lend('y'.repeat(597) + 'abc');
    lend('"}\n');
    expect(lines).toEqual(['{"a":1}', `{"buffered":"${'z'.repeat(30)}"}`]);
    expect(ends).toEqual(['{"long":"…yyyabc"}:631']);
  });
});

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

describe('large messages through the proxy', () => {
  it('passes a 5 MB tool result through byte for byte', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    await peer.request(1, 'tools/call', { name: 'big', arguments: { bytes: 5_000_000, counting: true } });
    expect(
      difference(peer.rawLines.at(-1) ?? '', `{"result":{"content":[{"type":"text","text":"${countingText(5_000_000)}"}]},"jsonrpc":"2.0","id":1}`),
    ).toBeUndefined();
  });

  it('passes it byte for byte to a client that stops reading for a while, and what it sent meanwhile is answered after it', async () => {
    peer = startProxy([], rawServer());
    await peer.initialize();
    peer.child.stdout.pause();
    const big = peer.request(1, 'tools/call', { name: 'big', arguments: { bytes: 5_000_000, counting: true } });
    const echo = peer.request(2, 'tools/call', { name: 'echo', arguments: { after: 'big' } });
    // Meanwhile the client's pipe is full: what the proxy could not write is queued, as copies.
    await new Promise((resolve) => setTimeout(resolve, 500));
    peer.child.stdout.resume();
    expect(difference((await big).result.content[0].text as string, countingText(5_000_000))).toBeUndefined();
    expect((await echo).result.content[0].text).toBe('{"after":"big"}');
    expect(peer.rawLines.slice(-2).map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([1, 2]);
  });
});
