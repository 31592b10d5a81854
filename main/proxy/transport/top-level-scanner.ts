/**
 * Follows the top level of one JSON object while its bytes stream past, without holding them:
 * where the object closes, which of the top-level keys that matter it has, and the raw text of
 * every top-level `"id"` value. The proxy streams long server lines through (./server-stream.ts)
 * and must still know, before the client can read such a line as a whole, which request it answers:
 * a line whose id is only found by guessing at its first or last bytes could be a `tools/list`
 * answer in disguise (a duplicated or escaped `"id"`, an id in the middle, a complete object
 * followed by padding). So every byte that may reach the client goes through `scan`, which says
 * how much of it may: never the byte that closes the object, and nothing after a problem. The
 * proxy sends that closing byte only once it knows whose answer the line is.
 *
 * Strings are skipped with `indexOf` where they are long (file contents, base64), byte by byte
 * where quotes are dense (JSON inside a text); README.md's Performance section says what it costs.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const CARRIAGE_RETURN = 0x0d;
/** Within this many bytes of a string's start the next quote is looked for byte by byte, then with indexOf. */
const SHORT_RUN = 48;
/** Top-level keys and ids longer than this are not believed (no MCP message needs them). */
const MAX_CAPTURE = 256;

type Expect = 'open' | 'key' | 'colon' | 'value' | 'scalar' | 'comma' | 'closed';

export class TopLevelScanner {
  /** Why the message cannot be vouched for; once set, nothing more of it may reach the client. */
  problem: string | undefined;
  /** The raw JSON text of each top-level "id" value, in order. */
  readonly ids: string[] = [];
  hasMethod = false;
  hasResult = false;
  hasError = false;

  private depth = 0;
  private inString = false;
  /** A backslash inside a string ended the previous chunk: the next byte is escaped. */
  private escapePending = false;
  private expect: Expect = 'open';
  /** What the current top-level string or scalar is captured as. */
  private capture: 'none' | 'key' | 'id' = 'none';
  /** The bytes of the top-level key or id being read, decoded as UTF-8 once complete. */
  private captured: number[] = [];
  private key = '';

  /** The object's closing brace has been seen (and withheld). */
  get closed(): boolean {
    return this.expect === 'closed' && this.problem === undefined;
  }

