import type { SecretsServer } from '../../../../shared/secrets-page.js';
import { CLIENT_LABELS, SCOPE_LABELS, targetLabel } from '../lib/labels.js';
import { HelperDialog } from './helper-dialog.js';
import { SecretRow } from './secret-row.js';
import { SetValueDialog } from './set-value-dialog.js';

/** One wrapped server: where it is configured, its secrets, and adding one. */
export function ServerSecretsPanel({ server, onDone }: { server: SecretsServer; onDone: (message: string) => void }) {
  const headingId = `secrets-${server.id}`;
  const missing = server.secrets.filter((s) => s.state === 'not-set').length;
  return (
    <section className="panel secrets-server" aria-labelledby={headingId} data-testid="secrets-server" data-server={server.id}>
      <div className="secrets-server-head">
        <div>
          <h3 id={headingId} tabIndex={-1} className="secrets-server-name">
            {server.name}
          </h3>
          <p className="subtle">
            {`${CLIENT_LABELS[server.client]}, ${SCOPE_LABELS[server.scope]}: `}
            <code>{server.file}</code>
          </p>
          <p className="subtle">{`Its secrets go in as ${targetLabel(server.target)}s.${missing > 0 ? ` ${missing} not set.` : ''}`}</p>
        </div>
        <div className="secret-actions">
          <SetValueDialog
            server={server}
            onDone={onDone}
            trigger={
              <button type="button" className="button">
                Add a secret<span className="sr-only">{` to ${server.name}`}</span>
              </button>
            }
          />
          <HelperDialog
            server={server}
            onDone={onDone}
            trigger={
              <button type="button" className="button">
                Add a helper<span className="sr-only">{` to ${server.name}`}</span>
              </button>
            }
          />
        </div>
      </div>
      {server.secrets.length === 0 ? (
        <p className="subtle secrets-none">{`No secrets: ${server.name} gets none from MCP Guard. Add one if it needs a token or key.`}</p>
      ) : (
        <ul className="secret-list" aria-label={`Secrets of ${server.name}`}>
          {server.secrets.map((s) => (
            <SecretRow key={s.name} server={server} secret={s} onDone={onDone} />
          ))}
        </ul>
      )}
    </section>
  );
}
