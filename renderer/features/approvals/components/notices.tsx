import type { Notice } from '../hooks/use-notices.js';

/**
 * The short messages above the prompt: timed-out calls and what became of a server approval. The
 * status region is always in the page (a live region must exist before its text changes, or screen
 * readers do not announce it); errors come as alerts, which are announced when they appear.
 */
export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  const errors = notices.filter((n) => n.tone === 'error');
  return (
    <div className="notices">
      <div role="status" aria-live="polite" data-testid="notices">
        {notices
          .filter((n) => n.tone === 'info')
          .map((n) => (
            <p key={n.id} className="notice notice-info">
              {n.text}
            </p>
          ))}
      </div>
      {errors.map((n) => (
        <div role="alert" key={n.id} className="notice notice-error">
          <p>{n.text}</p>
          <button type="button" className="notice-dismiss" onClick={() => onDismiss(n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
