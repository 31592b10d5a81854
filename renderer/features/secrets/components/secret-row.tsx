import type { SecretEntry, SecretsServer } from '../../../../shared/secrets-page.js';
import { stateTag, targetLabel } from '../lib/labels.js';
import { joinCommandLine } from '../lib/command-line.js';
import { DeleteSecretDialog } from './delete-secret-dialog.js';
import { HelperDialog } from './helper-dialog.js';
import { SetValueDialog } from './set-value-dialog.js';

/** One secret: its name, where it goes, whether it is set (or which helper gives it), and what can be done with it. */
export function SecretRow({ server, secret, onDone }: { server: SecretsServer; secret: SecretEntry; onDone: (message: string) => void }) {
  const tag = stateTag(secret.state);
  const of = <span className="sr-only">{` ${secret.name}`}</span>;
  return (
    <li className="secret-row" data-testid="secret-row" data-secret={secret.name}>
      <div className="secret-facts">
        <div className="secret-title">
          <code className="secret-name">{secret.name}</code>
          <span className={tag.className} data-testid="secret-state">
            {tag.text}
          </span>
        </div>
        <p className="subtle">{`${targetLabel(secret.target)}${secret.state === 'set' ? ' · in the OS keychain' : ''}`}</p>
        {secret.helper ? (
          <p className="secret-helper" data-testid="secret-helper">
            {'Runs '}
            <code>{joinCommandLine(secret.helper.command)}</code>
            {secret.helper.ttlSeconds !== undefined ? `, again after ${secret.helper.ttlSeconds} s` : ', once per server start'}
          </p>
        ) : null}
        {secret.state === 'not-set' ? <p className="secret-warning">{`${server.name} does not start until this is set.`}</p> : null}
      </div>
      <div className="secret-actions">
        <SetValueDialog
          server={server}
          secret={secret}
          onDone={onDone}
          trigger={
            <button type="button" className="button">
              {secret.state === 'set' ? 'Replace value' : 'Set value'}
              {of}
            </button>
          }
        />
        <HelperDialog
          server={server}
          secret={secret}
          onDone={onDone}
          trigger={
            <button type="button" className="button">
              {secret.state === 'helper' ? 'Edit helper' : 'Use a helper'}
              {of}
            </button>
          }
        />
        <DeleteSecretDialog
          server={server}
          secret={secret}
          onDone={onDone}
          trigger={
            <button type="button" className="button button-danger">
              Delete
              {of}
            </button>
          }
        />
      </div>
    </li>
  );
}
