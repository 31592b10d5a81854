import { useState, type ReactNode } from 'react';
import type { SecretEntry, SecretsServer } from '../../../../shared/secrets-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { messageOf } from '../lib/labels.js';
import { SecretDialog } from './secret-dialog.js';

/** Removes a secret from the keychain and from the server's record, after saying what that means. */
export function DeleteSecretDialog({
  server,
  secret,
  trigger,
  onDone,
}: {
  server: SecretsServer;
  secret: SecretEntry;
  trigger: ReactNode;
  onDone: (message: string) => void;
}) {
  const guard = useGuard();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const submit = () => {
    setBusy(true);
    setError(undefined);
    guard.secrets
      .delete(server.id, secret.name)
      .then(
        (result) => {
          if (!result.ok) return setError(result.reason);
          setDeleted(true);
          setOpen(false);
          onDone(result.message);
        },
        (e: unknown) => setError(messageOf(e)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <SecretDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(undefined);
      }}
      trigger={trigger}
      title={`Delete ${secret.name} from ${server.name}?`}
      description={
        <>
          <p>
            {secret.state === 'helper'
              ? `${server.name} no longer gets ${secret.name} from its helper.`
              : `The value is removed from the OS keychain, and ${server.name} no longer gets ${secret.name}.`}
            {' This cannot be undone.'}
          </p>
          {secret.inOriginalEntry ? (
            <p className="secret-warning">{`${secret.name} was in the client's file before wrapping: to unwrap ${server.name} later, add it again first.`}</p>
          ) : null}
        </>
      }
      error={error}
      busy={busy}
      submitLabel={`Delete ${secret.name}`}
      danger
      onSubmit={submit}
      // The row is gone once deleted: the focus goes to the server's heading instead of nowhere.
      onClosed={(event) => {
        if (!deleted) return;
        event.preventDefault();
        document.getElementById(`secrets-${server.id}`)?.focus();
      }}
    />
  );
}
