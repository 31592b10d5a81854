import type { GrantView } from '../../../../shared/policy-page.js';
import { askedBy, grantClient, grantExpiry, grantScope, grantTool, timeOf } from '../lib/labels.js';

/** One row per grant: what it lets through, for whom, until when, and a Revoke button naming it. */
export function GrantsTable({
  grants,
  now,
  busy,
  onRevoke,
}: {
  grants: readonly GrantView[];
  now: number;
  busy: boolean;
  onRevoke: (g: GrantView, what: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table policy-table" data-testid="grants">
        <caption className="sr-only">Grants in force</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">Tool</th>
            <th scope="col">Scope</th>
            <th scope="col">For</th>
            <th scope="col">Lasts</th>
            <th scope="col">Given</th>
            <th scope="col">
              <span className="sr-only">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => {
            const what = `${grantTool(g)} on ${g.server}`;
            return (
              <tr key={g.id} data-testid="grant-row">
                <td data-label="Server">
                  <code>{g.server}</code>
                </td>
                <td data-label="Tool">{g.tool !== undefined ? <code>{g.tool}</code> : 'every tool'}</td>
                <td data-label="Scope">{grantScope(g)}</td>
                <td data-label="For">{grantClient(g)}</td>
                <td data-label="Lasts">{grantExpiry(g, now)}</td>
                <td data-label="Given">
                  {timeOf(g.createdAt)}
                  <span className="rule-reason">{`asked by ${askedBy(g.source)}`}</span>
                </td>
                <td data-label="Revoke" className="row-actions">
                  <button
                    type="button"
                    className="button button-danger"
                    disabled={busy}
                    onClick={() => onRevoke(g, what)}
                    aria-label={`Revoke the grant for ${what}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
