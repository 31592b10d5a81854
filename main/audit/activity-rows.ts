import { ACTIVITY_MAX_NAME, type ActivityRow } from '../../shared/activity.js';
import { ApprovalAnswer, AuditEventKind, AuditOutcomeKind, type AuditEvent } from '../../shared/audit.js';
import { Effect } from '../../shared/decision.js';

/** How much of an event's tool and arguments the free-text search looks at (lower-cased). */
export const SEARCH_TEXT_CHARS = 2048;

const KINDS = AuditEventKind.options;
const EFFECTS = Effect.options;
const OUTCOMES = AuditOutcomeKind.options;
const ANSWERS = ApprovalAnswer.options;
const SCOPES = ['any-arguments', 'exact-arguments'] as const;
/** An event id is 26 Crockford base32 characters (shared/audit.ts AuditEventId). */
const ID_BYTES = 26;

/** Where a row's full event is: the segment's number, the line's byte offset and length (without newline), its line number. */
export type RowPlace = { segment: number; offset: number; length: number; line: number };

/** Each distinct name once, whole (filters match it whole); rows keep its number. */
export class Interner {
  readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();

  of(value: string | undefined): number {
    if (value === undefined) return -1;
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(copyString(value));
      this.numbers.set(value, n);
    }
    return n;
  }

  /** The number of a name seen before, or undefined. */
  find(value: string): number | undefined {
    return this.numbers.get(value);
  }

  get(n: number): string | undefined {
    return n < 0 ? undefined : this.values[n];
  }

  /** The name as a row shows it: a longer one than ACTIVITY_MAX_NAME ends in "…" (the event has it whole). */
  shown(n: number): string | undefined {
    const value = this.get(n);
    return value !== undefined && value.length > ACTIVITY_MAX_NAME ? `${value.slice(0, ACTIVITY_MAX_NAME)}…` : value;
  }
}

/**
 * The index's rows, column by column, outside the JS heap: typed arrays for the fields, one byte
 * pool for the ids and one for the search texts (about 100 bytes a row and its text), oldest first:
 * row i has seq `firstSeq + i`. Names are interned; enums are small numbers. Nothing is kept per
 * row on the JS heap, so 100,000 rows cost the garbage collector nothing.
 */
export class ActivityRows {
  firstSeq = 1;
  count = 0;
  readonly clients = new Interner();
  readonly servers = new Interner();
  readonly tools = new Interner();
  readonly approvers = new Interner();
  /** Each row's id, 26 ASCII bytes. */
  private ids = Buffer.alloc(0);
  /** Each row's search text (searchText, UTF-8), one after another; row i's starts at textStart[i]. */
  private texts = Buffer.alloc(0);
  private textsUsed = 0;
  textStart = new Float64Array(0);
  time = new Float64Array(0);
  kind = new Uint8Array(0);
  client = new Int32Array(0);
  server = new Int32Array(0);
  tool = new Int32Array(0);
  decision = new Int8Array(0);
  outcome = new Int8Array(0);
  latency = new Float64Array(0);
  approver = new Int32Array(0);
  answer = new Int8Array(0);
  scope = new Int8Array(0);
  until = new Float64Array(0);
  segment = new Uint32Array(0);
  offset = new Float64Array(0);
  length = new Uint32Array(0);
  line = new Uint32Array(0);

  get newestSeq(): number {
    return this.firstSeq + this.count - 1;
  }

  add(event: AuditEvent, place: RowPlace): void {
    if (this.count === this.time.length) this.grow(Math.max(1024, this.count * 2));
    const i = this.count++;
    this.ids.write(event.id, i * ID_BYTES, ID_BYTES, 'latin1');
    this.addText(i, searchText(event));
    this.time[i] = Date.parse(event.time);
    this.kind[i] = KINDS.indexOf(event.kind);
    this.client[i] = this.clients.of(event.client?.name);
    this.server[i] = this.servers.of(event.server?.name);
    this.tool[i] = this.tools.of(event.tool);
    this.decision[i] = event.decision ? EFFECTS.indexOf(event.decision.effect) : -1;
    this.outcome[i] = event.outcome ? OUTCOMES.indexOf(event.outcome.kind) : -1;
    this.latency[i] = event.latencyMs ?? Number.NaN;
    const approval = event.approval;
    this.approver[i] = this.approvers.of(approval?.approver);
    this.answer[i] = approval ? ANSWERS.indexOf(approval.answer) : -1;
    this.scope[i] = approval?.scope ? SCOPES.indexOf(approval.scope) : -1;
    this.until[i] = approval?.until ? Date.parse(approval.until) : Number.NaN;
    this.segment[i] = place.segment;
    this.offset[i] = place.offset;
    this.length[i] = place.length;
    this.line[i] = place.line;
  }

  /** Drops the oldest `n` rows (their segments were deleted by retention); seqs of the rest stay. */
  dropOldest(n: number): void {
    if (n <= 0) return;
    n = Math.min(n, this.count);
    this.ids.copyWithin(0, n * ID_BYTES, this.count * ID_BYTES);
    const cut = n < this.count ? this.textStart[n]! : this.textsUsed;
    this.texts.copyWithin(0, cut, this.textsUsed);
    this.textsUsed -= cut;
    for (const column of this.columns()) column.copyWithin(0, n, this.count);
    this.count -= n;
    this.firstSeq += n;
    for (let i = 0; i < this.count; i++) this.textStart[i]! -= cut;
  }

