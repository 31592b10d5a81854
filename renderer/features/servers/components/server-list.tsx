import { useId } from 'react';
import type { ToolChangePrompt } from '../../../../shared/approvals.js';
import type { ServerRow } from '../../../../shared/servers-page.js';
import { FILTERS, clientLabel, matchesFilter, needsAttention, plural, type ServerFilter } from '../lib/labels.js';
import { ServerCard, type ServerCardActions } from './server-card.js';

/** The servers, grouped by client, with a count of where they stand and a filter. */
export function ServerList({
  rows,
  filter,
  setFilter,
  changes,
  actions,
}: {
  rows: readonly ServerRow[];
  filter: ServerFilter;
  setFilter: (f: ServerFilter) => void;
  changes: readonly ToolChangePrompt[];
  actions: ServerCardActions;
}) {
  const filterId = useId();
  const shown = rows.filter((r) => matchesFilter(r, filter));
  const groups = new Map<string, ServerRow[]>();
  for (const row of shown) groups.set(clientLabel(row.client), [...(groups.get(clientLabel(row.client)) ?? []), row]);
  const count = (state: ServerRow['state']) => rows.filter((r) => r.state === state).length;
  const attention = rows.filter(needsAttention).length;
  return (
    <>
      <div className="servers-toolbar">
        <p className="servers-summary" data-testid="servers-summary">
          {`${plural(rows.length, 'server')}: ${count('wrapped')} wrapped, ${count('unwrapped')} not wrapped, ${rows.length - count('wrapped') - count('unwrapped')} other. `}
          <strong>{attention === 0 ? 'Nothing needs your attention.' : `${attention} ${attention === 1 ? 'needs' : 'need'} your attention.`}</strong>
        </p>
        <div className="field servers-filter">
          <label htmlFor={filterId}>Show</label>
          <select id={filterId} className="select" value={filter} onChange={(e) => setFilter(e.target.value as ServerFilter)}>
            {FILTERS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown.length === 0 ? (
        <div className="state">
          <p>No server matches this filter.</p>
          <button type="button" className="button" onClick={() => setFilter('all')}>
            Show all servers
          </button>
        </div>
      ) : null}
      {[...groups].map(([client, list]) => (
        <section key={client} className="server-group" aria-label={client}>
          <h3 className="server-group-title">{`${client} (${list.length})`}</h3>
          <div className="server-cards">
            {list.map((row) => (
              <ServerCard key={row.key} row={row} changes={changes} actions={actions} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
