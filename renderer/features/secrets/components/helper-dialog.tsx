import { useId, useState, type ReactNode } from 'react';
import { MAX_HELPER_TTL_SECONDS, type SecretEntry, type SecretsServer } from '../../../../shared/secrets-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { joinCommandLine, splitCommandLine } from '../lib/command-line.js';
import { messageOf } from '../lib/labels.js';
import { nameProblem } from '../lib/secret-name.js';
import { NameField } from './name-field.js';
import { SecretDialog } from './secret-dialog.js';

/** What the command field starts with: the helper's command, unless part of it is hidden (then it is typed again whole). */
function initialCommand(secret: SecretEntry | undefined): string {
  const helper = secret?.helper;
  return helper && helper.masked === 0 ? joinCommandLine(helper.command) : '';
}

function ttlProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= MAX_HELPER_TTL_SECONDS
    ? undefined
    : `Whole seconds from 1 to ${MAX_HELPER_TTL_SECONDS} (30 days), or leave it empty.`;
}

/**
 * A credential helper for a secret: a command whose output is the value, run (without a shell) when
 * the server starts, and again after the TTL. Adds a helper, edits one, or turns a stored value into
 * a helper (the stored value is then removed from the keychain).
 */
export function HelperDialog({
  server,
  secret,
  trigger,
  onDone,
}: {
  server: SecretsServer;
  secret?: SecretEntry;
  trigger: ReactNode;
  onDone: (message: string) => void;
}) {
  const guard = useGuard();
  const commandId = useId();
  const ttlId = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(secret?.name ?? '');
  const [command, setCommand] = useState(initialCommand(secret));
  const [ttl, setTtl] = useState(secret?.helper?.ttlSeconds !== undefined ? String(secret.helper.ttlSeconds) : '');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const adding = secret === undefined;
  const problem = adding ? nameProblem(server, name, true) : undefined;
  const argv = splitCommandLine(command);
  const ttlError = ttlProblem(ttl);

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      setName(secret?.name ?? '');
      setCommand(initialCommand(secret));
      setTtl(secret?.helper?.ttlSeconds !== undefined ? String(secret.helper.ttlSeconds) : '');
      setTried(false);
      setError(undefined);
    }
  };
  const submit = () => {
    setTried(true);
    const first = problem ?? (argv.ok ? undefined : argv.problem) ?? ttlError;
    if (first !== undefined || !argv.ok) return setError(first);
    setBusy(true);
    setError(undefined);
    guard.secrets['set-helper'](server.id, name, argv.argv, ttl.trim() === '' ? null : Number(ttl))
      .then(
        (result) => {
          if (!result.ok) return setError(result.reason);
          onOpenChange(false);
          onDone(result.message);
        },
        (e: unknown) => setError(messageOf(e)),
      )
      .finally(() => setBusy(false));
  };

  const replacesValue = secret !== undefined && secret.state !== 'helper';
  return (
    <SecretDialog
      open={open}
      onOpenChange={onOpenChange}
      trigger={trigger}
      title={secret === undefined ? `Add a credential helper to ${server.name}` : `Credential helper for ${secret.name}`}
      description={
        <>
          <p>{`A command whose output is the value, like gh auth token. It runs without a shell each time ${server.name} starts, so a token the tool renews stays current.`}</p>
          {replacesValue ? <p className="secret-warning">The value stored in the keychain for this secret is removed.</p> : null}
          {replacesValue && secret.inOriginalEntry ? (
            <p className="secret-warning">{`This secret was in the client's file before wrapping: unwrapping ${server.name} needs it in the keychain again.`}</p>
          ) : null}
        </>
      }
      error={error}
      busy={busy}
      submitLabel="Save helper"
      onSubmit={submit}
    >
      <NameField server={server} name={name} fixed={!adding} problem={problem} showProblem={tried || name !== ''} onChange={setName} />
      <div className="field">
        <label htmlFor={commandId}>Command</label>
        <input
          id={commandId}
          className="input secret-command"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="gh auth token"
          aria-invalid={tried && !argv.ok}
          aria-describedby={`${commandId}-hint`}
          data-testid="helper-command-input"
        />
        <span id={`${commandId}-hint`} className="field-hint">
          {secret?.helper && secret.helper.masked > 0
            ? 'Part of the current command looks like a credential and is not shown: type the whole command again.'
            : 'Quote an argument that has spaces. No shell: no variables, pipes or ~.'}
        </span>
        {argv.ok && command.trim() !== '' ? (
          <p className="helper-argv" data-testid="helper-argv">
            <span className="subtle">Runs:</span>
            {argv.argv.map((a, i) => (
              <code key={i} className="helper-arg">
                {a}
              </code>
            ))}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={ttlId}>Run again after (seconds)</label>
        <input
          id={ttlId}
          className="input secret-ttl"
          inputMode="numeric"
          value={ttl}
          onChange={(e) => setTtl(e.target.value)}
          autoComplete="off"
          aria-invalid={ttlError !== undefined}
          aria-describedby={`${ttlId}-hint`}
          data-testid="helper-ttl-input"
        />
        <span id={`${ttlId}-hint`} className={ttlError !== undefined ? 'field-error' : 'field-hint'}>
          {ttlError ?? 'Empty: the value is fetched once per server start. 3600 renews an hourly token.'}
        </span>
      </div>
    </SecretDialog>
  );
}
