/**
 * Where things are in a TOML text: each statement (a table header, a key/value) with the lines it
 * takes, and each value's extent, single-line strings decoded. smol-toml gives the values but no
 * positions, and the guard must edit one server's tables and leave every other byte as it was. The
 * text has already parsed (smol-toml, TOML 1.1), so this follows valid TOML and stops at anything
 * it does not follow rather than guess.
 */

export type TomlNode =
  | { kind: 'string'; quote: 'basic' | 'literal'; value: string; start: number; end: number }
  | { kind: 'multiline'; start: number; end: number }
  | { kind: 'array'; items: TomlNode[]; start: number; end: number }
  /** An inline table; `comments` when a comment sits between its entries (TOML 1.1). */
  | { kind: 'table'; entries: TomlKeyValue[]; comments: boolean; start: number; end: number }
  | { kind: 'scalar'; start: number; end: number };

/** `a."b c".d = value`: the dotted key decoded, from the key's first character to the value's last. */
export type TomlKeyValue = { key: string[]; start: number; value: TomlNode };

/** A statement and its whole lines: `lineStart` is where its line begins, `lineEnd` is past its line break. */
export type TomlStatement =
  | { kind: 'header'; path: string[]; array: boolean; open: number; close: number; lineStart: number; lineEnd: number }
  | { kind: 'keyvalue'; table: string[]; entry: TomlKeyValue; lineStart: number; lineEnd: number };

/** The scanner met TOML it does not follow, at `offset`. */
export class TomlScanError extends Error {
  constructor(
    readonly offset: number,
    problem: string,
  ) {
    super(problem);
  }
}

export type TomlHeader = Extract<TomlStatement, { kind: 'header' }>;
export type TomlKeyValueLine = Extract<TomlStatement, { kind: 'keyvalue' }>;
/** A table header and its keys (the root table has none); `end` is past its last statement's line. */
export type TomlBlock = { header: TomlHeader | undefined; body: TomlKeyValueLine[]; start: number; end: number };

export function scanToml(text: string): TomlStatement[] {
  return new Scanner(text).statements();
}

