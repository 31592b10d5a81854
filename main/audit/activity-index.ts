import type { ActivityAppended, ActivityFacets, ActivityFilter, ActivityQuery, ActivityRow, ActivityWindow } from '../../shared/activity.js';
import type { AuditEvent } from '../../shared/audit.js';
import { Emitter, type Event } from '../common/emitter.js';
import { compileRowFilter, type RowFilter } from './activity-filter.js';
import { ActivityRows, type RowPlace } from './activity-rows.js';
import type { AuditPosition } from './query.js';
import { scanEvents } from './activity-scan.js';

export type ActivityIndexOptions = {
  /** The audit directory (AuditLog.dir). */
  dir: string;
  /** The log's appends (AuditLog.onDidAppend): each one makes the index read on from where it was. */
  onDidAppend: Event<readonly AuditEvent[]>;
  now?: () => number;
  /** `onDidGrow` fires at most once per this many ms (default 200: five a second), and always after the last growth. */
  growEveryMs?: number;
  /** A catch-up that failed (the log will be read again on the next append). */
  onError?: (error: unknown) => void;
};

/** Matching seqs of one filter, oldest first, evaluated up to `next` (exclusive). */
type Matches = { seqs: number[]; next: number };

const CACHED_FILTERS = 8;

/**
 * The Activity page's index of the audit log: one compact row per event (ActivityRows), built by
 * one scan of the log when first needed and kept current from the log's appends by reading on from
 * the last position (so nothing an append event might miss is missed: rows come from the file).
 * Queries filter the rows newest first and return one window; results per filter are cached and
 * extended as the log grows. Rows whose segments retention deleted are dropped.
 */
export class ActivityIndex {
  readonly dir: string;
  private readonly rows = new ActivityRows();
  private readonly now: () => number;
  private readonly growEveryMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly grew = new Emitter<ActivityAppended>();
  private position: AuditPosition | undefined;
  private built: Promise<void> | undefined;
  private dirty = false;
  private pumping: Promise<void> | undefined;
  private lastGrow = 0;
  private growTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cache = new Map<string, Matches>();

  /** The index grew: its size now and newest seq (throttled; the newest state is always sent last). */
  readonly onDidGrow: Event<ActivityAppended> = this.grew.event;

  constructor(o: ActivityIndexOptions) {
    this.dir = o.dir;
    this.now = o.now ?? Date.now;
    this.growEveryMs = o.growEveryMs ?? 200;
    this.onError = o.onError ?? (() => undefined);
    o.onDidAppend(() => {
      if (this.built) this.catchUp();
    });
  }

  /** Resolves once the first scan is done (starting it on the first call). */
  ready(): Promise<void> {
    if (!this.built) {
      this.built = this.readOn();
      // A failed first scan is tried again by the next caller.
      this.built.catch(() => (this.built = undefined));
    }
    return this.built;
  }

  /** Resolves once every append seen so far is in the rows. */
  async settled(): Promise<void> {
    await this.ready();
    while (this.pumping) await this.pumping;
  }

  get size(): { count: number; newest: number } {
    return { count: this.rows.count, newest: this.rows.count > 0 ? this.rows.newestSeq : 0 };
  }

  async query(q: ActivityQuery): Promise<ActivityWindow> {
    await this.ready();
    const { seqs, snapshot, total } = this.select(q.filter, q.snapshot);
    const rows: ActivityRow[] = [];
    for (let k = total - 1 - q.offset; k >= 0 && rows.length < q.limit; k--) rows.push(this.rows.row(this.rows.indexOf(seqs[k]!)));
    return { snapshot, newest: this.size.newest, total, offset: q.offset, rows };
  }

  /**
   * The seqs matching `filter` up to `snapshot` (default: the newest), oldest first: `seqs[0..total)`.
   * The array is the cache's own: read it, do not keep it across awaits.
   */
  select(filter: ActivityFilter, snapshot?: number): { seqs: readonly number[]; snapshot: number; total: number } {
    const matches = this.matches(compileRowFilter(filter, this.now()));
    const newest = this.size.newest;
    const upTo = Math.min(snapshot ?? newest, newest);
    return { seqs: matches.seqs, snapshot: upTo, total: upperBound(matches.seqs, upTo) };
  }

