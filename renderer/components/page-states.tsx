import type { ReactNode } from 'react';

/** What a list or form shows while it loads: what is loading, in words. */
export function LoadingState({ what }: { what: string }) {
  return (
    <p className="state" role="status" data-testid="loading">
      {what}
    </p>
  );
}

/** Nothing to show yet: says why, and what to do to have something. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty-state">
      {children}
    </div>
  );
}

/** Something failed: what, and a way to try again. */
export function ErrorState({ what, error, retry }: { what: string; error: string; retry?: () => void }) {
  return (
    <div role="alert" className="state state-error" data-testid="error-state">
      <p>{`${what}: ${error}.`}</p>
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
