import type { ActivityAppended } from '../../shared/activity.js';
import { readActivityEvent } from '../audit/activity-event.js';
import { exportChunk } from '../audit/activity-export.js';
import { activityHistogram } from '../audit/activity-histogram.js';
import { verifyActivity } from '../audit/activity-verify.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type ActivityChannels = 'activity:query' | 'activity:facets' | 'activity:event' | 'activity:histogram' | 'activity:verify' | 'activity:export';

/**
 * The Activity page's channels, on the running guard's index of its audit log (ctx.activity).
 * The contract has bounded every argument already (a window of at most 500 rows, text of at most
 * 200 characters, a seq, a cursor of its own shape); what is left to check is the log's: an event
 * is read back from its file and refused when it is no longer what the index found there, and an
 * export cursor is refused for another filter or format. Nothing here writes to the log.
 */
export function activityHandlers(ctx: PageContext): { readonly [C in ActivityChannels]: IpcHandler<C> } {
  return {
    'activity:query': (query) => ctx.activity.query(query),
    'activity:facets': () => ctx.activity.facets(),
    'activity:event': (seq) => readActivityEvent(ctx.activity, seq),
    'activity:histogram': (filter) => activityHistogram(ctx.activity, filter, ctx.now()),
    'activity:verify': () => verifyActivity(ctx.activity, ctx.now),
    'activity:export': (format, filter, cursor) => exportChunk(ctx.activity, format, filter, cursor),
  };
}

/**
 * `activity:appended`, from the index's growth (at most five a second). A renderer listening is
 * what needs the index: the first subscription starts its first scan, so the page finds it built.
 */
export function activityEvents(ctx: PageContext): { onDidGrow(listener: (grown: ActivityAppended) => void): () => void } {
  return {
    onDidGrow: (listener) => {
      const stop = ctx.activity.onDidGrow(listener);
      ctx.activity
        .ready()
        .catch((error: unknown) => ctx.log.log('error', `activity: could not read the audit log: ${error instanceof Error ? error.message : String(error)}`));
      return stop;
    },
  };
}