  id(i: number): string {
    return this.ids.toString('latin1', i * ID_BYTES, (i + 1) * ID_BYTES);
  }

  /**
   * Calls `hit(i)` for each row in [from, to) whose search text contains `needle` (lower-cased
   * already): one pass of Buffer.indexOf over the pool, a match counted only within one row's text.
   */
  findText(needle: string, from: number, to: number, hit: (i: number) => void): void {
    if (from >= to) return;
    const bytes = Buffer.from(needle, 'utf8');
    const end = to < this.count ? this.textStart[to]! : this.textsUsed;
    let at = this.texts.indexOf(bytes, this.textStart[from]);
    let row = from;
    while (at !== -1 && at + bytes.length <= end) {
      while (row + 1 < to && this.textStart[row + 1]! <= at) row++;
      const rowEnd = row + 1 < this.count ? this.textStart[row + 1]! : this.textsUsed;
      if (at + bytes.length <= rowEnd) {
        hit(row);
        if (row + 1 >= to) return;
        at = this.texts.indexOf(bytes, this.textStart[++row]);
      } else at = this.texts.indexOf(bytes, at + 1);
    }
  }

  private addText(i: number, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    if (this.textsUsed + length > this.texts.length) {
      const grown = Buffer.allocUnsafe(Math.max(1 << 20, (this.textsUsed + length) * 2));
      this.texts.copy(grown, 0, 0, this.textsUsed);
      this.texts = grown;
    }
    this.textStart[i] = this.textsUsed;
    this.textsUsed += this.texts.write(text, this.textsUsed, 'utf8');
  }

  /** The row index of `seq`, or -1 when the index does not hold it. */
  indexOf(seq: number): number {
    const i = seq - this.firstSeq;
    return i >= 0 && i < this.count ? i : -1;
  }

  place(i: number): RowPlace {
    return { segment: this.segment[i]!, offset: this.offset[i]!, length: this.length[i]!, line: this.line[i]! };
  }

  row(i: number): ActivityRow {
    const row: ActivityRow = { seq: this.firstSeq + i, id: this.id(i), time: Math.max(0, this.time[i]!), kind: KINDS[this.kind[i]!]! };
    const client = this.clients.shown(this.client[i]!);
    if (client !== undefined) row.client = client;
    const server = this.servers.shown(this.server[i]!);
    if (server !== undefined) row.server = server;
    const tool = this.tools.shown(this.tool[i]!);
    if (tool !== undefined) row.tool = tool;
    const decision = EFFECTS[this.decision[i]!];
    if (decision) row.decision = decision;
    const outcome = OUTCOMES[this.outcome[i]!];
    if (outcome) row.outcome = outcome;
    if (!Number.isNaN(this.latency[i]!)) row.latencyMs = this.latency[i]!;
    const answer = ANSWERS[this.answer[i]!];
    if (answer) {
      row.approval = { approver: this.approvers.shown(this.approver[i]!) ?? '', answer };
      if (!Number.isNaN(this.until[i]!)) row.approval.until = Math.max(0, this.until[i]!);
      const scope = SCOPES[this.scope[i]!];
      if (scope) row.approval.scope = scope;
    }
    return row;
  }

  private columns() {
    return [
      this.textStart,
      this.time,
      this.kind,
      this.client,
      this.server,
      this.tool,
      this.decision,
      this.outcome,
      this.latency,
      this.approver,
      this.answer,
      this.scope,
      this.until,
      this.segment,
      this.offset,
      this.length,
      this.line,
    ];
  }

  private grow(capacity: number): void {
    const grown = <T extends { length: number; set(a: ArrayLike<number>): void }>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    const ids = Buffer.alloc(capacity * ID_BYTES);
    this.ids.copy(ids);
    this.ids = ids;
    this.textStart = grown(this.textStart, (n) => new Float64Array(n));
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.kind = grown(this.kind, (n) => new Uint8Array(n));
    this.client = grown(this.client, (n) => new Int32Array(n));
    this.server = grown(this.server, (n) => new Int32Array(n));
    this.tool = grown(this.tool, (n) => new Int32Array(n));
    this.decision = grown(this.decision, (n) => new Int8Array(n));
    this.outcome = grown(this.outcome, (n) => new Int8Array(n));
    this.latency = grown(this.latency, (n) => new Float64Array(n));
    this.approver = grown(this.approver, (n) => new Int32Array(n));
    this.answer = grown(this.answer, (n) => new Int8Array(n));
    this.scope = grown(this.scope, (n) => new Int8Array(n));
    this.until = grown(this.until, (n) => new Float64Array(n));
    this.segment = grown(this.segment, (n) => new Uint32Array(n));
    this.offset = grown(this.offset, (n) => new Float64Array(n));
    this.length = grown(this.length, (n) => new Uint32Array(n));
    this.line = grown(this.line, (n) => new Uint32Array(n));
  }
}

/** What free text searches: the tool and its arguments as stored (redacted), lower-cased, at most SEARCH_TEXT_CHARS. */
export function searchText(event: Pick<AuditEvent, 'tool' | 'arguments'>): string {
  const args = event.arguments === undefined ? '' : JSON.stringify(event.arguments);
  const text = `${event.tool ?? ''}\n${args}`.toLowerCase();
  return text.length > SEARCH_TEXT_CHARS ? text.slice(0, SEARCH_TEXT_CHARS) : text;
}

/** A string of its own: a slice of a long string would keep the whole long string alive. */
function copyString(text: string): string {
  return text.length > 64 ? Buffer.from(text, 'utf8').toString('utf8') : text;
}
