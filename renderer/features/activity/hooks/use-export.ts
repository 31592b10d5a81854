import { useCallback, useRef, useState } from 'react';
import type { ActivityExportFormat, ActivityFilter } from '../../../../shared/activity.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { fixedFilter } from '../lib/filter-form.js';

export type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; format: ActivityExportFormat; done: number; total: number }
  | { phase: 'done'; format: ActivityExportFormat; events: number; file: string; filtered: boolean }
  | { phase: 'error'; format: ActivityExportFormat; error: string };

const MIME: Record<ActivityExportFormat, string> = { jsonl: 'application/x-ndjson', csv: 'text/csv' };

/**
 * Export as `mcp-guard audit export` writes it: chunk after chunk from the service (each under
 * 1 MB, the cursor continuing it), gathered into a Blob the browser saves. The renderer holds the
 * export only while it is being saved; the filter is the table's, a relative range fixed to now.
 */
export function useExport(): { state: ExportState; run: (format: ActivityExportFormat, filter: ActivityFilter) => Promise<void>; cancel: () => void } {
  const guard = useGuard();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const cancelled = useRef(false);

  const run = useCallback(
    async (format: ActivityExportFormat, tableFilter: ActivityFilter) => {
      cancelled.current = false;
      const filter = fixedFilter(tableFilter, Date.now());
      const parts: string[] = [];
      setState({ phase: 'running', format, done: 0, total: 0 });
      try {
        let cursor: string | null = null;
        let done = 0;
        do {
          const chunk = await guard.activity.export(format, filter, cursor);
          if (cancelled.current) return setState({ phase: 'idle' });
          parts.push(chunk.chunk);
          cursor = chunk.cursor;
          done = chunk.done;
          setState({ phase: 'running', format, done, total: chunk.total });
        } while (cursor !== null);
        const file = `mcp-guard-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`;
        save(new Blob(parts, { type: MIME[format] }), file);
        setState({ phase: 'done', format, events: done, file, filtered: Object.keys(tableFilter).length > 0 });
      } catch (error) {
        setState({ phase: 'error', format, error: error instanceof Error ? error.message : String(error) });
      }
    },
    [guard],
  );
  const cancel = useCallback(() => {
    cancelled.current = true;
  }, []);
  return { state, run, cancel };
}

function save(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the Blob by now; the URL need not outlive this turn by much.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
