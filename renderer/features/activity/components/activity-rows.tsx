import type { ActivityFilter, ActivityRow } from '../../../../shared/activity.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-states.js';
import { useActivityRows } from '../hooks/use-activity-rows.js';
import { isFiltering } from '../lib/filter-form.js';
import { plural } from '../lib/labels.js';
import { ActivityTable } from './activity-table.js';

/** The table with its count line and its states: loading, nothing recorded, nothing matching, failed. */
export function ActivityRows({
  filter,
  hold,
  onOpen,
  onClear,
}: {
  filter: ActivityFilter;
  hold: boolean;
  onOpen: (row: ActivityRow) => void;
  onClear: () => void;
}) {
  const { pages, state, following } = useActivityRows(filter, hold);
  if (state.phase === 'loading') return <LoadingState what="Reading the audit log…" />;
  if (state.phase === 'error') return <ErrorState what="Could not read the audit log" error={state.error} retry={() => pages.start()} />;
  const filtering = isFiltering(filter);
  if (state.total === 0 && state.unseen === 0) {
    return filtering ? (
      <EmptyState>
        <p>No events match these filters.</p>
        <button type="button" className="button" onClick={onClear}>
          Clear filters
        </button>
      </EmptyState>
    ) : (
      <EmptyState>
        <p>Nothing is recorded yet. Calls your agents make through a wrapped server appear here as they happen.</p>
        <p>
          Wrap your clients’ servers on the <a href="#/servers">Servers page</a>.
        </p>
      </EmptyState>
    );
  }
  return (
    <section className="activity-rows" aria-labelledby="activity-count">
      <div className="activity-count-line">
        <h3 id="activity-count" className="activity-count" data-testid="activity-count" data-total={state.total}>
          {`${plural(state.total, 'event', 'events')}${filtering ? ' match the filters' : ''}, newest first`}
        </h3>
        {state.unseen > 0 ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              following.current = true;
              document.querySelector('.activity-scroll')?.scrollTo({ top: 0 });
              void pages.refresh(true);
            }}
          >
            {`${plural(state.unseen, 'new event', 'new events')}: show ${state.unseen === 1 ? 'it' : 'them'}`}
          </button>
        ) : null}
        <span className="subtle activity-keys">Open an event with Enter; move between rows with the arrow keys.</span>
      </div>
      <ActivityTable pages={pages} total={state.total} following={following} onOpen={onOpen} />
    </section>
  );
}
