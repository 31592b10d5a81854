import { useState } from 'react';
import type { GrantRevoke, GrantView } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-states.js';
import { useNow } from '../../approvals/hooks/use-now.js';
import { useGrants } from '../hooks/use-grants.js';
import { plural } from '../lib/labels.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { GrantsTable } from './grants-table.js';

/**
 * The grants your answers made that are in force now, live; revoke one, every grant of a server, or
 * all (after a confirmation). A revoked grant is gone from every proxy at once: the next such call is asked again.
 */
export function GrantsSection() {
  const guard = useGuard();
  const grants = useGrants();
  const now = useNow(30_000, true);
  const [confirmAll, setConfirmAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(undefined);

  const revoke = async (which: GrantRevoke, what: string) => {
    setConfirmAll(false);
    setBusy(true);
    try {
      const { revoked } = await guard.grants.revoke(which);
      setMessage({
        text:
          revoked === 0
            ? `${what}: nothing to revoke (it had expired or was revoked meanwhile).`
            : `Revoked ${plural(revoked, 'grant')}: ${what} is asked about again.`,
        error: false,
      });
    } catch (e) {
      setMessage({ text: `Could not revoke: ${e instanceof Error ? e.message : String(e)}.`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const inForce = grants.state === 'ready' ? grants.grants.filter((g) => g.expiresAt === null || g.expiresAt > now) : [];
  const servers = [...new Set(inForce.map((g) => g.server))];
  return (
    <section className="policy-section" aria-labelledby="policy-grants-title" id="policy-grants">
      <div className="section-head">
        <h3 id="policy-grants-title">Grants in force</h3>
        {inForce.length > 0 ? (
          <button type="button" className="button button-danger" disabled={busy} onClick={() => setConfirmAll(true)}>
            Revoke all grants
          </button>
        ) : null}
      </div>
      <div role="status" aria-live="polite" className="section-status">
        {message && !message.error ? <p className="notice notice-info">{message.text}</p> : null}
      </div>
      {message?.error ? (
        <p role="alert" className="notice notice-error">
          {message.text}
        </p>
      ) : null}
      {grants.state === 'loading' ? <LoadingState what="Loading the grants in force…" /> : null}
      {grants.state === 'error' ? <ErrorState what="The grants did not load" error={grants.error} retry={grants.retry} /> : null}
      {grants.state === 'ready' && inForce.length === 0 ? (
        <EmptyState>
          <p>
            No grants in force. When you answer a prompt with “Allow for this session”, a time or “Always allow”, the grant appears here until it ends or you
            revoke it.
          </p>
        </EmptyState>
      ) : null}
      {inForce.length > 0 ? (
        <>
          {servers.length > 1 || inForce.length > 1 ? (
            <div className="server-revokes">
              {servers.map((server) => {
                const count = inForce.filter((g) => g.server === server).length;
                return (
                  <button
                    key={server}
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => void revoke({ kind: 'server', server }, `every tool of ${server}`)}
                  >
                    {`Revoke ${count === 1 ? 'the grant' : `all ${count}`} of ${server}`}
                  </button>
                );
              })}
            </div>
          ) : null}
          <GrantsTable grants={inForce} now={now} busy={busy} onRevoke={(g: GrantView, what: string) => void revoke({ kind: 'one', id: g.id }, what)} />
        </>
      ) : null}
      <ConfirmDialog
        open={confirmAll}
        title={`Revoke all ${plural(inForce.length, 'grant')}?`}
        confirm="Revoke all"
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => void revoke({ kind: 'all' }, 'every call these grants allowed')}
      >
        <p>{`Every call they allowed, on ${plural(servers.length, 'server')}, is asked about again from the next one. This cannot be undone; you answer the prompts again to make new grants.`}</p>
      </ConfirmDialog>
    </section>
  );
}
