import { useId, useState, type ReactNode } from 'react';
import { MAX_SECRET_VALUE_CHARS, type SecretEntry, type SecretsServer } from '../../../../shared/secrets-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { messageOf } from '../lib/labels.js';
import { nameProblem } from '../lib/secret-name.js';
import { NameField } from './name-field.js';
import { SecretDialog } from './secret-dialog.js';

/**
 * Sets, replaces or adds a secret's value. The value field is a password field that nothing fills
 * in for the user; the value goes to the service once (`secrets:set`) and the field is emptied as
 * soon as it is saved or the dialog closes. The page never gets a value back.
 */
export function SetValueDialog({
  server,
  secret,
  trigger,
  onDone,
}: {
  server: SecretsServer;
  /** The secret to set or replace; absent: a new one, named here. */
  secret?: SecretEntry;
  trigger: ReactNode;
  onDone: (message: string) => void;
}) {
  const guard = useGuard();
  const valueId = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(secret?.name ?? '');
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const adding = secret === undefined;
  const problem = adding ? nameProblem(server, name, true) : undefined;
  const valueProblem =
    value === ''
      ? 'Type or paste the value.'
      : value.length > MAX_SECRET_VALUE_CHARS
        ? `The value is at most ${MAX_SECRET_VALUE_CHARS} characters.`
        : undefined;

  const reset = () => {
    setValue('');
    setName(secret?.name ?? '');
    setTried(false);
    setError(undefined);
  };
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) reset();
  };
  const submit = () => {
    setTried(true);
    if (problem !== undefined || valueProblem !== undefined) return setError(problem ?? valueProblem);
    setBusy(true);
    setError(undefined);
    guard.secrets
      .set(server.id, name, value)
      .then(
        (result) => {
          if (!result.ok) return setError(result.reason);
          setValue('');
          onOpenChange(false);
          onDone(result.message);
        },
        (e: unknown) => setError(messageOf(e)),
      )
      .finally(() => setBusy(false));
  };

  const replacing = secret?.state === 'set';
  const title = adding ? `Add a secret to ${server.name}` : `${replacing ? 'Replace' : 'Set'} ${secret.name}`;
  return (
    <SecretDialog
      open={open}
      onOpenChange={onOpenChange}
      trigger={trigger}
      title={title}
      description={
        <p>
          {`The value goes into the OS keychain and is injected into ${server.name} at its next start. It is never shown again, here or anywhere.`}
          {secret?.state === 'helper' ? ' It replaces the credential helper.' : ''}
        </p>
      }
      error={error}
      busy={busy}
      submitLabel={adding ? 'Add secret' : replacing ? 'Replace value' : 'Set value'}
      onSubmit={submit}
    >
      <NameField server={server} name={name} fixed={!adding} problem={problem} showProblem={tried || name !== ''} onChange={setName} />
      <div className="field">
        <label htmlFor={valueId}>{replacing ? 'New value' : 'Value'}</label>
        <input
          id={valueId}
          className="input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={tried && valueProblem !== undefined}
          data-testid="secret-value-input"
          data-1p-ignore
          data-lpignore="true"
        />
        <span className="field-hint">Paste it from where you keep it; it is not echoed.</span>
      </div>
    </SecretDialog>
  );
}
