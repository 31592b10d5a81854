import type { ActivityRow, ActivityWindow } from '../../../../shared/activity.js';

/** Fetches rows `offset…offset+limit` (newest first) counted from `snapshot` (absent: the newest now). */
export type FetchWindow = (offset: number, limit: number, snapshot: number | undefined) => Promise<ActivityWindow>;

export type RowPagesState =
  | { phase: 'loading' }
  | { phase: 'error'; error: string }
  | {
      phase: 'ready';
      /** Rows matching the filter up to `snapshot`: the table's length. */
      total: number;
      snapshot: number;
      /** Matching events newer than the snapshot (shown as "N new"), while the user is not at the top. */
      unseen: number;
    };

export const PAGE_SIZE = 100;
/** Pages kept at most (the renderer never holds the log: 40 pages are 4,000 rows). */
const KEPT_PAGES = 40;

/**
 * The table's rows, a page at a time from the service: pages load as the table scrolls to them,
 * all counted from one snapshot so they fit together while the log grows. `refresh` follows the
 * log: at the top, it moves to the newest snapshot (new rows appear); further down it only counts
 * what is new, so nothing moves under the reader's eyes. A reply to an older reset is dropped.
 */
export class RowPages {
  private state: RowPagesState = { phase: 'loading' };
  private pages = new Map<number, ActivityRow[]>();
  private loading = new Set<number>();
  private generation = 0;
  private refreshing: Promise<void> | undefined;
  private again: boolean | undefined;
  private wanted: [number, number] = [0, 0];
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change; what useSyncExternalStore compares. */
  version = 0;

  constructor(private readonly fetch: FetchWindow) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  get current(): RowPagesState {
    return this.state;
  }

  /** The first page, from the newest event now. */
  start(): void {
    const generation = ++this.generation;
    this.pages.clear();
    this.loading.clear();
    this.set({ phase: 'loading' });
    this.fetch(0, PAGE_SIZE, undefined).then(
      (window) => generation === this.generation && this.take(window, true),
      (error: unknown) => generation === this.generation && this.set({ phase: 'error', error: messageOf(error) }),
    );
  }

  rowAt(index: number): ActivityRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** The table shows rows start…end (inclusive): load the pages they are on. */
  want(start: number, end: number): void {
    this.wanted = [start, end];
    const state = this.state;
    if (state.phase !== 'ready') return;
    const last = Math.min(end, state.total - 1);
    for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) this.load(page, state.snapshot);
  }

  /** New events are in the log: follow them (at the top) or count them (further down). */
  refresh(following: boolean): Promise<void> {
    if (this.refreshing) {
      this.again = (this.again ?? false) || following;
      return this.refreshing;
    }
    const generation = this.generation;
    this.refreshing = this.fetch(0, following ? PAGE_SIZE : 1, undefined)
      .then((window) => {
        if (generation !== this.generation) return;
        const state = this.state;
        if (following || state.phase !== 'ready') this.take(window, true);
        else this.set({ ...state, unseen: Math.max(0, window.total - state.total) });
      })
      .catch((error: unknown) => {
        if (generation === this.generation && this.state.phase !== 'ready') this.set({ phase: 'error', error: messageOf(error) });
      })
      .finally(() => {
        this.refreshing = undefined;
        const again = this.again;
        this.again = undefined;
        if (again !== undefined) void this.refresh(again);
      });
    return this.refreshing;
  }

  private load(page: number, snapshot: number): void {
    if (this.pages.has(page) || this.loading.has(page)) return;
    const generation = this.generation;
    this.loading.add(page);
    this.fetch(page * PAGE_SIZE, PAGE_SIZE, snapshot > 0 ? snapshot : undefined).then(
      (window) => {
        this.loading.delete(page);
        const state = this.state;
        if (generation !== this.generation || state.phase !== 'ready' || state.snapshot !== snapshot) return;
        this.pages.set(page, window.rows);
        this.evict();
        this.changed();
      },
      () => this.loading.delete(page),
    );
  }

  /** A window counted from a new snapshot: the pages from the old one no longer fit. */
  private take(window: ActivityWindow, reset: boolean): void {
    if (reset) {
      this.pages.clear();
      this.loading.clear();
      this.generation++;
    }
    this.pages.set(0, window.rows);
    this.set({ phase: 'ready', total: window.total, snapshot: window.snapshot, unseen: 0 });
    this.want(...this.wanted);
  }

  private evict(): void {
    if (this.pages.size <= KEPT_PAGES) return;
    const middle = (this.wanted[0] + this.wanted[1]) / 2 / PAGE_SIZE;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - middle) - Math.abs(a - middle));
    for (const page of far.slice(0, this.pages.size - KEPT_PAGES)) this.pages.delete(page);
  }

  private set(state: RowPagesState): void {
    this.state = state;
    this.changed();
  }

  private changed(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
