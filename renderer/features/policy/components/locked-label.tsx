/** The mark of everything managed policy sets: a lock, and who set it, in words (not colour alone). */
export function LockedLabel({ file }: { file: string }) {
  return (
    <span className="locked-label" data-testid="locked-label">
      <span className="tag tag-locked">
        <LockIcon />
        managed
      </span>
      <span className="locked-text">
        {' — set by '}
        <code>{file}</code>
        {', cannot be changed here'}
      </span>
    </span>
  );
}

export function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 3.5a2 2 0 1 1 4 0V7H6V4.5Z"
      />
    </svg>
  );
}
