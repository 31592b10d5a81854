import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useRef, useState } from 'react';
import type { WrapAction, WrapApplied, WrapPreview, WrapTarget } from '../../../../shared/servers-page.js';
import { DIFF_SECRET_MARKER } from '../../../../shared/servers-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { messageOf } from '../../approvals/hooks/use-prompts.js';
import { plural } from '../lib/labels.js';
import { ConfigDiff } from './config-diff.js';
import './server-dialogs.css';

export type WrapRequest = { action: WrapAction; target: WrapTarget; what: string };

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; reason: string }
  | { kind: 'ready'; preview: Extract<WrapPreview, { ok: true }> }
  | { kind: 'applying'; preview: Extract<WrapPreview, { ok: true }> }
  | { kind: 'refused'; reason: string };

/**
 * Wrap or unwrap, diff first: the service's dry run of exactly what would change in each file
 * (secret values as a marker), then Apply, which names that preview; a file that changed in the
 * meantime makes the service refuse, and the dialog offers to look again. Cancel has the focus.
 */
export function WrapDialog({ request, onClose }: { request: WrapRequest; onClose: (applied?: Extract<WrapApplied, { ok: true }>) => void }) {
  const guard = useGuard();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  const cancel = useRef<HTMLButtonElement>(null);
  // Applied: the page moves the focus to what happened (the button that opened this may be gone).
  const applied = useRef(false);
  const verb = request.action === 'wrap' ? 'Wrap' : 'Unwrap';

  useEffect(() => {
    let live = true;
    setPhase({ kind: 'loading' });
    guard.servers.preview(request.action, request.target).then(
      (preview) => live && setPhase(preview.ok ? { kind: 'ready', preview } : { kind: 'failed', reason: preview.reason }),
      (e: unknown) => live && setPhase({ kind: 'failed', reason: `the diff could not be made: ${messageOf(e)}` }),
    );
    return () => {
      live = false;
    };
  }, [guard, request.action, request.target, round]);

  const apply = async (preview: Extract<WrapPreview, { ok: true }>) => {
    if (preview.hash === undefined) return;
    setPhase({ kind: 'applying', preview });
    try {
      const result = await guard.servers.apply(preview.hash);
      if (result.ok) {
        applied.current = true;
        return onClose(result);
      }
      setPhase({ kind: 'refused', reason: result.reason });
    } catch (e) {
      setPhase({ kind: 'refused', reason: `it was not applied: ${messageOf(e)}` });
    }
  };

  const preview = phase.kind === 'ready' || phase.kind === 'applying' ? phase.preview : undefined;
  return (
    <Dialog.Root open onOpenChange={(open) => !open && phase.kind !== 'applying' && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog servers-dialog"
          data-testid="wrap-dialog"
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            cancel.current?.focus();
          }}
          onCloseAutoFocus={(e) => applied.current && e.preventDefault()}
        >
          <Dialog.Title className="dialog-title">{`${verb} ${request.what}?`}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="subtle">
              <Explanation action={request.action} />
            </div>
          </Dialog.Description>
          {phase.kind === 'loading' ? (
            <p className="state" role="status" data-testid="loading">
              Working out the exact change…
            </p>
          ) : null}
          {phase.kind === 'failed' ? <p className="state state-error" role="alert">{`Nothing to ${request.action}: ${phase.reason}.`}</p> : null}
          {phase.kind === 'refused' ? (
            <div className="state state-error" role="alert" data-testid="apply-refused">
              <p>{`MCP Guard did not ${request.action}: ${phase.reason}.`}</p>
              <button type="button" className="button" onClick={() => setRound((r) => r + 1)}>
                Look again
              </button>
            </div>
          ) : null}
          {preview ? <PreviewBody preview={preview} /> : null}
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button" ref={cancel} aria-disabled={phase.kind === 'applying' ? 'true' : undefined}>
                Cancel
              </button>
            </Dialog.Close>
            {preview?.hash !== undefined ? (
              <button
                type="button"
                className="button button-primary"
                data-testid="apply-wrap"
                aria-disabled={phase.kind === 'applying' ? 'true' : undefined}
                onClick={() => phase.kind === 'ready' && void apply(preview)}
              >
                {phase.kind === 'applying' ? `${verb.replace(/p$/, 'pp')}ing…` : `${verb} as shown`}
              </button>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Explanation({ action }: { action: WrapAction }) {
  return action === 'wrap' ? (
    <p>
      {`Each entry will launch MCP Guard, which starts the real server and decides its calls. Secret values move to the OS keychain; `}
      <span className="secret-marker">{DIFF_SECRET_MARKER}</span>
      {` marks them below. Nothing else in the files changes.`}
    </p>
  ) : (
    <p>
      {`Each entry gets back exactly what was written before it was wrapped, its secrets read back from the keychain (`}
      <span className="secret-marker">{DIFF_SECRET_MARKER}</span>
      {` below). The client then runs the server without MCP Guard.`}
    </p>
  );
}

function PreviewBody({ preview }: { preview: Extract<WrapPreview, { ok: true }> }) {
  return (
    <div className="wrap-preview" data-testid="wrap-preview">
      {preview.files.length === 0 ? <p className="state">Nothing would change.</p> : null}
      {preview.masked > 0 ? (
        <p
          className="masked-note"
          data-testid="masked-note"
        >{`${plural(preview.masked, 'secret value')} ${preview.masked === 1 ? 'is' : 'are'} hidden in this diff.`}</p>
      ) : null}
      {preview.files.map((f) => (
        <ConfigDiff key={f.file} file={f.file} lines={f.lines} />
      ))}
      {preview.skipped.length > 0 ? (
        <div className="wrap-skipped">
          <h3>Left as they are</h3>
          <ul>
            {preview.skipped.map((s, i) => (
              <li key={i}>{`${s.server !== undefined ? `${s.server}: ` : ''}${s.message}`}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
