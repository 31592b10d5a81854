import type { ActivityVerifyResult } from '../../../../shared/activity.js';
import type { ExportState } from '../hooks/use-export.js';
import { formatTime, plural } from '../lib/labels.js';

export type VerifyState = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: ActivityVerifyResult } | { phase: 'error'; error: string };

/** What "Verify chain" found, as `mcp-guard audit verify` says it, with a way to open the event where the chain breaks. */
export function VerifyResultPanel({ state, onOpen }: { state: VerifyState; onOpen: (seq: number) => void }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'running')
    return (
      <p className="verify-result panel" role="status" data-testid="verify-result">
        Verifying the hash chain, event by event…
      </p>
    );
  if (state.phase === 'error')
    return (
      <div className="verify-result panel verify-bad" role="alert" data-testid="verify-result">
        <p>{`Could not verify the chain: ${state.error}. Try again; if it keeps failing, run mcp-guard audit verify.`}</p>
      </div>
    );
  const { result } = state;
  if (result.ok)
    return (
      <div className="verify-result panel verify-ok" role="status" data-testid="verify-result">
        <p>
          <span className="tag tag-ok">Chain intact</span>{' '}
          {`${plural(result.events, 'event', 'events')} in ${plural(result.segments, 'file', 'files')} verified, each linked to the one before and reaching the anchored head (checked ${formatTime(result.checkedAt)}).`}
        </p>
        {result.warnings.map((w) => (
          <p key={`${w.file}:${w.line ?? ''}`} className="subtle">{`Warning: ${w.file}${w.line !== undefined ? ` line ${w.line}` : ''}: ${w.problem}`}</p>
        ))}
      </div>
    );
  const { broken } = result;
  return (
    <div className="verify-result panel verify-bad" role="alert" data-testid="verify-result">
      <p>
        <span className="tag tag-bad">Chain broken</span>{' '}
        {`at ${broken.file}${broken.line !== undefined ? ` line ${broken.line}` : ''}: ${broken.problem}. ${plural(result.events, 'event', 'events')} before it verified.`}
      </p>
      <p className="subtle">
        Someone or something changed the log after it was written. Keep a copy of the audit directory as evidence; mcp-guard audit verify says the same.
      </p>
      {broken.seq !== undefined ? (
        <button type="button" className="button" onClick={() => onOpen(broken.seq!)}>
          {`Open event #${broken.seq.toLocaleString()}, where it breaks`}
        </button>
      ) : null}
    </div>
  );
}

/** How the export is going: progress with a way to stop, the file saved, or what failed. */
export function ExportStatus({ state, onCancel }: { state: ExportState; onCancel: () => void }) {
  if (state.phase === 'idle') return null;
  const format = state.format.toUpperCase();
  if (state.phase === 'running')
    return (
      <div className="export-status" role="status" data-testid="export-status">
        <span>
          {state.total > 0 ? `Exporting ${format}: ${state.done.toLocaleString()} of ${plural(state.total, 'event', 'events')}…` : `Exporting ${format}…`}
        </span>
        <button type="button" className="button" onClick={onCancel}>
          Stop
        </button>
      </div>
    );
  if (state.phase === 'done')
    return (
      <p className="export-status" role="status" data-testid="export-status">
        {`Saved ${state.file}: ${plural(state.events, 'event', 'events')}${state.filtered ? ' (those the filters show)' : ''}, as mcp-guard audit export writes them.`}
      </p>
    );
  return (
    <p className="export-status export-error" role="alert" data-testid="export-status">
      {`The ${format} export failed: ${state.error}. Try again.`}
    </p>
  );
}
