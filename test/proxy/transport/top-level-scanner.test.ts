import { describe, expect, it } from 'vitest';
import { readStreamedLine } from '../../../main/proxy/streamed-line.js';
import { TopLevelScanner } from '../../../main/proxy/transport/top-level-scanner.js';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'y'.repeat(70), 'z'.repeat(130), '"', '\\', '\\"', '\\\\', '}', '{', ']', '[', ',', ':', ' ', 'é', '\u2028', '\n', '\u0001', 'id', '"id"'];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.3) return [1, -2.5e3, true, false, null][Math.floor(next() * 5)];
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 30) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  if (r < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [i % 2 ? 'id' : `k${i}"\\`, value(next, depth + 1)]));
}

/** Feeds `line` in random pieces; returns the bytes passed on and the scanner. */
function scanInPieces(line: Buffer, next: () => number): { passed: Buffer; scanner: TopLevelScanner } {
  const scanner = new TopLevelScanner();
  const passed: Buffer[] = [];
  let at = 0;
  while (at < line.length) {
    const size = 1 + Math.floor(next() * (next() < 0.5 ? 4 : 200));
    const part = line.subarray(at, at + size);
    passed.push(part.subarray(0, scanner.scan(part)));
    at += size;
  }
  return { passed: Buffer.concat(passed), scanner };
}

describe('the top-level scanner of a streamed line', () => {
  it('finds the closing brace and the top-level id of 3,000 random messages exactly as JSON.parse reads them', () => {
    const next = random(20261203);
    for (let n = 0; n < 3000; n++) {
      const message: Record<string, unknown> = { jsonrpc: '2.0' };
      if (next() < 0.8) message['id'] = next() < 0.5 ? Math.floor(next() * 1000) : `s"${n}\\`;
      message[next() < 0.5 ? 'result' : 'error'] = value(next, 0);
      if (next() < 0.3) message['method'] = 'm';
      const text = JSON.stringify(message, undefined, next() < 0.2 ? 1 : undefined) + (next() < 0.3 ? '  \r' : '');
      const line = Buffer.from(text);
      const { passed, scanner } = scanInPieces(line, next);
      expect(scanner.problem, text).toBeUndefined();
      expect(scanner.closed).toBe(true);
      // Everything but the closing brace and the white space after it was passed on.
      expect(passed.toString(), text).toBe(text.slice(0, text.lastIndexOf('}')));
      const read = readStreamedLine(scanner);
      if ('id' in message) expect(read).toEqual({ kind: 'answer', id: message['id'], isProtocolError: 'error' in message });
      else expect(read.kind).toBe('unvouched');
    }
  });

  const refused: Array<[string, string, RegExp]> = [
    ['two different ids', '{"jsonrpc":"2.0","id":2,"result":{},"id":3}', /several different/],
    ['an id spelled with an escape', '{"jsonrpc":"2.0","result":{},"\\u0069d":3}', /escapes/],
    ['bytes after the message', '{"jsonrpc":"2.0","result":{},"id":3} {"x":1}', /after the end/],
    ['a batch', '[{"jsonrpc":"2.0","result":{},"id":3}]', /not a JSON object/],
    ['an object id', '{"jsonrpc":"2.0","result":{},"id":{"a":1}}', /not a string or an integer/],
    ['an answer without an id', '{"jsonrpc":"2.0","result":{}}', /without an "id"/],
    ['a line that stops mid-message', '{"jsonrpc":"2.0","result":{"a":"b', /ended before/],
    ['a key with no value', '{"jsonrpc":"2.0","id":1,"result"}', /":" was expected/],
    ['a carriage return framing another message', '{"jsonrpc":"2.0","method":"m","params":{"a":\r{"jsonrpc":"2.0","id":3,"result":{}}\r}}', /carriage return/],
  ];
  for (const [what, text, why] of refused) {
    it(`vouches for no line with ${what}, and passes on none of it past the problem`, () => {
      const { passed, scanner } = scanInPieces(Buffer.from(text), random(7));
      const read = readStreamedLine(scanner);
      expect(read.kind).toBe('unvouched');
      expect(read.kind === 'unvouched' && read.why).toMatch(why);
      // What was passed on never parses: the client can read no message from it.
      expect(() => JSON.parse(passed.toString()) as unknown).toThrow();
    });
  }

  it('reads a string id as UTF-8, as the client does', () => {
    const { scanner } = scanInPieces(Buffer.from('{"jsonrpc":"2.0","id":"é-\\u00e9-日本","result":{}}'), random(3));
    expect(readStreamedLine(scanner)).toEqual({ kind: 'answer', id: 'é-é-日本', isProtocolError: false });
  });

  it('reads a notification or a server request with no answer keys as a message of the server', () => {
    const { scanner } = scanInPieces(Buffer.from('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"' + 'x'.repeat(5000) + '"}}'), random(1));
    expect(readStreamedLine(scanner)).toEqual({ kind: 'message' });
  });
});
