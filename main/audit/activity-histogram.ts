import { ACTIVITY_MAX_BUCKETS, type ActivityFilter, type ActivityHistogram } from '../../shared/activity.js';
import { AuditEventKind, AuditOutcomeKind } from '../../shared/audit.js';
import { Effect } from '../../shared/decision.js';
import type { ActivityIndex } from './activity-index.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bucket widths a person reads at a glance, smallest first. */
const STEPS = [1, 2, 5, 10, 15, 30]
  .map((s) => s * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
    [1, 2, 3, 6, 12].map((h) => h * HOUR),
    [1, 2, 7, 14, 30, 90, 365].map((d) => d * DAY),
  );
/** About this many buckets across the range. */
const AIM = 120;

const CALL = AuditEventKind.options.indexOf('call');
const ASK = Effect.options.indexOf('ask');
const DENY = Effect.options.indexOf('deny');
const DENIED = AuditOutcomeKind.options.indexOf('denied');
const TIMEOUT = AuditOutcomeKind.options.indexOf('timeout');

/**
 * The chart's numbers for the calls matching `filter`: per bucket, the calls, those policy asked
 * about, and those denied (by policy, by the user, or by the prompt's timeout). The range is the
 * filter's time range, or from the first to the last matching call; the width is a round one
 * giving about AIM buckets (never more than ACTIVITY_MAX_BUCKETS).
 */
export async function activityHistogram(index: ActivityIndex, filter: ActivityFilter, now: number): Promise<ActivityHistogram> {
  await index.ready();
  const { seqs, total } = index.select(filter);
  const rows = index.table;
  const recent = filter.lastMs !== undefined ? now - filter.lastMs : undefined;
  let from = Math.max(filter.since ?? -Infinity, recent ?? -Infinity);
  let to = filter.until ?? (recent !== undefined ? now : -Infinity);
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    let first = Infinity;
    let last = -Infinity;
    for (let k = 0; k < total; k++) {
      const i = rows.indexOf(seqs[k]!);
      if (rows.kind[i] !== CALL) continue;
      first = Math.min(first, rows.time[i]!);
      last = Math.max(last, rows.time[i]!);
    }
    if (!Number.isFinite(from)) from = Number.isFinite(first) ? first : now - HOUR;
    if (!Number.isFinite(to)) to = Number.isFinite(last) ? last : now;
  }
  if (to < from) to = from;
  const bucketMs = STEPS.find((step) => (to - from) / step <= AIM) ?? STEPS.at(-1)!;
  const start = Math.max(0, Math.floor(from / bucketMs) * bucketMs);
  const buckets = Math.min(ACTIVITY_MAX_BUCKETS, Math.floor((to - start) / bucketMs) + 1);
  const calls = new Array<number>(buckets).fill(0);
  const asks = new Array<number>(buckets).fill(0);
  const denials = new Array<number>(buckets).fill(0);
  for (let k = 0; k < total; k++) {
    const i = rows.indexOf(seqs[k]!);
    if (rows.kind[i] !== CALL) continue;
    const b = Math.floor((rows.time[i]! - start) / bucketMs);
    if (b < 0 || b >= buckets) continue;
    calls[b]!++;
    if (rows.decision[i] === ASK) asks[b]!++;
    if (rows.decision[i] === DENY || rows.outcome[i] === DENIED || rows.outcome[i] === TIMEOUT) denials[b]!++;
  }
  return { from: start, bucketMs, calls, asks, denials };
}
