import { useCallback, useMemo, useRef, useState } from 'react';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { Page } from '../../../components/page.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { useExport } from '../hooks/use-export.js';
import { useLiveRemote } from '../hooks/use-live-remote.js';
import { EMPTY_FORM, filterOf, localInputValue, type FilterForm } from '../lib/filter-form.js';
import { ActivityChart } from './activity-chart.js';
import { ActivityFilters } from './activity-filters.js';
import { ActivityRows } from './activity-rows.js';
import { ExportStatus, VerifyResultPanel, type VerifyState } from './chain-and-export.js';
import { EventDialog, type OpenEvent } from './event-dialog.js';
import './activity-page.css';

/**
 * The Activity page: the audit log as a live table with filters, a chart of calls, asks and
 * denials, each event in full, "verify chain" and export. Everything comes from the service's
 * index of the log a window at a time; the page never holds the whole log.
 */
const TITLE = 'Activity';
const INTRO = 'Every call and change MCP Guard recorded, live from its audit log.';

export function ActivityPage() {
  const connection = useConnectionState();
  if (connection.kind !== 'open')
    return (
      <Page title={TITLE} intro={INTRO} testId="activity-page">
        <LoadingState what="Waiting for the guard service…" />
      </Page>
    );
  return <ActivityContent />;
}

function ActivityContent() {
  const guard = useGuard();
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const { filter, problems } = useMemo(() => filterOf(form), [form]);
  const filterKey = JSON.stringify(filter);
  const facets = useLiveRemote(() => guard.activity.facets(), [guard], 5000);
  const histogram = useLiveRemote(() => guard.activity.histogram(filter), [guard, filterKey], 1000);
  const exporter = useExport();
  const [verify, setVerify] = useState<VerifyState>({ phase: 'idle' });
  const [opened, setOpened] = useState<OpenEvent | undefined>(undefined);
  const returnFocus = useRef<HTMLElement | null>(null);

  const open = useCallback((target: OpenEvent) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpened(target);
  }, []);
  const closed = useCallback((seq: number) => {
    const button = document.querySelector<HTMLButtonElement>(`button[data-open-seq="${seq}"]`);
    (button ?? returnFocus.current)?.focus();
  }, []);
  const runVerify = () => {
    setVerify({ phase: 'running' });
    guard.activity.verify().then(
      (result) => setVerify({ phase: 'done', result }),
      (error: unknown) => setVerify({ phase: 'error', error: error instanceof Error ? error.message : String(error) }),
    );
  };
  const exporting = exporter.state.phase === 'running';
  const actions = (
    <>
      <button type="button" className="button" onClick={runVerify} disabled={verify.phase === 'running'}>
        Verify chain
      </button>
      <button type="button" className="button" onClick={() => void exporter.run('csv', filter)} disabled={exporting} aria-describedby="activity-export-note">
        Export CSV
      </button>
      <button type="button" className="button" onClick={() => void exporter.run('jsonl', filter)} disabled={exporting} aria-describedby="activity-export-note">
        Export JSONL
      </button>
    </>
  );

  return (
    <Page title={TITLE} intro={INTRO} actions={actions} testId="activity-page">
      <p className="sr-only" id="activity-export-note">
        Exports hold the events the filters show, oldest first, exactly as mcp-guard audit export writes them.
      </p>
      <VerifyResultPanel state={verify} onOpen={(seq) => open({ seq })} />
      <ExportStatus state={exporter.state} onCancel={exporter.cancel} />
      <div className="activity-overview">
        {histogram.state === 'ready' ? (
          <ActivityChart
            histogram={histogram.value}
            onRange={(from, to) => setForm((f) => ({ ...f, range: 'custom', from: localInputValue(from), to: localInputValue(to) }))}
          />
        ) : histogram.state === 'error' ? (
          <ErrorState what="Could not draw the chart" error={histogram.error} retry={histogram.reload} />
        ) : (
          <LoadingState what="Counting calls for the chart…" />
        )}
        <ActivityFilters form={form} problems={problems} facets={facets.state === 'ready' ? facets.value : undefined} onChange={setForm} />
      </div>
      <ActivityRows filter={filter} hold={opened !== undefined} onOpen={(row) => open({ seq: row.seq, row })} onClear={() => setForm(EMPTY_FORM)} />
      <EventDialog target={opened} onClose={() => setOpened(undefined)} onClosed={closed} />
    </Page>
  );
}