/** The statements by table: the root table's keys first, then each header with the keys below it. */
export function tomlBlocks(statements: readonly TomlStatement[]): TomlBlock[] {
  const blocks: TomlBlock[] = [{ header: undefined, body: [], start: 0, end: 0 }];
  for (const s of statements) {
    if (s.kind === 'header') blocks.push({ header: s, body: [], start: s.lineStart, end: s.lineEnd });
    else {
      const block = blocks[blocks.length - 1]!;
      block.body.push(s);
      block.end = s.lineEnd;
    }
  }
  return blocks;
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;
const SCALAR = /[^,\]}#\r\n]*/y;
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {
    if (text.startsWith('\uFEFF')) this.pos = 1;
  }

  statements(): TomlStatement[] {
    const out: TomlStatement[] = [];
    let table: string[] = [];
    for (;;) {
      this.skipBlank();
      const c = this.text[this.pos];
      if (c === undefined) return out;
      if (c === '\n' || c === '\r' || c === '#') {
        this.endOfLine();
        continue;
      }
      const lineStart = this.text.lastIndexOf('\n', this.pos - 1) + 1;
      if (c === '[') {
        const open = this.pos;
        const array = this.text[this.pos + 1] === '[';
        this.pos += array ? 2 : 1;
        const path = this.key();
        const close = this.pos;
        this.expect(array ? ']]' : ']');
        this.endOfLine();
        table = path;
        out.push({ kind: 'header', path, array, open, close, lineStart, lineEnd: this.pos });
      } else {
        const entry = this.keyValue();
        this.endOfLine();
        out.push({ kind: 'keyvalue', table, entry, lineStart, lineEnd: this.pos });
      }
    }
  }

  private keyValue(): TomlKeyValue {
    const start = this.pos;
    const key = this.key();
    this.expect('=');
    this.skipBlank();
    return { key, start, value: this.value() };
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipBlank();
      const c = this.text[this.pos];
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else parts.push(this.match(BARE_KEY, 'expected a key'));
      this.skipBlank();
      if (this.text[this.pos] !== '.') return parts;
      this.pos++;
    }
  }

  private value(): TomlNode {
    const start = this.pos;
    const t = this.text;
    if (t.startsWith('"""', start) || t.startsWith("'''", start)) {
      this.multiline();
      return { kind: 'multiline', start, end: this.pos };
    }
    if (t[start] === '"') return { kind: 'string', quote: 'basic', value: this.basicString(), start, end: this.pos };
    if (t[start] === "'") return { kind: 'string', quote: 'literal', value: this.literalString(), start, end: this.pos };
    if (t[start] === '[') {
      this.pos++;
      const items: TomlNode[] = [];
      for (;;) {
        this.skipSpace();
        if (this.text[this.pos] === ']') break;
        items.push(this.value());
        this.skipSpace();
        if (this.text[this.pos] !== ',') break;
        this.pos++;
      }
      this.expect(']');
      return { kind: 'array', items, start, end: this.pos };
    }
    if (t[start] === '{') {
      this.pos++;
      const entries: TomlKeyValue[] = [];
      let comments = false;
      for (;;) {
        comments = this.skipSpace() || comments;
        if (this.text[this.pos] === '}') break;
        entries.push(this.keyValue());
        comments = this.skipSpace() || comments;
        if (this.text[this.pos] !== ',') break;
        this.pos++;
      }
      this.expect('}');
      return { kind: 'table', entries, comments, start, end: this.pos };
    }
    const raw = this.match(SCALAR, 'expected a value').trimEnd();
    if (raw === '') throw new TomlScanError(start, 'expected a value');
    this.pos = start + raw.length;
    return { kind: 'scalar', start, end: this.pos };
  }

  private basicString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') throw new TomlScanError(this.pos, 'unterminated string');
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1] ?? '';
      const digits = HEX_DIGITS[e];
      if (digits !== undefined) {
        const hex = this.text.slice(this.pos + 2, this.pos + 2 + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) throw new TomlScanError(this.pos, 'bad escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += 2 + digits;
      } else {
        const decoded = ESCAPES[e];
        if (decoded === undefined) throw new TomlScanError(this.pos, 'bad escape');
        out += decoded;
        this.pos += 2;
      }
    }
  }

  private literalString(): string {
    const end = this.text.indexOf("'", this.pos + 1);
    const value = this.text.slice(this.pos + 1, end);
    if (end === -1 || value.includes('\n')) throw new TomlScanError(this.pos, 'unterminated string');
    this.pos = end + 1;
    return value;
  }

  /** `"""…"""` or `'''…'''`, which may end in up to two more quotes (`""""` is a quote, then the end). */
  private multiline(): void {
    const quote = this.text[this.pos]!;
    this.pos += 3;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw new TomlScanError(this.pos, 'unterminated string');
      if (c === '\\' && quote === '"') {
        this.pos += 2;
        continue;
      }
      if (c === quote && this.text.startsWith(quote.repeat(3), this.pos)) {
        let run = 3;
        while (run < 5 && this.text[this.pos + run] === quote) run++;
        this.pos += run;
        return;
      }
      this.pos++;
    }
  }

  /** Spaces and tabs, then an optional comment and one line break (or the end of the text). */
  private endOfLine(): void {
    this.skipBlank();
    if (this.text[this.pos] === '#') this.skipComment();
    if (this.text.startsWith('\r\n', this.pos)) this.pos += 2;
    else if (this.text[this.pos] === '\n') this.pos++;
    else if (this.pos < this.text.length) throw new TomlScanError(this.pos, 'expected the end of the line');
  }

  /** Whitespace, line breaks and comments, as arrays (and TOML 1.1 inline tables) allow; true when a comment was among them. */
  private skipSpace(): boolean {
    let comment = false;
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#') {
        comment = true;
        this.skipComment();
      } else return comment;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n' && !this.text.startsWith('\r\n', this.pos)) this.pos++;
  }

  private skipBlank(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  private expect(token: string): void {
    this.skipBlank();
    if (!this.text.startsWith(token, this.pos)) throw new TomlScanError(this.pos, `expected "${token}"`);
    this.pos += token.length;
  }

  private match(pattern: RegExp, problem: string): string {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text)?.[0];
    if (!found) throw new TomlScanError(this.pos, problem);
    this.pos += found.length;
    return found;
  }
}
