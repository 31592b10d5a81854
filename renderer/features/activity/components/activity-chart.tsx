import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ActivityHistogram } from '../../../../shared/activity.js';
import { formatRange, formatTime, plural } from '../lib/labels.js';
import './activity-chart.css';

const HEIGHT = 110;

/**
 * Calls, asks and denials over time (uPlot on a canvas), for the table's filter. The canvas is
 * hidden from assistive technology; the summary line and the table "Show the numbers" opens say
 * the same. Dragging across the chart picks that time range for the filter.
 */
/** The histogram's span in seconds, at least MIN_BUCKETS wide so a lone bucket is a bar, not the whole chart. */
function xRange(h: ActivityHistogram): [number, number] {
  const buckets = Math.max(h.calls.length, MIN_BUCKETS);
  return [h.from / 1000, (h.from + buckets * h.bucketMs) / 1000];
}

const MIN_BUCKETS = 12;

export function ActivityChart({ histogram, onRange }: { histogram: ActivityHistogram; onRange: (from: number, to: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const range = useRef(onRange);
  range.current = onRange;
  // The x scale is the histogram's own span (uPlot's own guess for one or two points spans years).
  const span = useRef(histogram);
  span.current = histogram;
  const dark = useSyncExternalStore(subscribeScheme, () => window.matchMedia(DARK).matches);
  const [numbers, setNumbers] = useState(false);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const color = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const axis = { stroke: color('--muted'), grid: { stroke: color('--surface-2'), width: 1 }, ticks: { stroke: color('--border'), width: 1 } };
    const made = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        // Room on the sides for the first and last time labels, which uPlot centres on their tick.
        padding: [8, 24, 0, 24],
        cursor: { drag: { x: true, y: false, setScale: false } },
        scales: {
          x: { time: true, range: () => xRange(span.current) },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          { ...axis, space: 70 },
          { ...axis, size: 44, space: 16 },
        ],
        series: [
          {},
          {
            label: 'Calls',
            stroke: color('--info-text'),
            fill: color('--info-bg'),
            width: 1,
            paths: uPlot.paths.bars!({ size: [0.9, 40] }),
            points: { show: false },
          },
          { label: 'Asked', stroke: color('--warning-text'), width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
          { label: 'Denied', stroke: color('--danger-text'), width: 2, dash: [6, 3], paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 4) return;
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              range.current(Math.round(from * 1000), Math.round(to * 1000));
            },
          ],
        },
      },
      [[], [], [], []],
      element,
    );
    plot.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = undefined;
    };
  }, [dark]);

  useEffect(() => {
    const { from, bucketMs, calls, asks, denials } = histogram;
    plot.current?.setData([calls.map((_, i) => (from + i * bucketMs) / 1000), calls, asks, denials]);
  }, [histogram, dark]);

  const totals = sum(histogram);
  return (
    <figure className="activity-chart panel" aria-labelledby="activity-chart-title">
      <figcaption className="chart-head">
        <h3 id="activity-chart-title">Calls over time</h3>
        <ul className="chart-legend">
          <li>
            <span className="swatch swatch-calls" aria-hidden="true" />
            {`Calls ${totals.calls.toLocaleString()}`}
          </li>
          <li>
            <span className="swatch swatch-asks" aria-hidden="true" />
            {`Asked ${totals.asks.toLocaleString()}`}
          </li>
          <li>
            <span className="swatch swatch-denials" aria-hidden="true" />
            {`Denied ${totals.denials.toLocaleString()}`}
          </li>
        </ul>
        <button type="button" className="chart-numbers-toggle" aria-expanded={numbers} onClick={() => setNumbers((n) => !n)}>
          {numbers ? 'Hide the numbers' : 'Show the numbers'}
        </button>
      </figcaption>
      <p className="subtle chart-summary" data-testid="chart-summary">
        {summaryOf(histogram, totals)}
      </p>
      <div className="chart-canvas" ref={box} aria-hidden="true" title="Drag across the chart to show that time range" />
      {numbers ? <NumbersTable histogram={histogram} /> : null}
    </figure>
  );
}

function NumbersTable({ histogram }: { histogram: ActivityHistogram }) {
  const rows = histogram.calls.map((calls, i) => ({ i, calls, asks: histogram.asks[i] ?? 0, denials: histogram.denials[i] ?? 0 })).filter((r) => r.calls > 0);
  if (rows.length === 0) return <p className="subtle">No calls in this range.</p>;
  return (
    <div className="table-wrap chart-numbers" role="region" aria-label="Calls per time bucket" tabIndex={0}>
      <table className="table">
        <caption className="sr-only">Calls, asked and denied per {bucketWords(histogram.bucketMs)}</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Calls</th>
            <th scope="col">Asked</th>
            <th scope="col">Denied</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.i}>
              <th scope="row">{formatTime(histogram.from + r.i * histogram.bucketMs)}</th>
              <td>{r.calls}</td>
              <td>{r.asks}</td>
              <td>{r.denials}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Totals = { calls: number; asks: number; denials: number };

function sum(h: ActivityHistogram): Totals {
  const add = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return { calls: add(h.calls), asks: add(h.asks), denials: add(h.denials) };
}

function summaryOf(h: ActivityHistogram, totals: Totals): string {
  const end = h.from + h.calls.length * h.bucketMs;
  const span = formatRange(h.from, end);
  if (totals.calls === 0) return `No calls ${span}.`;
  let busiest = 0;
  h.calls.forEach((n, i) => {
    if (n > (h.calls[busiest] ?? 0)) busiest = i;
  });
  return `${plural(totals.calls, 'call', 'calls')} ${span} (bars per ${bucketWords(h.bucketMs)}): ${totals.asks.toLocaleString()} asked, ${totals.denials.toLocaleString()} denied. Busiest: ${formatTime(h.from + busiest * h.bucketMs)}, ${plural(h.calls[busiest] ?? 0, 'call', 'calls')}.`;
}

function bucketWords(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, word] of units) if (ms % size === 0) return ms === size ? word : `${ms / size} ${word}s`;
  return `${ms} ms`;
}

const DARK = '(prefers-color-scheme: dark)';
function subscribeScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
