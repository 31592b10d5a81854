import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { ActivityRow } from '../../../../shared/activity.js';
import { answerText, shortAnswer, DECISION_LABEL, decisionTone, formatRowTime, KIND_LABEL, OUTCOME_LABEL, outcomeTone, rowSummary } from '../lib/labels.js';

/** The table's features: none beyond the core (the service filters, orders and pages). */
export const features = tableFeatures({});
const helper = createColumnHelper<typeof features, ActivityRow>();

/** Each column and its header; a cell's class names its column (`activity-cell-<id>`), which places it in the grid. */
export const columns = helper.columns([
  helper.accessor('time', {
    header: 'Time',
    cell: (info) => {
      const row = info.row.original;
      const { time, day } = formatRowTime(row.time, Date.now());
      return (
        <button type="button" className="activity-open" data-open-seq={row.seq} aria-label={`${day ? `${day} ` : ''}${time}, open ${rowSummary(row)}`}>
          {day ? <span className="activity-day">{day}</span> : null}
          {time}
        </button>
      );
    },
  }),
  helper.accessor('tool', {
    header: 'Event',
    cell: (info) => {
      const row = info.row.original;
      return row.kind === 'call' ? (
        <code className="activity-tool">{row.tool ?? '(no tool)'}</code>
      ) : (
        <span className="activity-kind">{KIND_LABEL[row.kind]}</span>
      );
    },
  }),
  helper.accessor('server', { header: 'Server', cell: (info) => info.getValue() ?? <span className="subtle">—</span> }),
  helper.accessor('decision', {
    header: 'Decision',
    cell: (info) => {
      const effect = info.getValue();
      return effect ? <span className={`tag ${decisionTone(effect)}`}>{DECISION_LABEL[effect]}</span> : null;
    },
  }),
  helper.accessor('outcome', {
    header: 'Outcome',
    cell: (info) => {
      const outcome = info.getValue();
      return outcome ? <span className={`tag ${outcomeTone(outcome)}`}>{OUTCOME_LABEL[outcome]}</span> : null;
    },
  }),
  helper.accessor('approval', {
    header: 'Answer',
    cell: (info) => {
      const approval = info.getValue();
      return approval ? (
        <span className="activity-answer" title={answerText(approval)}>
          {shortAnswer(approval)}
        </span>
      ) : null;
    },
  }),
  helper.accessor('client', { header: 'Client', cell: (info) => info.getValue() ?? null }),
  helper.accessor('latencyMs', {
    header: 'Took',
    cell: (info) => {
      const ms = info.getValue();
      return ms === undefined ? null : (
        <span className="activity-latency">{ms < 1 ? '<1 ms' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}</span>
      );
    },
  }),
]);
