import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type MutableRefObject } from 'react';
import type { ActivityRow } from '../../../../shared/activity.js';
import { useNarrow } from '../hooks/use-narrow.js';
import type { RowPages } from '../lib/row-pages.js';
import { columns, features } from './activity-columns.js';
import './activity-table.css';

/** Row heights: one line at full width, stacked lines in the narrow layout. */
const ROW_PX = { wide: 44, narrow: 92 } as const;

/**
 * The audit log as a table of `total` rows, of which only those in view (and a few around) are in
 * the DOM (TanStack Virtual); their data comes page by page from the service (RowPages). ARIA table
 * roles keep it a table for assistive technology (aria-rowcount says how many rows there are).
 * Each row opens with its first cell's button; arrow keys, Page Up/Down, Home and End move between
 * rows. At the top it follows the log (`following`); further down new rows do not move it.
 */
export function ActivityTable({
  pages,
  total,
  following,
  onOpen,
}: {
  pages: RowPages;
  total: number;
  following: MutableRefObject<boolean>;
  onOpen: (row: ActivityRow) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const narrow = useNarrow();
  const rowPx = narrow ? ROW_PX.narrow : ROW_PX.wide;
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => rowPx, overscan: 12 });
  useEffect(() => virtualizer.measure(), [virtualizer, rowPx]);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => pages.want(first, last), [pages, first, last, pages.version]);

  const loaded = items.map((item) => pages.rowAt(item.index)).filter((row): row is ActivityRow => row !== undefined);
  // A new array only when other rows are in view (the table's row model is rebuilt for each new array).
  const loadedKey = loaded.map((row) => row.seq).join(',');
  const data = useMemo(() => loaded, [loadedKey]);
  const table = useTable({ features, columns, data, getRowId: (row) => String(row.seq) });
  const tableRows = new Map(table.getRowModel().rows.map((row) => [row.original.seq, row]));

  // New rows on top re-render the rows in view: when that takes the focused button away, the button of the same event gets the focus back.
  const focused = useRef<HTMLElement | undefined>(undefined);
  useLayoutEffect(() => {
    const gone = focused.current;
    if (!gone || gone.isConnected || (document.activeElement && document.activeElement !== document.body)) return;
    const seq = gone.getAttribute('data-open-seq');
    const again = seq === null ? null : scroller.current?.querySelector<HTMLButtonElement>(`button[data-open-seq="${seq}"]`);
    if (again) {
      focused.current = again;
      again.focus({ preventScroll: true });
    }
  });

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(total - 1, index));
    const find = () => scroller.current?.querySelector<HTMLButtonElement>(`[data-row-index="${target}"] .activity-open`);
    const rendered = find();
    // A row in the DOM takes the focus now (so a quick second key press starts from it); one out of view is scrolled to first.
    if (rendered) return rendered.focus();
    virtualizer.scrollToIndex(target, { align: 'auto' });
    let frames = 0;
    const retry = () => {
      const row = find();
      if (row) row.focus();
      else if (frames++ < 10) requestAnimationFrame(retry);
    };
    requestAnimationFrame(retry);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (step !== undefined) focusRow(index + step);
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(total - 1);
    else return;
    event.preventDefault();
  };

  return (
    <div className="activity-table" role="table" aria-label="Audit events, newest first" aria-rowcount={total + 1} data-testid="activity-table">
      <div role="rowgroup" className="activity-head">
        {table.getHeaderGroups().map((group) => (
          <div role="row" aria-rowindex={1} className="activity-row activity-row-head" key={group.id}>
            {group.headers.map((header) => (
              <div role="columnheader" className={`activity-cell activity-cell-${header.column.id}`} key={header.id}>
                <table.FlexRender header={header} />
              </div>
            ))}
          </div>
        ))}
      </div>
      <div
        role="rowgroup"
        className="activity-scroll"
        ref={scroller}
        onFocus={(event) => (focused.current = event.target)}
        onScroll={(event) => {
          const top = event.currentTarget.scrollTop < rowPx / 2;
          if (top && !following.current) void pages.refresh(true);
          following.current = top;
        }}
      >
        <div className="activity-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = pages.rowAt(item.index);
            const tableRow = row && tableRows.get(row.seq);
            return (
              <div
                role="row"
                aria-rowindex={item.index + 2}
                className={`activity-row${row ? '' : ' activity-row-loading'}`}
                data-row-index={item.index}
                data-seq={row?.seq}
                key={item.key}
                style={{ transform: `translateY(${item.start}px)`, height: rowPx }}
                onKeyDown={(event) => onKeyDown(event, item.index)}
                onClick={(event) => {
                  if (row && (event.target as HTMLElement).closest('.activity-open')) onOpen(row);
                }}
              >
                {tableRow ? (
                  tableRow.getAllCells().map((cell) => (
                    <div role="cell" className={`activity-cell activity-cell-${cell.column.id}`} key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))
                ) : (
                  <div role="cell" className="activity-cell activity-cell-placeholder" aria-busy="true">
                    Loading…
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