  /**
   * Scans the next bytes of the line and returns how many of them, from the start, may be passed on:
   * all of them, or those before the closing brace, or those before a problem.
   */
  scan(whole: Uint8Array): number {
    if (this.problem !== undefined) return 0;
    if (this.expect === 'closed') return this.afterClose(whole, 0);
    // A carriage return before the end is refused: a client that also splits lines on it would read
    // what follows it as a message of its own. The bytes before it are scanned as usual.
    const cr = whole.indexOf(CARRIAGE_RETURN);
    const chunk = cr === -1 ? whole : whole.subarray(0, cr);
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.capture === 'none' ? this.skipString(chunk, i) : this.captureString(chunk, i);
        if (this.problem !== undefined) return i;
        continue;
      }
      if (this.depth > 1) {
        i = this.skipNested(chunk, i);
        continue;
      }
      const close = this.topLevelByte(chunk[i]!);
      if (this.problem !== undefined) return i;
      if (close) {
        this.afterClose(whole, i + 1);
        return i;
      }
      i++;
    }
    if (cr !== -1) return this.fail(cr, 'a carriage return inside the message');
    return n;
  }

  /** Bytes after the closing brace: white space (not passed on: the closing brace ends the line), or a problem. */
  private afterClose(chunk: Uint8Array, from: number): 0 {
    for (let i = from; i < chunk.length; i++) {
      if (!isSpace(chunk[i]!)) {
        this.problem = 'bytes after the end of the message';
        break;
      }
    }
    return 0;
  }

  /** One byte at depth 0 or 1, outside strings; true when it closes the object. */
  private topLevelByte(b: number): boolean {
    if (this.expect === 'scalar') {
      if (b === COMMA || b === CLOSE_OBJECT || isSpace(b)) this.endScalar();
      else if (b === QUOTE || b === OPEN_OBJECT || b === OPEN_ARRAY || b === COLON) return this.problemAt('a malformed value at the top level');
      else {
        if (this.capture === 'id') this.append(b);
        return false;
      }
    }
    if (isSpace(b)) return false;
    switch (this.expect) {
      case 'open':
        if (b !== OPEN_OBJECT) return this.problemAt('not a JSON object');
        this.depth = 1;
        this.expect = 'key';
        return false;
      case 'key':
        if (b === QUOTE) return this.beginString('key');
        if (b === CLOSE_OBJECT) return this.close();
        return this.problemAt('a top-level key was expected');
      case 'colon':
        if (b !== COLON) return this.problemAt('":" was expected after a top-level key');
        this.expect = 'value';
        return false;
      case 'value':
        if (b === QUOTE) {
          if (this.key === 'id') this.captured = [QUOTE];
          return this.beginString(this.key === 'id' ? 'id' : 'none');
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          if (this.key === 'id') this.ids.push(String.fromCharCode(b));
          this.depth = 2;
          return false;
        }
        if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || b === COLON) return this.problemAt('a top-level value was expected');
        this.expect = 'scalar';
        this.capture = this.key === 'id' ? 'id' : 'none';
        this.captured = [];
        if (this.capture === 'id') this.append(b);
        return false;
      case 'comma':
        if (b === COMMA) {
          this.expect = 'key';
          return false;
        }
        if (b === CLOSE_OBJECT) return this.close();
        return this.problemAt('"," or "}" was expected at the top level');
      case 'scalar': // left by endScalar above
      case 'closed':
        return false;
    }
  }

  private beginString(capture: 'none' | 'key' | 'id'): false {
    this.inString = true;
    this.capture = capture;
    if (capture === 'key') this.captured = [];
    return false;
  }

  private endScalar(): void {
    if (this.capture === 'id') this.ids.push(this.capturedText());
    this.capture = 'none';
    this.expect = 'comma';
  }

  private close(): true {
    this.depth = 0;
    this.expect = 'closed';
    return true;
  }

  /** A top-level key or id string, byte by byte. */
  private captureString(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    while (i < n) {
      const b = chunk[i]!;
      if (this.escapePending) {
        this.escapePending = false;
        this.append(b);
      } else if (b === BACKSLASH) {
        // A key spelled with escapes ("\u0069d") means what it spells only after decoding: not believed.
        if (this.capture === 'key') return this.fail(i, 'a top-level key written with escapes');
        this.escapePending = true;
        this.append(b);
      } else if (b === QUOTE) {
        this.inString = false;
        this.endCapturedString();
        return i + 1;
      } else {
        this.append(b);
      }
      if (this.problem !== undefined) return i;
      i++;
    }
    return n;
  }

  private endCapturedString(): void {
    if (this.capture === 'key') {
      this.key = this.capturedText();
      if (this.key === 'method') this.hasMethod = true;
      else if (this.key === 'result') this.hasResult = true;
      else if (this.key === 'error') this.hasError = true;
      this.expect = 'colon';
    } else {
      this.captured.push(QUOTE);
      this.ids.push(this.capturedText());
      this.expect = 'comma';
    }
    this.capture = 'none';
  }

  /** A string nobody needs the text of: find its closing quote. */
  private skipString(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    if (this.escapePending) {
      this.escapePending = false;
      i++;
    }
    for (;;) {
      const end = i + SHORT_RUN < n ? i + SHORT_RUN : n;
      let b = 0;
      let j = i;
      while (j < end) {
        b = chunk[j]!;
        if (b === QUOTE || b === BACKSLASH) break;
        j++;
      }
      if (j < end) {
        if (b === BACKSLASH) {
          if (j + 1 >= n) {
            this.escapePending = true;
            return n;
          }
          i = j + 2;
          continue;
        }
        return this.stringEnded(j);
      }
      if (end === n) return n;
      // A long run without quotes or escapes: jump to the next quote, then count the backslashes before it.
      let q = chunk.indexOf(QUOTE, end);
      for (;;) {
        if (q === -1) {
          this.escapePending = oddBackslashesBefore(chunk, n, end);
          return n;
        }
        if (!oddBackslashesBefore(chunk, q, end)) return this.stringEnded(q);
        q = chunk.indexOf(QUOTE, q + 1);
      }
    }
  }

  private stringEnded(quote: number): number {
    this.inString = false;
    if (this.depth === 1) this.expect = 'comma';
    return quote + 1;
  }

  /** Inside a nested value, outside strings: only quotes and brackets matter. */
  private skipNested(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    while (i < n) {
      const b = chunk[i]!;
      i++;
      if (b === QUOTE) {
        this.inString = true;
        this.capture = 'none';
        return i;
      }
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        this.depth--;
        if (this.depth === 1) {
          this.expect = 'comma';
          return i;
        }
      }
    }
    return n;
  }

  private append(b: number): void {
    if (this.captured.length >= MAX_CAPTURE) {
      this.problem = 'a top-level key or id over 256 bytes';
      return;
    }
    this.captured.push(b);
  }

  private capturedText(): string {
    return Buffer.from(this.captured).toString('utf8');
  }

  private problemAt(why: string): false {
    this.problem = why;
    return false;
  }

  private fail(i: number, why: string): number {
    this.problem = why;
    return i;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Whether the byte at `at` is escaped, judged from the backslashes right before it, back to `from`
 * (the scan only jumps ahead from a point outside any escape, so none before `from` counts).
 */
function oddBackslashesBefore(chunk: Uint8Array, at: number, from: number): boolean {
  let k = at - 1;
  while (k >= from && chunk[k] === BACKSLASH) k--;
  return ((at - 1 - k) & 1) === 1;
}