  facets(): Promise<ActivityFacets> {
    return this.ready().then(() => ({
      clients: shownNames(this.rows.clients.values.length, (n) => this.rows.clients.shown(n)),
      servers: shownNames(this.rows.servers.values.length, (n) => this.rows.servers.shown(n)),
      tools: shownNames(this.rows.tools.values.length, (n) => this.rows.tools.shown(n)),
    }));
  }

  /** The rows themselves, for the histogram (read only). */
  get table(): ActivityRows {
    return this.rows;
  }

  /** Where the event `seq` is stored and its id, or undefined when the index does not hold it. */
  placeOf(seq: number): (RowPlace & { id: string }) | undefined {
    const i = this.rows.indexOf(seq);
    return i < 0 ? undefined : { ...this.rows.place(i), id: this.rows.id(i) };
  }

  /** The seq of the event stored at `line` of segment number `segment`, if the index has it. */
  seqAt(segment: number, line: number): number | undefined {
    const { rows } = this;
    let lo = 0;
    let hi = rows.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows.segment[mid]! < segment || (rows.segment[mid] === segment && rows.line[mid]! < line)) lo = mid + 1;
      else hi = mid;
    }
    return lo < rows.count && rows.segment[lo] === segment && rows.line[lo] === line ? rows.firstSeq + lo : undefined;
  }

  private matches(filter: RowFilter): Matches {
    let entry = this.cache.get(filter.key);
    if (entry) this.cache.delete(filter.key);
    else entry = { seqs: [], next: this.rows.firstSeq };
    this.cache.set(filter.key, entry);
    while (this.cache.size > CACHED_FILTERS) this.cache.delete(this.cache.keys().next().value!);
    const { rows } = this;
    const end = rows.firstSeq + rows.count;
    const seqs = entry.seqs;
    filter.select(rows, entry.next - rows.firstSeq, rows.count, (i) => seqs.push(rows.firstSeq + i));
    entry.next = end;
    return entry;
  }

  private catchUp(): void {
    this.readOn().catch((error: unknown) => this.onError(error));
  }

  /** One reader at a time: an append while it reads makes it read on once more before it ends. */
  private readOn(): Promise<void> {
    this.dirty = true;
    this.pumping ??= this.pump();
    return this.pumping;
  }

  /** Reads the log on from the last position until no append is left unread. */
  private async pump(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const before = this.rows.count;
        const scanned = await scanEvents(this.dir, this.position, (event, place) => this.rows.add(event, place));
        this.position = scanned.next;
        this.dropDeletedSegments(scanned.firstSegment);
        if (this.rows.count !== before) this.didGrow();
      }
    } finally {
      this.pumping = undefined;
    }
  }

  /** Retention deletes whole old segments when the log rotates; their rows go too. */
  private dropDeletedSegments(first: number): void {
    let n = 0;
    while (n < this.rows.count && this.rows.segment[n]! < first) n++;
    if (n === 0) return;
    this.rows.dropOldest(n);
    this.cache.clear();
  }

  private didGrow(): void {
    if (this.growTimer) return;
    const fire = () => {
      this.growTimer = undefined;
      this.lastGrow = Date.now();
      this.grew.fire({ total: this.rows.count, newest: this.size.newest });
    };
    const wait = this.lastGrow + this.growEveryMs - Date.now();
    if (wait <= 0) return fire();
    this.growTimer = setTimeout(fire, wait);
    this.growTimer.unref?.();
  }
}

/** How many of `seqs` (ascending) are ≤ `value`. */
function upperBound(seqs: readonly number[], value: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shownNames(count: number, shown: (n: number) => string | undefined): string[] {
  const names = new Set<string>();
  for (let n = 0; n < count; n++) names.add(shown(n)!);
  return [...names].sort((a, b) => a.localeCompare(b)).slice(0, 500);
}
