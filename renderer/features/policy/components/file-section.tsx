import { useEffect, useState } from 'react';
import type { UserPolicyFile } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { PolicyFileEditor } from './policy-file-editor.js';

/** "Edit the whole file": loaded when opened (and again after a refused save), open at once when the file is broken. */
export function FileSection({ broken, revision, onSaved }: { broken: boolean; revision: string; onSaved: () => void }) {
  const guard = useGuard();
  const [open, setOpen] = useState(broken);
  const [file, setFile] = useState<{ state: 'idle' | 'loading' } | { state: 'error'; error: string } | { state: 'ready'; file: UserPolicyFile; key: number }>({
    state: 'idle',
  });
  const [message, setMessage] = useState('');
  const load = () => {
    setFile({ state: 'loading' });
    guard.policy['user-file']().then(
      (f) => setFile({ state: 'ready', file: f, key: Date.now() }),
      (e: unknown) => setFile({ state: 'error', error: e instanceof Error ? e.message : String(e) }),
    );
  };
  useEffect(() => {
    if (open && file.state === 'idle') load();
  }, [open, file.state]);
  const stale = file.state === 'ready' && file.file.revision !== revision;

  return (
    <section className="policy-section" aria-labelledby="policy-file-title" id="policy-file">
      <div className="section-head">
        <h3 id="policy-file-title">Edit the whole file</h3>
        <button type="button" className="button" aria-expanded={open} aria-controls="policy-file-body" onClick={() => setOpen((o) => !o)}>
          {open ? 'Close the file' : 'Open the file'}
        </button>
      </div>
      <p className="subtle">
        {broken
          ? 'Your policy file does not validate: the policy before it stays in force (or every call is denied) until it is fixed here or by hand.'
          : 'For defaults, redaction and the order of rules: your whole policy file, checked as you type.'}
      </p>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-info">{message}</p> : null}
      </div>
      {open ? (
        <div id="policy-file-body">
          {file.state === 'loading' ? <LoadingState what="Loading your policy file…" /> : null}
          {file.state === 'error' ? <ErrorState what="Your policy file did not load" error={file.error} retry={load} /> : null}
          {stale ? (
            <p className="notice notice-error" role="alert">
              The file changed on disk since you opened it here.{' '}
              <button type="button" className="notice-dismiss" onClick={load}>
                Load it again
              </button>
            </p>
          ) : null}
          {file.state === 'ready' ? (
            <PolicyFileEditor
              key={file.key}
              file={file.file}
              onRefused={() => undefined}
              onSaved={(m) => {
                setMessage(m);
                load();
                onSaved();
              }}
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
