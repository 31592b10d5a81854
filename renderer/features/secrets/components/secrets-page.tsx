import './secrets.css';
import { useState } from 'react';
import { useConnectionState } from '../../../bridge/guard-context.js';
import { Page } from '../../../components/page.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-states.js';
import { hrefOf } from '../../../app/routes.js';
import { useSecrets } from '../hooks/use-secrets.js';
import { ServerSecretsPanel } from './server-secrets-panel.js';

/**
 * The Secrets page: per wrapped server, the names of its secrets and whether each is set, with set,
 * replace, delete and credential helpers. Values only go in; the page never holds one it did not
 * just type, and the service never sends one.
 */
export function SecretsPage() {
  const connection = useConnectionState();
  return (
    <Page
      title="Secrets"
      testId="secrets-page"
      intro="The tokens and keys MCP Guard injects into each wrapped server, kept in the OS keychain or fetched by a credential helper. A value goes in here and is never shown again."
    >
      {connection.kind === 'open' ? (
        <SecretsContent />
      ) : connection.kind === 'closed' ? (
        <ErrorState what="Can't reach the MCP Guard service" error={`${connection.reason}; is mcp-guard serve --ui still running`} />
      ) : (
        <LoadingState what="Connecting to the MCP Guard service…" />
      )}
    </Page>
  );
}

function SecretsContent() {
  const secrets = useSecrets();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const done = (message: string) => {
    setNotice(message);
    secrets.reload();
  };
  if (secrets.state === 'loading') return <LoadingState what="Loading the wrapped servers and their secrets…" />;
  if (secrets.state === 'error') return <ErrorState what="The secrets did not load" error={secrets.error} retry={secrets.reload} />;
  const { servers, problems, keychainProblem } = secrets.value;
  return (
    <>
      <p role="status" className={notice ? 'notice notice-info' : 'sr-only'} data-testid="secrets-notice">
        {notice ?? ''}
      </p>
      {keychainProblem !== undefined ? (
        <div role="alert" className="banner" data-testid="keychain-problem">
          <p className="banner-title">The OS keychain cannot be asked whether secrets are set</p>
          <p>{keychainProblem}</p>
        </div>
      ) : null}
      {problems.length > 0 ? (
        <div role="alert" className="banner">
          <p className="banner-title">{`${problems.length === 1 ? 'A server record does' : `${problems.length} server records do`} not read; those servers are not listed`}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {servers.length === 0 ? (
        <EmptyState>
          <p>No wrapped servers yet, so there are no secrets to manage.</p>
          <p>
            {'Wrap a server on the '}
            <a href={hrefOf('servers')}>Servers page</a>
            {' (or run mcp-guard wrap): the tokens in its config move to the OS keychain and show up here.'}
          </p>
        </EmptyState>
      ) : (
        <div className="secrets-servers">
          {servers.map((s) => (
            <ServerSecretsPanel key={s.id} server={s} onDone={done} />
          ))}
        </div>
      )}
    </>
  );
}
