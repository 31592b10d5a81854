import { ACTIVITY_MAX_TEXT, type ActivityFilter } from '../../../../shared/activity.js';
import type { AuditEventKind, AuditOutcomeKind } from '../../../../shared/audit.js';
import type { Effect } from '../../../../shared/decision.js';

/** The time ranges the filter offers; `custom` uses the two date fields. */
export const RANGES = [
  { id: 'any', label: 'Any', ms: undefined },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: 'custom', label: 'Between…', ms: undefined },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

/** The filter as its fields hold it (text as typed; '' for "any"). */
export type FilterForm = {
  text: string;
  client: string;
  server: string;
  tool: string;
  decision: '' | Effect;
  outcome: '' | AuditOutcomeKind;
  kind: '' | AuditEventKind;
  range: RangeId;
  /** `<input type="datetime-local">` values, local time. */
  from: string;
  to: string;
};

export const EMPTY_FORM: FilterForm = { text: '', client: '', server: '', tool: '', decision: '', outcome: '', kind: '', range: 'any', from: '', to: '' };

/** The contract's filter for the form, and what in the form cannot be used (shown beside the field). */
export function filterOf(form: FilterForm): { filter: ActivityFilter; problems: Partial<Record<keyof FilterForm, string>> } {
  const filter: ActivityFilter = {};
  const problems: Partial<Record<keyof FilterForm, string>> = {};
  const name = (key: 'text' | 'client' | 'server' | 'tool') => {
    const value = form[key].trim();
    if (value === '') return;
    if (value.length > ACTIVITY_MAX_TEXT) problems[key] = `At most ${ACTIVITY_MAX_TEXT} characters; this has ${value.length}.`;
    else filter[key] = value;
  };
  name('text');
  name('client');
  name('server');
  name('tool');
  if (form.decision !== '') filter.decision = form.decision;
  if (form.outcome !== '') filter.outcome = form.outcome;
  if (form.kind !== '') filter.kind = form.kind;
  const range = RANGES.find((r) => r.id === form.range);
  if (range?.ms !== undefined) filter.lastMs = range.ms;
  if (form.range === 'custom') {
    const from = localTime(form.from);
    const to = localTime(form.to);
    if (form.from !== '' && from === undefined) problems.from = 'Not a date and time.';
    if (form.to !== '' && to === undefined) problems.to = 'Not a date and time.';
    if (from !== undefined && to !== undefined && from > to) problems.to = 'Ends before it starts: pick a later end.';
    else {
      if (from !== undefined) filter.since = from;
      // The minute the field names, whole.
      if (to !== undefined) filter.until = to + 59_999;
    }
  }
  return { filter, problems };
}

/** Whether the form filters anything. */
export function isFiltering(filter: ActivityFilter): boolean {
  return Object.keys(filter).length > 0;
}

/** `2025-06-01T12:30` (local) → ms, or undefined. */
function localTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}

/** ms → the value a datetime-local field takes (local time, to the minute). */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The filter an export uses: a relative range fixed to absolute times now, so every chunk means the same events. */
export function fixedFilter(filter: ActivityFilter, now: number): ActivityFilter {
  if (filter.lastMs === undefined) return filter;
  const { lastMs, ...rest } = filter;
  return { ...rest, since: Math.max(rest.since ?? 0, now - lastMs) };
}
